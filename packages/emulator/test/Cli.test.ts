import { assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { once } from "node:events"
import { mkdtempSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as EmulatorCli from "../src/EmulatorCli.js"
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

/** A seed file with `record` in a new temporary directory. */
const seedFile = (record: Record<string, ReadonlyArray<string>>) => {
  const file = join(mkdtempSync(join(tmpdir(), "timtags-emulator-")), "seed.json")
  writeFileSync(file, JSON.stringify(record))
  return file
}

/** Resolves once `done()` holds (checked every 10 ms, for at most 5 s). */
const waitFor = async (done: () => boolean) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
}

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
    const { baseUrl, child, output } = await start([
      ...["--port", "0", "--sdkappid", String(app.sdkAppId), "--key", app.secretKey],
      ...["--seed", seedFile({ alice: ["vip"] }), "--rate-limit", "1"]
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

  it("exits 2 with the help and the error on stderr, nothing on stdout, without printing the key", async () => {
    const valid = ["--sdkappid", "1400000000", "--key", secretKey]
    const cases: ReadonlyArray<readonly [args: ReadonlyArray<string>, error: string]> = [
      [["--sdkappid", "1400000000"], "Missing required flag: --key"],
      [["--key", secretKey], "Missing required flag: --sdkappid"],
      [["--sdkappid", "abc", "--key", secretKey], `--sdkappid (or TIM_SDKAPPID) must be a positive integer, got "abc"`],
      [[...valid, "--port", "nope"], `Invalid value for flag --port: "nope"`],
      [[...valid, "--port", "70000"], "a port number in 0..65535"],
      [[...valid, "--rate-limit", "-3"], "a number of calls per second >= 0, or Infinity"],
      [[...valid, "--arrival-jitter=-1"], "a whole number of milliseconds >= 0"],
      [[...valid, "--arrival-jitter=1.5"], `Invalid value for flag --arrival-jitter: "1.5"`],
      [[...valid, "--arrival-jitter=abc"], `Invalid value for flag --arrival-jitter: "abc"`],
      [[...valid, "--count-refused=maybe"], `Invalid value for flag --count-refused: "maybe"`],
      [[...valid, "--bogus"], "Unrecognized flag: --bogus"]
    ]
    const results = await Promise.all(cases.map(([args]) => run(args)))
    results.forEach((result, i) => {
      const [args, error] = cases[i]!
      const label = args.join(" ")
      assert.strictEqual(result.code, 2, label)
      assert.include(result.stderr, error, label)
      assert.include(result.stderr, "USAGE\n  timtags-emulator [flags]", label)
      assert.strictEqual(result.stdout, "", label)
      assert.notInclude(result.stderr, secretKey, label)
    })
  })

  it("reports a bad seed file by its name and what is wrong with it (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "timtags-emulator-seed-"))
    const file = (name: string, content: string) => {
      writeFileSync(join(dir, name), content)
      return join(dir, name)
    }
    const cases = [
      [join(dir, "missing.json"), "cannot read the seed file (no such file)"],
      [dir, "cannot read the seed file (not a readable file)"],
      [file("broken.json", `{"alice": ["vip"]`), "the seed file is not JSON ("],
      [file("list.json", `["alice"]`), "the seed file must be a JSON object of accounts to arrays of tags"],
      [
        file("number-tag.json", `{"alice": ["vip", 7]}`),
        `must be a JSON object of accounts to arrays of tags, such as {"alice": ["vip"], "bob": []}; Expected string at ["alice"][1]`
      ]
    ] as const
    const results = await Promise.all(
      cases.map(([seed]) => run(["--sdkappid", "1400000000", "--key", secretKey, "--seed", seed]))
    )
    results.forEach((result, i) => {
      const [seed, problem] = cases[i]!
      assert.strictEqual(result.code, 2, seed)
      assert.include(result.stderr, `--seed ${seed}: `, seed)
      assert.include(result.stderr, problem, seed)
    })
  })

  it("--help prints the flags on stdout and exits 0", async () => {
    const help = await run(["--help"])
    assert.strictEqual(help.code, 0)
    for (const flag of ["--sdkappid N", "--key KEY", "--seed FILE", "--log", "--rate-limit N|Infinity"]) {
      assert.include(help.stdout, flag)
    }
  })

  it("warns on stderr when bound beyond loopback, and not on loopback", async () => {
    const args = ["--port", "0", "--sdkappid", String(app.sdkAppId), "--key", app.secretKey]
    const [wide, local] = await Promise.all([start([...args, "--host", "0.0.0.0"]), start(args)])
    await Promise.all([stop(wide.child), stop(local.child)])
    assert.include(wide.output(), "timtags-emulator: warning: listening on 0.0.0.0, beyond loopback")
    assert.include(wide.output(), "need no credentials")
    assert.notInclude(local.output(), "warning")
    assert.strictEqual(EmulatorCli.exposureWarning("127.0.0.1"), undefined)
    assert.strictEqual(EmulatorCli.exposureWarning("::1"), undefined)
    assert.strictEqual(EmulatorCli.exposureWarning("localhost"), undefined)
    assert.isString(EmulatorCli.exposureWarning("::"))
    assert.isString(EmulatorCli.exposureWarning("192.168.1.20"))
  })

  it("--log prints one line per call, never the UserSig or the query", async () => {
    const { baseUrl, child, output } = await start([
      ...["--sdkappid", String(app.sdkAppId), "--key", app.secretKey, "--log"],
      ...["--seed", seedFile({ alice: ["vip"] })]
    ])
    const usersig = signUserSig({ sdkAppId: app.sdkAppId, secretKey: app.secretKey, identifier: app.admin })
    try {
      await Effect.runPromise(
        call(baseUrl, "timpush/get_tag", { To_Account: ["alice", "bob"] }, { query: { usersig } })
      )
      await Effect.runPromise(call(baseUrl, "timpush/add_tag", {}, { query: { usersig: "forged" } }))
      await waitFor(() => output().split("\n").filter((line) => /Z (get|add)_tag /.test(line)).length === 2)
    } finally {
      await stop(child)
    }
    const lines = output().split("\n").filter((line) => /Z (get|add)_tag /.test(line))
    assert.match(lines[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z get_tag accounts=2 code=0 http=200 \d+ms$/)
    assert.match(lines[1]!, /^\S+ add_tag accounts=0 code=70003 http=200 \d+ms$/)
    for (const secret of [usersig, "forged", "usersig=", app.secretKey]) assert.notInclude(output(), secret)
  })

  it("exits 1, saying why, when the port is taken", async () => {
    const first = await start(["--sdkappid", String(app.sdkAppId), "--key", app.secretKey])
    try {
      const port = new URL(first.baseUrl).port
      const second = await run(["--sdkappid", String(app.sdkAppId), "--key", secretKey, "--port", port])
      assert.strictEqual(second.code, 1)
      assert.include(second.stderr, `timtags-emulator: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`)
      assert.notInclude(second.stderr, secretKey)
    } finally {
      await stop(first.child)
    }
  })
})
