/**
 * Usage and configuration errors exit 2 with a message on stderr, nothing on stdout, and nothing sent (the
 * emulator's call log stays empty); flags override the environment; the secret key comes only from the
 * environment or a file and never shows in any output.
 */
import { assert, beforeEach, describe, it } from "@effect/vitest"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { app, ndjson, tempDir, timtags, useEmulator } from "./support/cli.js"

const fixture = useEmulator({ seed: { alice: ["vip"] } })
beforeEach(() => fixture.emulator.resetCalls())

/** Runs and checks the usage-error contract: exit 2, stdout empty, stderr saying `expected`, no call. */
const refused = async (args: ReadonlyArray<string>, runEnv: Record<string, string>, expected: RegExp) => {
  const ran = await timtags(args, { env: runEnv })
  assert.strictEqual(ran.code, 2, `${ran.stdout}\n${ran.stderr}`)
  assert.strictEqual(ran.stdout, "")
  assert.match(ran.stderr, expected)
  assert.deepStrictEqual(await fixture.emulator.calls(), [])
  return ran
}

describe("usage errors", () => {
  it("an unknown flag exits 2 with the command's usage and the error on stderr", async () => {
    const ran = await refused(["get-tag", "--bogus", "alice"], fixture.env, /Unrecognized flag: --bogus/)
    assert.include(ran.stderr, "USAGE\n  timtags get-tag [flags] [<account...>]")
  })

  it("a bad --format value, an unknown command and a missing --tag exit 2", async () => {
    await refused(["get-tag", "--format", "xml", "alice"], fixture.env, /Invalid value for flag --format: "xml"/)
    await refused(["get-tags", "alice"], fixture.env, /Unknown subcommand "get-tags"/)
    await refused(["add-tag", "alice"], fixture.env, /--tag/)
  })

  it("no accounts, or accounts both as arguments and --from, exit 2", async () => {
    await refused(["get-tag"], fixture.env, /no accounts\. Give them as arguments, or with --from FILE/)
    await refused(["get-tag", "alice", "--from", "x.txt"], fixture.env, /both as arguments and with --from/)
    await refused(
      ["get-tag", "--from", "/nonexistent/accounts.txt"],
      fixture.env,
      /--from "\/nonexistent\/accounts.txt" does not exist/
    )
  })

  it("--help prints the command's usage and examples on stdout, exit 0", async () => {
    const ran = await timtags(["add-tag", "--help"], { env: fixture.env })
    assert.strictEqual(ran.code, 0)
    assert.include(ran.stdout, "timtags add-tag --tag vip --tag beta alice bob")
    assert.include(ran.stdout, "--secret-key-file FILE")
  })

  it("emulator --help is the emulator's own command line, mounted: its flags and examples, exit 0", async () => {
    const ran = await timtags(["emulator", "--help"], { env: fixture.env })
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.include(ran.stdout, "timtags emulator [flags]")
    for (const flag of ["--sdkappid N", "--key KEY", "--port PORT", "--seed FILE"]) assert.include(ran.stdout, flag)
    const wrong = await timtags(["emulator", "--port", "x"], { env: fixture.env })
    assert.strictEqual(wrong.code, 2)
  })

  it("--completions bash prints a completion script naming the commands", async () => {
    const ran = await timtags(["--completions", "bash"], { env: fixture.env })
    assert.strictEqual(ran.code, 0)
    for (
      const command of [
        "get-tag",
        "add-tag",
        "remove-tag",
        "clear-tags",
        "export",
        "import",
        "attrs",
        "push",
        "emulator"
      ]
    ) {
      assert.include(ran.stdout, command)
    }
  })
})

describe("configuration errors", () => {
  it("a missing TIM_SDKAPPID is named, with how to fix it", async () => {
    const { TIM_SDKAPPID: _, ...rest } = fixture.env
    await refused(
      ["get-tag", "alice"],
      rest,
      /configuration: TIM_SDKAPPID: Expected a positive integer SDKAppID at TIM_SDKAPPID, got nothing \(not set\)\. Set TIM_SDKAPPID .* or pass --sdk-app-id/
    )
  })

  it("a bad --region names the flag and the regions; --region with --base-url is refused", async () => {
    await refused(
      ["get-tag", "--region", "Mars", "alice"],
      fixture.env,
      /configuration: --region: Expected a region at --region: one of China, .*got "Mars"/
    )
    await refused(
      ["get-tag", "--region", "Tokyo", "--base-url", fixture.emulator.baseUrl, "alice"],
      fixture.env,
      /--region and --base-url both given/
    )
  })

  it("no secret key at all names TIM_SECRET_KEY and --secret-key-file", async () => {
    const { TIM_SECRET_KEY: _, ...rest } = fixture.env
    await refused(["get-tag", "alice"], rest, /TIM_SECRET_KEY.*--secret-key-file/)
  })

  it("a missing or empty --secret-key-file is refused", async () => {
    const dir = tempDir()
    writeFileSync(join(dir, "empty.key"), "\n")
    await refused(
      ["get-tag", "--secret-key-file", join(dir, "none.key"), "alice"],
      fixture.env,
      /--secret-key-file .* does not exist/
    )
    await refused(
      ["get-tag", "--secret-key-file", join(dir, "empty.key"), "alice"],
      fixture.env,
      /--secret-key-file ".*empty.key" is empty/
    )
  })

  it("there is no flag that takes the secret key itself", async () => {
    await refused(["get-tag", "--secret-key", app.secretKey, "alice"], fixture.env, /Unrecognized flag: --secret-key\b/)
  })
})

describe("configuration from flags", () => {
  it("flags override the environment: --sdk-app-id, --base-url, --secret-key-file", async () => {
    const dir = tempDir()
    writeFileSync(join(dir, "key"), `${app.secretKey}\n`)
    const wrong = { TIM_SDKAPPID: "1400000999", TIM_SECRET_KEY: "wrong-key", TIM_BASE_URL: "http://127.0.0.1:9" }
    const ran = await timtags([
      "get-tag",
      "alice",
      ...[
        "--sdk-app-id",
        String(app.sdkAppId),
        "--base-url",
        fixture.emulator.baseUrl,
        "--secret-key-file",
        join(dir, "key")
      ]
    ], { env: wrong })
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.deepStrictEqual(ndjson(ran.stdout), [{ account: "alice", status: "ok", tags: ["vip"] }])
  })

  it("--identifier is the admin that signs: an unknown admin is refused by the server", async () => {
    const ran = await timtags(["get-tag", "alice", "--identifier", "not-the-admin"], { env: fixture.env })
    assert.strictEqual(ran.code, 1)
    assert.match(ran.stderr, /stopped part-way, 1 account done: .*90009 Permission/)
  })

  it("a wrong key stops at the first answer (exit 1) with the library's hint, never the key", async () => {
    const ran = await timtags(["get-tag", "alice", "carol"], {
      env: { ...fixture.env, TIM_SECRET_KEY: "a-wrong-key-Zz9" }
    })
    assert.strictEqual(ran.code, 1)
    assert.match(
      ran.stderr,
      /stopped part-way, 2 accounts done: .*70009 Credentials.*the SecretKey does not belong to this SDKAppID/
    )
    assert.notInclude(ran.stdout + ran.stderr, "a-wrong-key-Zz9")
    assert.strictEqual((await fixture.emulator.calls()).length, 1)
  })
})
