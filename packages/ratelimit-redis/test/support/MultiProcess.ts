/**
 * Runs K worker processes (`worker.ts`, through tsx with the `@timtags/source` condition) against one emulator
 * and one Redis, starts them together and collects their reports. Used by `MultiProcess.test.ts` and by the
 * `multiprocess` benchmark scenario.
 */
import { spawn } from "node:child_process"
import { createRequire } from "node:module"
import * as Os from "node:os"
import { fileURLToPath, pathToFileURL } from "node:url"

/** What one worker does. */
export interface WorkerSpec {
  readonly id: number
  readonly baseUrl: string
  readonly sdkAppId: number
  readonly secretKey: string
  readonly redisUrl: string
  /** Redis key prefix (use a fresh one per run). */
  readonly prefix: string
  /** Accounts `${accountPrefix}${from}` … `${accountPrefix}${from + count - 1}`. */
  readonly accountPrefix: string
  readonly from: number
  readonly count: number
  readonly limit?: number
  readonly marginMillis?: number
  /** Accounts (of its own) to look up once before saying "ready", to warm the process up. */
  readonly warmUp?: number
}

/** What one worker did. */
export interface WorkerReport {
  readonly id: number
  readonly accounts: number
  readonly found: number
  /** Failed accounts by error tag. */
  readonly errors: Readonly<Record<string, number>>
  /** Epoch ms around its `getTagsMany`. */
  readonly startedAt: number
  readonly endedAt: number
  /** Warnings (and errors) it logged: a Redis outage logs one. */
  readonly warnings: ReadonlyArray<string>
}

/** Messages between the parent and a worker. */
export type WorkerMessage =
  | { readonly type: "ready"; readonly id: number }
  | { readonly type: "go" }
  | { readonly type: "done"; readonly report: WorkerReport }

/** The worker script's path. */
export const workerScript = fileURLToPath(new URL("./worker.ts", import.meta.url))

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href

/** Account names `${prefix}${i}` for i in [from, from + count). */
export const accountNames = (prefix: string, from: number, count: number): Array<string> =>
  Array.from({ length: count }, (_, i) => `${prefix}${from + i}`)

/**
 * Starts one process per spec, waits until every one has built its client (Redis connected) and warmed up, runs
 * `beforeGo`, sends "go" to all at once and resolves with their reports. Rejects (and kills the rest) if one fails or `timeoutMillis` passes.
 */
export const runWorkers = (
  specs: ReadonlyArray<WorkerSpec>,
  options: {
    readonly timeoutMillis?: number
    /** Runs once every worker is ready, before "go" (e.g. to clear the emulator's call log after warm-up). */
    readonly beforeGo?: () => Promise<void>
    /**
     * Scheduling niceness of the workers; default 10. On a small machine the processes compete for CPU; the
     * emulator, which timestamps every call, must not be the one that waits, or its log shows bunched arrivals
     * that no client sent. (A late worker is the limiter's business: it reserves again.)
     */
    readonly nice?: number
    /** The worker script (default `worker.ts`); another one must speak the same messages. */
    readonly script?: string
  } = {}
): Promise<ReadonlyArray<WorkerReport>> =>
  new Promise((resolve, reject) => {
    const reports = new Map<number, WorkerReport>()
    const ready = new Set<number>()
    const outputs = new Map<number, string>()
    let settled = false
    const children = specs.map((spec) => {
      const child = spawn(
        process.execPath,
        ["--conditions=@timtags/source", "--import", tsxLoader, options.script ?? workerScript],
        {
          env: { ...process.env, TIMTAGS_WORKER: JSON.stringify(spec) },
          stdio: ["ignore", "pipe", "pipe", "ipc"]
        }
      )
      try {
        if (child.pid !== undefined) Os.setPriority(child.pid, options.nice ?? 10)
      } catch {
        // not permitted here: run at normal priority
      }
      outputs.set(spec.id, "")
      const collect = (chunk: Buffer) => outputs.set(spec.id, (outputs.get(spec.id)! + chunk.toString()).slice(-4000))
      child.stdout?.on("data", collect)
      child.stderr?.on("data", collect)
      child.on("message", (message: WorkerMessage) => {
        if (message.type === "ready") {
          ready.add(message.id)
          if (ready.size === specs.length) {
            ;(options.beforeGo ?? (() => Promise.resolve()))().then(
              () => {
                for (const c of children) c.send({ type: "go" } satisfies WorkerMessage)
              },
              (error) => finish(error instanceof Error ? error : new Error(String(error)))
            )
          }
        } else if (message.type === "done") {
          reports.set(message.report.id, message.report)
        }
      })
      child.on("exit", (code, signal) => {
        if (settled) return
        if (code !== 0 || !reports.has(spec.id)) {
          finish(new Error(`worker ${spec.id} exited (${code ?? signal}) without a report:\n${outputs.get(spec.id)}`))
        } else if (reports.size === specs.length) {
          finish(undefined)
        }
      })
      return child
    })
    const timer = setTimeout(
      () => finish(new Error(`workers did not finish within ${options.timeoutMillis ?? 120_000} ms`)),
      options.timeoutMillis ?? 120_000
    )
    function finish(error: Error | undefined) {
      if (settled) return
      settled = true
      clearTimeout(timer)
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
      if (error === undefined) resolve(specs.map((spec) => reports.get(spec.id)!))
      else reject(error)
    }
  })
