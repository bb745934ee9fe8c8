import { assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { once } from "node:events"
import { mkdtempSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { signUserSig } from "../src/UserSigVerifier.js"
import { app, call, codeOf } from "./helpers.js"

const packageDir = fileURLToPath(new URL("..", import.meta.url))
const bin = join(packageDir, "bin", "timtags-emulator.js")
const secretKey = "cli-secret-key-do-not-print"

/** Spawns the built CLI; resolves with the base URL from its listening line. */
const start = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) =>
  new Promise<{ child: ChildProcess; baseUrl: string; output: () => string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: "pipe" })
    let output = ""
    child.stdout.on("data", (chunk) => {
      output += chunk
      const match = /^timtags-emulator listening on (http:\/\/\S+)$/m.exec(output)
      if (match) resolve({ child, baseUrl: match[1]!, output: () => output })
    })
    child.stderr.on("data", (chunk) => (output += chunk))
    child.on("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)))
  })

/** Runs the CLI to completion. */
const run = (args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const env = { ...process.env, TIM_SECRET_KEY: "", TIM_SDKAPPID: "" }
    const child = spawn(process.execPath, [bin, ...args], { env })
    let stdout = "", stderr = ""
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => (stderr += chunk))
    child.on("exit", (code) => resolve({ code, stdout, stderr }))
  })

const stop = async (child: ChildProcess) => {
  const exited = once(child, "exit")
  child.kill("SIGTERM")
  const [code] = await exited
  return code as number | null
}

describe("timtags-emulator CLI", () => {
  beforeAll(() => {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
    execFileSync(process.execPath, [tsc, "-b", join(packageDir, "tsconfig.src.json")], { stdio: "inherit" })
  }, 120_000)

  it("listens, serves the REST API with a seed file, and exits 0 on SIGTERM", async () => {
    const seedFile = join(mkdtempSync(join(tmpdir(), "timtags-emulator-")), "seed.json")
    writeFileSync(seedFile, JSON.stringify({ alice: ["vip"] }))
    const { baseUrl, child, output } = await start([
      ...["--port", "0", "--sdkappid", String(app.sdkAppId), "--key", app.secretKey],
      ...["--seed", seedFile, "--rate-limit", "1"]
    ])
    try {
      assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
      const getTag = call(baseUrl, "timpush/get_tag", { To_Account: ["alice"] })
      const answer = await Effect.runPromise(getTag)
      assert.deepStrictEqual(answer.json.UserTags, [{ To_Account: "alice", Tags: ["vip"] }])
      assert.strictEqual(codeOf(await Effect.runPromise(getTag)), 60007)
    } finally {
      assert.strictEqual(await stop(child), 0)
    }
    assert.notInclude(output(), app.secretKey)
  })

  it("reads TIM_SDKAPPID and TIM_SECRET_KEY, and honours --admin", async () => {
    const { baseUrl, child, output } = await start(["--admin", "boss"], {
      TIM_SDKAPPID: String(app.sdkAppId),
      TIM_SECRET_KEY: secretKey
    })
    const codeAs = (identifier: string, key: string) => {
      const usersig = signUserSig({ sdkAppId: app.sdkAppId, secretKey: key, identifier })
      return Effect.runPromise(call(baseUrl, "timpush/get_tag", { To_Account: [] }, { query: { identifier, usersig } }))
        .then(codeOf)
    }
    try {
      assert.strictEqual(await codeAs("boss", app.secretKey), 70009) // the key comes from TIM_SECRET_KEY
      assert.strictEqual(await codeAs("administrator", secretKey), 90009)
      assert.strictEqual(await codeAs("boss", secretKey), 0)
    } finally {
      await stop(child)
    }
    assert.notInclude(output(), secretKey)
  })

  it("sets the rate limit's mode: strict by default, lenient and jittered with the flags", async () => {
    const settingsOf = async (args: ReadonlyArray<string>) => {
      const { baseUrl, child } = await start(["--sdkappid", String(app.sdkAppId), "--key", app.secretKey, ...args])
      try {
        return await fetch(`${baseUrl}/__emulator/rate-limit`).then((response) => response.json())
      } finally {
        await stop(child)
      }
    }
    const [defaults, lenient, explicit] = await Promise.all([
      settingsOf([]),
      settingsOf(["--no-stamp-at-arrival", "--no-count-refused", "--arrival-jitter", "7", "--rate-limit", "Infinity"]),
      settingsOf(["--stamp-at-arrival", "--count-refused", "--arrival-jitter", "0", "--rate-limit", "5"])
    ])
    assert.deepStrictEqual(defaults, { limit: 100, stampAtArrival: true, countRefused: true, arrivalJitter: 0 })
    assert.deepStrictEqual(lenient, { limit: "Infinity", stampAtArrival: false, countRefused: false, arrivalJitter: 7 })
    assert.deepStrictEqual(explicit, { limit: 5, stampAtArrival: true, countRefused: true, arrivalJitter: 0 })
  })

  it("exits 2 with a usage message, without printing the key, when options are missing or invalid", async () => {
    const missingKey = await run(["--sdkappid", "1400000000"])
    assert.strictEqual(missingKey.code, 2)
    assert.include(missingKey.stderr, "--key")
    const badPort = await run(["--sdkappid", "1400000000", "--key", secretKey, "--port", "nope"])
    assert.strictEqual(badPort.code, 2)
    assert.include(badPort.stderr, "--port")
    assert.notInclude(badPort.stderr + badPort.stdout, secretKey)
    const valid = ["--sdkappid", "1400000000", "--key", secretKey]
    const jitters = ["--arrival-jitter=-1", "--arrival-jitter=1.5", "--arrival-jitter=abc", "--arrival-jitter="]
    const [valued, ...badJitters] = await Promise.all(
      [["--count-refused=yes"], ...jitters.map((jitter) => [jitter])].map((args) => run([...valid, ...args]))
    )
    badJitters.forEach((bad, i) => {
      assert.strictEqual(bad.code, 2, jitters[i])
      assert.include(bad.stderr, "--arrival-jitter must be a whole number", jitters[i])
      assert.include(bad.stderr, "usage: timtags-emulator")
    })
    assert.strictEqual(valued.code, 2)
    assert.include(valued.stderr, "--count-refused")
  })
})
