/**
 * The emulator in its own child process (`packages/emulator/bin/timtags-emulator.js`, so the package must be
 * built), controlled over its `/__emulator/*` HTTP endpoints. Keeping it out of the benchmark process means
 * its CPU time and memory never count as the client's.
 */
import type { CallLog } from "@timtags/emulator"
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/** The app every benchmark uses; the key is a throwaway. */
export const app = {
  sdkAppId: 1400000000,
  secretKey: "bench-secret-key-not-a-real-one",
  admin: "administrator"
} as const

/** The built CLI, found upwards from this module (which may run bundled from `benchmarks/.tmp/`). */
const bin = (): string => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "packages/emulator/bin/timtags-emulator.js")
    if (existsSync(candidate)) return candidate
  }
  throw new Error("packages/emulator/bin/timtags-emulator.js not found above benchmarks/")
}

/** A running emulator process. */
export interface EmulatorProcess {
  readonly baseUrl: string
  readonly pid: number
  /** Creates accounts with tags, in POSTs of at most `batch` accounts. */
  readonly seed: (record: Record<string, ReadonlyArray<string>>) => Promise<void>
  /** Creates `count` accounts named `name(i)` with tags `tags(i)`, in POSTs of `batch` accounts. */
  readonly seedRange: (
    count: number,
    name: (i: number) => string,
    tags?: (i: number) => ReadonlyArray<string>,
    batch?: number
  ) => Promise<void>
  /** Sets attribute names by slot (`{"0": "city"}`). */
  readonly setAttrNames: (names: Record<string, string>) => Promise<void>
  /** Sets attribute values (`{alice: {city: "Shenzhen"}}`), creating the accounts. */
  readonly seedAttrs: (record: Record<string, Record<string, string>>) => Promise<void>
  /** Calls per command per sliding second; 0 turns the limit off. */
  readonly setRateLimit: (limit: number) => Promise<void>
  /** The rate limit's settings (`{limit, stampAtArrival, countRefused, arrivalJitter}`). */
  readonly rateLimit: () => Promise<unknown>
  /** Puts back settings `rateLimit` returned. */
  readonly restoreRateLimit: (settings: unknown) => Promise<void>
  /** Queues a fault (`Faults.FaultSpec`; `times` may be `"Infinity"`). */
  readonly injectFault: (spec: unknown) => Promise<void>
  readonly clearFaults: () => Promise<void>
  readonly stats: () => Promise<CallLog.Stats>
  readonly calls: () => Promise<ReadonlyArray<CallLog.CallRecord>>
  readonly resetCalls: () => Promise<void>
  /** What the store holds for each account named: its tags and attributes, or `null` if it does not exist. */
  readonly readAccounts: (accounts: ReadonlyArray<string>) => Promise<Record<string, StoredAccount | null>>
  /** SIGTERM, then waits for the exit. */
  readonly close: () => Promise<void>
}

const running = new Set<ChildProcess>()
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL")
})

const control = async (
  baseUrl: string,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown
): Promise<unknown> => {
  const res = await fetch(`${baseUrl}/__emulator/${path}`, {
    method,
    signal: AbortSignal.timeout(60_000),
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } })
  })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`emulator ${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`)
  return JSON.parse(text)
}

/** An account as the emulator's store holds it. */
export interface StoredAccount {
  readonly tags: ReadonlyArray<string>
  readonly attrs: Readonly<Record<string, string>>
}

/** How to start an emulator process. */
export interface EmulatorSettings {
  /** Calls per command per sliding second; default the emulator's 100; 0 turns the limit off. */
  readonly rateLimit?: number
  /** Holds each call a random 0..N ms before it is counted (network jitter); default 0. */
  readonly arrivalJitter?: number
  /** `get_tag` answers out of request order (`--shuffle-response`). */
  readonly shuffleResponse?: boolean
}

/** Starts an emulator (its rate limit is strict: stamped at arrival, refused calls counted). */
export const startEmulator = (options: EmulatorSettings = {}): Promise<EmulatorProcess> =>
  new Promise((resolve, reject) => {
    const args = [bin(), "--port", "0", "--sdkappid", String(app.sdkAppId), "--admin", app.admin]
    if (options.rateLimit !== undefined) {
      args.push("--rate-limit", options.rateLimit === 0 ? "0" : String(options.rateLimit))
    }
    if (options.arrivalJitter !== undefined) args.push("--arrival-jitter", String(options.arrivalJitter))
    if (options.shuffleResponse === true) args.push("--shuffle-response")
    const child = spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TIM_SECRET_KEY: app.secretKey }
    })
    running.add(child)
    let stdout = ""
    let stderr = ""
    const timer = setTimeout(() => fail(new Error("the emulator did not start within 15 s")), 15_000)
    const fail = (error: Error) => {
      clearTimeout(timer)
      child.kill("SIGKILL")
      reject(new Error(`${error.message}\n${stderr}`))
    }
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.once("exit", (code) => {
      running.delete(child)
      fail(new Error(`the emulator exited with code ${code}`))
    })
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
      const match = /timtags-emulator listening on (http:\/\/\S+)/.exec(stdout)
      if (match === null) return
      clearTimeout(timer)
      child.stdout.removeAllListeners("data")
      child.stdout.resume()
      child.removeAllListeners("exit")
      child.once("exit", () => running.delete(child))
      const baseUrl = match[1]!
      const seed = (record: Record<string, ReadonlyArray<string>>) =>
        control(baseUrl, "POST", "seed", record).then(() => undefined)
      resolve({
        baseUrl,
        pid: child.pid!,
        seed,
        seedRange: async (count, name, tags = () => [], batch = 25_000) => {
          for (let start = 0; start < count; start += batch) {
            const record: Record<string, ReadonlyArray<string>> = {}
            for (let i = start; i < Math.min(count, start + batch); i++) record[name(i)] = tags(i)
            await seed(record)
          }
        },
        setAttrNames: (names) => control(baseUrl, "POST", "attr-names", { names }).then(() => undefined),
        seedAttrs: (record) => control(baseUrl, "POST", "attrs", record).then(() => undefined),
        setRateLimit: (limit) => control(baseUrl, "POST", "rate-limit", { limit }).then(() => undefined),
        rateLimit: () => control(baseUrl, "GET", "rate-limit"),
        restoreRateLimit: (settings) => control(baseUrl, "POST", "rate-limit", settings).then(() => undefined),
        injectFault: (spec) => control(baseUrl, "POST", "faults", spec).then(() => undefined),
        clearFaults: () => control(baseUrl, "DELETE", "faults").then(() => undefined),
        stats: () => control(baseUrl, "GET", "stats") as Promise<CallLog.Stats>,
        calls: () => control(baseUrl, "GET", "calls") as Promise<ReadonlyArray<CallLog.CallRecord>>,
        resetCalls: () => control(baseUrl, "POST", "reset-calls").then(() => undefined),
        readAccounts: (accounts) =>
          control(baseUrl, "POST", "read-accounts", accounts) as Promise<Record<string, StoredAccount | null>>,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.once("exit", () => done())
            child.kill("SIGTERM")
          })
      })
    })
  })

/** Runs `f` with a fresh emulator and always stops it. */
export const withEmulator = async <A>(
  options: EmulatorSettings,
  f: (emulator: EmulatorProcess) => Promise<A>
): Promise<A> => {
  const emulator = await startEmulator(options)
  try {
    return await f(emulator)
  } finally {
    await emulator.close()
  }
}
