/**
 * The emulator in a process of its own (its CLI, from the built package), for tests of timing at the
 * server: in the test's own process it would stamp arrivals on the client's event loop, so every
 * stall of the client would look like network bunching to it.
 */
import { type CallLog, UserSigVerifier } from "@timtags/emulator"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

/** A running emulator process and its control API. */
export interface EmulatorProcess {
  readonly baseUrl: string
  readonly control: (method: "GET" | "POST", path: string, body?: unknown) => Promise<unknown>
  readonly stats: () => Promise<CallLog.Stats>
  /**
   * Warms its JIT up with `calls` raw `get_tag` calls over `accounts` (its limit lifted meanwhile, then
   * restored, and the log emptied): a fresh emulator handles its first requests several times slower,
   * and since it stamps arrivals on its own event loop, that lag would look like bunching by the client.
   */
  readonly warmUp: (accounts: ReadonlyArray<string>, calls: number) => Promise<void>
  readonly close: () => Promise<void>
}

/** The emulator package's CLI, next to this package in the workspace (it runs the built `dist/`). */
const bin = fileURLToPath(new URL("../../../emulator/bin/timtags-emulator.js", import.meta.url))

/** Starts `timtags-emulator` with `args` on a free port; resolves once it listens. */
export const start = (sdkAppId: number, secretKey: string, args: ReadonlyArray<string>): Promise<EmulatorProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "--port", "0", "--sdkappid", String(sdkAppId), ...args], {
      env: { ...process.env, TIM_SECRET_KEY: secretKey },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    let err = ""
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk))
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code}: ${err}`)))
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk
      const baseUrl = /listening on (http:\/\/\S+)/.exec(out)?.[1]
      if (baseUrl === undefined) return
      child.removeAllListeners("exit")
      const control = async (method: "GET" | "POST", path: string, body?: unknown) => {
        const res = await fetch(`${baseUrl}/__emulator/${path}`, {
          method,
          ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } })
        })
        if (res.status !== 200) throw new Error(`emulator ${path}: HTTP ${res.status} ${await res.text()}`)
        return res.json()
      }
      const warmUp = async (accounts: ReadonlyArray<string>, calls: number) => {
        const settings = await control("GET", "rate-limit")
        await control("POST", "rate-limit", { limit: 0 })
        const usersig = encodeURIComponent(
          UserSigVerifier.signUserSig({ sdkAppId, secretKey, identifier: "administrator" })
        )
        for (let i = 0; i < calls; i++) {
          const url =
            `${baseUrl}/v4/timpush/get_tag?sdkappid=${sdkAppId}&identifier=administrator&usersig=${usersig}&random=${i}&contenttype=json`
          const body = JSON.stringify({
            To_Account: accounts.slice((i * 100) % accounts.length, ((i * 100) % accounts.length) + 100)
          })
          await (await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } })).text()
        }
        await control("POST", "rate-limit", settings)
        await control("POST", "reset-calls")
      }
      resolve({
        baseUrl,
        control,
        stats: () => control("GET", "stats") as Promise<CallLog.Stats>,
        warmUp,
        close: () =>
          new Promise<void>((done) => {
            child.once("exit", () => done())
            child.kill("SIGTERM")
          })
      })
    })
  })
