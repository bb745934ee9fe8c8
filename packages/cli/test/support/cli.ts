/**
 * Running the built `timtags` bin as a subprocess, the way a shell does, against an emulator: a clean
 * environment (no TIM_* of the caller), the app's settings, optional stdin; every run is checked to print
 * nothing of the secret key.
 */
import { afterAll, beforeAll } from "@effect/vitest"
import { Emulator } from "@timtags/emulator"
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The bin, as installed packages run it. */
export const bin = fileURLToPath(new URL("../../bin/timtags.js", import.meta.url))

/** The app the emulator serves; the key is distinctive so that a leak is found. */
export const app = { sdkAppId: 1400000017, secretKey: "cli-test-secret-Qx7vK2" } as const

/** What a run printed and how it ended. */
export interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** The environment of a run: the caller's without any TIM_* variable, plus `env`. */
export const environment = (env: Readonly<Record<string, string>>): NodeJS.ProcessEnv => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TIM_")))
  return { ...clean, NO_COLOR: "1", ...env }
}

/** The settings that point the bin at an emulator. */
export const appEnv = (baseUrl: string): Record<string, string> => ({
  TIM_SDKAPPID: String(app.sdkAppId),
  TIM_SECRET_KEY: app.secretKey,
  TIM_BASE_URL: baseUrl
})

/** Runs `timtags args…` to its end; fails if the secret key shows up in its output. */
export const timtags = (
  args: ReadonlyArray<string>,
  options: { readonly env: Readonly<Record<string, string>>; readonly stdin?: string; readonly cwd?: string }
): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: environment(options.env),
      cwd: options.cwd ?? process.cwd(),
      stdio: "pipe"
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (code) => {
      if (`${stdout}${stderr}`.includes(app.secretKey)) {
        reject(new Error(`timtags ${args.join(" ")} printed the secret key:\n${stdout}\n${stderr}`))
      } else resolve({ code, stdout, stderr })
    })
    child.stdin.end(options.stdin ?? "")
  })

/** The objects of NDJSON text. */
export const ndjson = (text: string): Array<any> =>
  text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line))

/** A fresh temporary directory. */
export const tempDir = (): string => mkdtempSync(join(tmpdir(), "timtags-cli-"))

/** An emulator for a test file, and the environment that points the bin at it. */
export interface Fixture {
  readonly emulator: Emulator.RunningEmulator
  readonly env: Record<string, string>
}

/** Starts an emulator before the file's tests and stops it after them; read it from the result inside tests. */
export const useEmulator = (options: Partial<Emulator.EmulatorOptions> = {}): Fixture => {
  let running: Emulator.RunningEmulator | undefined
  beforeAll(async () => {
    running = await Emulator.startEmulator({ ...app, ...options })
  })
  afterAll(() => running?.close())
  return {
    get emulator() {
      if (running === undefined) throw new Error("the emulator is not started yet (use it inside a test)")
      return running
    },
    get env() {
      return appEnv(this.emulator.baseUrl)
    }
  }
}

/** The number of accounts the emulator received for each command since its calls were last reset. */
export const accountsSent = async (emulator: Emulator.RunningEmulator): Promise<Record<string, number>> => {
  const sent: Record<string, number> = {}
  for (const call of await emulator.calls()) sent[call.command] = (sent[call.command] ?? 0) + call.accounts
  return sent
}
