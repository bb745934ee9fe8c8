/**
 * `timtags emulator`: the emulator's own command, mounted; it serves the other commands until interrupted, and
 * then exits 130 like any interrupted timtags command (the `timtags-emulator` bin exits 0).
 */
import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { appEnv, bin, environment, ndjson, tempDir, timtags } from "./support/cli.js"

describe("timtags emulator", () => {
  it("starts an emulator that the other commands reach, and stops on SIGTERM (exit 130)", async () => {
    const dir = tempDir()
    writeFileSync(join(dir, "seed.json"), JSON.stringify({ alice: ["vip"] }))
    const child = spawn(
      process.execPath,
      [
        bin,
        "emulator",
        "--port",
        "0",
        "--sdkappid",
        "1400000017",
        "--key",
        "cli-test-secret-Qx7vK2",
        "--seed",
        "seed.json"
      ],
      { cwd: dir, env: environment({}), stdio: ["ignore", "pipe", "pipe"] }
    )
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
    try {
      const baseUrl = await new Promise<string>((resolve, reject) => {
        let stdout = ""
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          stdout += chunk
          const match = /timtags-emulator listening on (http:\/\/\S+)/.exec(stdout)
          if (match?.[1] !== undefined) resolve(match[1])
        })
        child.on("exit", (code) => reject(new Error(`exited with ${code} before listening: ${stdout}`)))
      })
      const ran = await timtags(["get-tag", "alice"], { env: appEnv(baseUrl) })
      assert.strictEqual(ran.code, 0, ran.stderr)
      assert.deepStrictEqual(ndjson(ran.stdout), [{ account: "alice", status: "ok", tags: ["vip"] }])
    } finally {
      child.kill("SIGTERM")
    }
    assert.strictEqual(await exited, 130)
  })
})
