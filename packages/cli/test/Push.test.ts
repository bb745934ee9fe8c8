/**
 * `timtags push` as a subprocess against the emulator: `--dry-run` prints the exact bodies and the recipients the
 * emulator resolves and sends nothing; a real push needs `--yes` off a terminal (or `yes` typed on one); it is
 * sent once, and an ambiguous outcome is never resent, exits 1 and prints the MsgRandom.
 */
import { assert, beforeEach, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { bin, environment, ndjson, tempDir, timtags, useEmulator } from "./support/cli.js"
import { hasScript, onTerminal } from "./support/terminal.js"

// No push interval in this emulator: each test's push comes from a new process, which cannot space itself from
// the last test's, and a push refused for its interval and then dropped (AcceptThenDrop) would not be recorded.
const fixture = useEmulator({
  push: { minIntervalMillis: 0, dailyQuota: Infinity },
  seed: { alice: ["gold", "beta"], bob: ["gold"], carol: ["beta"] },
  attrs: { names: { "0": "city" }, values: { alice: { city: "Lisbon" }, carol: { city: "Porto" } } }
})
beforeEach(async () => {
  await fixture.emulator.resetCalls()
  await fixture.emulator.clearFaults()
})

/** The push commands the emulator received since the calls were last reset. */
const pushCalls = async () =>
  (await fixture.emulator.calls()).filter((call) => call.command === "push" || call.command === "batch")

/** The pushes the emulator accepted after the first `before`. */
const pushesSince = async (before: number) => (await fixture.emulator.pushes()).slice(before)

const dryRun = async (args: ReadonlyArray<string>, cwd?: string) => {
  const before = (await fixture.emulator.pushes()).length
  const ran = await timtags(["push", ...args, "--dry-run"], { env: fixture.env, ...(cwd === undefined ? {} : { cwd }) })
  assert.include(ran.stderr, "dry run: nothing was sent")
  assert.deepStrictEqual(await pushesSince(before), [])
  assert.deepStrictEqual(await pushCalls(), [])
  return { ...ran, document: JSON.parse(ran.stdout) }
}

describe("push --dry-run", () => {
  it("prints the exact push body and the recipients the emulator resolves; sends nothing", async () => {
    const { code, document } = await dryRun([
      ...["--tags-and", "gold", "--tags-not", "beta", "--title", "Sale", "--text", "20% off"],
      ...["--ext", "{\"deeplink\":\"app://sale\"}"]
    ])
    assert.strictEqual(code, 0)
    assert.deepStrictEqual(document.app, { sdkAppId: 1400000017, baseUrl: fixture.emulator.baseUrl })
    assert.strictEqual(document.requests.length, 1)
    const [{ body, command, recipients }] = document.requests
    assert.strictEqual(command, "timpush/push")
    assert.isTrue(Number.isInteger(body.MsgRandom) && body.MsgRandom >= 0 && body.MsgRandom < 2 ** 32)
    assert.deepStrictEqual(body, {
      From_Account: "administrator",
      MsgRandom: body.MsgRandom,
      Condition: { TagsAnd: ["gold"], TagsNot: ["beta"] },
      OfflinePushInfo: { Title: "Sale", Desc: "20% off", Ext: "{\"deeplink\":\"app://sale\"}" }
    })
    assert.deepStrictEqual(recipients, ["bob"])
  })

  it("an attribute condition is checked against the app's names (a read) and resolved by the emulator", async () => {
    const { code, document } = await dryRun(["--attrs-or", "city=Porto", "--attrs-or", "city=Faro", "--title", "Olá"])
    assert.strictEqual(code, 0)
    assert.deepStrictEqual(document.requests[0].body.Condition, { AttrsOr: { city: "Faro" } })
    assert.deepStrictEqual(document.requests[0].recipients, [])
    assert.deepStrictEqual((await fixture.emulator.calls()).map((call) => call.command), ["get_attr_name"])

    const unknown = await timtags(["push", "--attrs-and", "planet=Mars", "--title", "x", "--dry-run"], {
      env: fixture.env
    })
    assert.strictEqual(unknown.code, 2)
    assert.include(unknown.stderr, "expected an attribute the app has named (city)")
  })

  it("--all-users has no Condition and reaches every account; --notification passes vendor fields", async () => {
    const dir = tempDir()
    writeFileSync(
      join(dir, "note.json"),
      JSON.stringify({
        Title: "from the file",
        Desc: "kept",
        AndroidInfo: { HuaWeiCategory: "MARKETING", NewField: 1 }
      })
    )
    const { code, document } = await dryRun(["--all-users", "--notification", "note.json", "--title", "flag"], dir)
    assert.strictEqual(code, 0)
    const [{ body, recipients }] = document.requests
    assert.notProperty(body, "Condition")
    assert.deepStrictEqual(body.OfflinePushInfo, {
      Title: "flag",
      Desc: "kept",
      AndroidInfo: { HuaWeiCategory: "MARKETING", NewField: 1 }
    })
    assert.deepStrictEqual(recipients, ["alice", "bob", "carol"])
  })

  it("listed accounts: one batch body of each account once, recipients and missing; a refused account, exit 1", async () => {
    const dir = tempDir()
    writeFileSync(join(dir, "winners.txt"), ["carol", "ghost", "carol", "x".repeat(33), "alice"].join("\n"))
    const { code, document, stderr } = await dryRun(["--accounts-from", "winners.txt", "--title", "Prize"], dir)
    assert.strictEqual(code, 1)
    assert.deepStrictEqual(document.requests.map((request: any) => request.command), ["timpush/batch"])
    const [{ body, missing, recipients }] = document.requests
    assert.deepStrictEqual(body.To_Account, ["carol", "ghost", "alice"])
    assert.deepStrictEqual([recipients, missing], [["carol", "alice"], ["ghost"]])
    assert.deepStrictEqual(document.refused.map((row: any) => [row.account, row.error._tag]), [
      ["x".repeat(33), "TimValidationError"]
    ])
    assert.include(stderr, "1 of 4 accounts failed")
  })
})

describe("push, for real", () => {
  it("without --yes off a terminal refuses before anything is sent (exit 2)", async () => {
    const before = (await fixture.emulator.pushes()).length
    const ran = await timtags(["push", "--tags-and", "gold", "--title", "Sale"], { env: fixture.env })
    assert.strictEqual(ran.code, 2)
    assert.strictEqual(ran.stdout, "")
    assert.include(ran.stderr, "a real push needs --yes off a terminal; nothing was sent")
    assert.deepStrictEqual(await fixture.emulator.calls(), [])
    assert.deepStrictEqual(await pushesSince(before), [])
  })

  it("--yes sends it once: one push recorded with its recipients, the task on stdout (exit 0)", async () => {
    const before = (await fixture.emulator.pushes()).length
    const ran = await timtags(["push", "--tags-and", "gold", "--title", "Sale", "--text", "now", "--yes"], {
      env: fixture.env
    })
    assert.strictEqual(ran.code, 0, ran.stderr)
    const [task] = ndjson(ran.stdout)
    const pushed = await pushesSince(before)
    assert.strictEqual(pushed.length, 1)
    assert.deepStrictEqual(pushed[0]!.recipients, ["alice", "bob"])
    assert.deepStrictEqual(task, {
      status: "sent",
      target: "tags {\"TagsAnd\":[\"gold\"]}",
      taskId: pushed[0]!.taskId,
      msgRandom: pushed[0]!.msgRandom,
      sentAt: task.sentAt
    })
    assert.deepStrictEqual((await pushCalls()).length, 1)
  })

  it("an ambiguous outcome (AcceptThenDrop): exit 1, the MsgRandom and how to find out, one push recorded", async () => {
    const fault = { command: "push", times: 1, fault: { _tag: "AcceptThenDrop" } }
    const injected = await fetch(`${fixture.emulator.baseUrl}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify(fault)
    })
    assert.strictEqual(injected.status, 200)
    const before = (await fixture.emulator.pushes()).length
    const ran = await timtags(["push", "--tags-or", "beta", "--title", "Once", "--yes"], { env: fixture.env })
    assert.strictEqual(ran.code, 1)
    const pushed = await pushesSince(before)
    assert.strictEqual(pushed.length, 1)
    const msgRandom = pushed[0]!.msgRandom
    assert.deepInclude(ndjson(ran.stdout)[0], { status: "unknown", msgRandom })
    assert.include(ran.stderr, `MsgRandom  ${msgRandom}`)
    assert.include(ran.stderr, "it was NOT resent")
    assert.include(ran.stderr, "Do not push it again before you know whether it went out")
    assert.strictEqual((await pushCalls()).length, 1)
  })

  it("Ctrl-C while the push is in flight: exit 130, a warning that it may have gone out, one push recorded", async () => {
    await fixture.emulator.injectFault({
      command: "push",
      times: 1,
      fault: { _tag: "AcceptThenDelay", millis: 20_000 }
    })
    const before = (await fixture.emulator.pushes()).length
    const child = spawn(process.execPath, [bin, "push", "--tags-and", "gold", "--title", "Late", "--yes"], {
      env: environment(fixture.env),
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stderr = ""
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
    while ((await pushesSince(before)).length === 0) await new Promise((resolve) => setTimeout(resolve, 100))
    child.kill("SIGINT")
    assert.strictEqual(await exited, 130)
    assert.include(stderr, "interrupted while the push was being sent: it may or may not have gone out")
    assert.strictEqual((await pushesSince(before)).length, 1)
  })

  it("listed accounts: one row per account with its task; an unknown account fails alone (exit 1)", async () => {
    const dir = tempDir()
    writeFileSync(join(dir, "winners.txt"), "alice\nghost\ncarol\n")
    const before = (await fixture.emulator.pushes()).length
    const ran = await timtags(["push", "--accounts-from", "winners.txt", "--title", "Prize", "--yes"], {
      env: fixture.env,
      cwd: dir
    })
    assert.strictEqual(ran.code, 1)
    const [pushed] = await pushesSince(before)
    assert.deepStrictEqual(pushed?.recipients, ["alice", "carol"])
    assert.deepStrictEqual(ndjson(ran.stdout).map((row) => [row.account, row.status, row.task ?? row.error.code]), [
      ["alice", "ok", pushed?.taskId],
      ["ghost", "failed", 70107],
      ["carol", "ok", pushed?.taskId]
    ])
  })
})

describe("push usage errors: exit 2 and no call", () => {
  it("no target, two kinds of target, --tags-not alone, nothing to show, --ext not JSON", async () => {
    for (
      const [args, expected] of [
        [["--title", "x"], /no target \(there is no default\)\. .*--all-users for everyone/],
        [["--all-users", "--tags-and", "gold", "--title", "x"], /more than one kind of target: tags, --all-users/],
        [["--tags-not", "beta", "--title", "x"], /`not` alone reaches nearly every user/],
        [["--tags-and", "gold"], /nothing to show\. Give --title and --text, or --notification FILE/],
        [["--tags-and", "gold", "--ext", "{oops"], /--ext is not JSON/]
      ] as const
    ) {
      const ran = await timtags(["push", ...args, "--yes"], { env: fixture.env })
      assert.strictEqual(ran.code, 2, `${args.join(" ")}: ${ran.stderr}`)
      assert.match(ran.stderr, expected)
    }
    assert.deepStrictEqual(await fixture.emulator.calls(), [])
  })
})

describe("push to an empty list of accounts", () => {
  it("is refused, dry run or not (exit 2), and nothing is sent", async () => {
    const dir = tempDir()
    writeFileSync(join(dir, "none.txt"), "\n\n")
    for (const flag of ["--dry-run", "--yes"]) {
      const ran = await timtags(["push", "--accounts-from", "none.txt", "--title", "x", flag], {
        env: fixture.env,
        cwd: dir
      })
      assert.strictEqual(ran.code, 2, ran.stderr)
      assert.include(ran.stderr, "no accounts in --accounts-from none.txt")
    }
    assert.deepStrictEqual(await fixture.emulator.calls(), [])
  })
})

describe.skipIf(!hasScript)("push on a terminal", () => {
  it("shows what is about to go out and sends only when `yes` is typed", async () => {
    const before = (await fixture.emulator.pushes()).length
    const refused = await onTerminal(["push", "--tags-and", "gold", "--title", "Typed"], fixture.env, "no\n")
    assert.strictEqual(refused.code, 2, refused.screen)
    assert.include(refused.screen, `app     SDKAppID 1400000017 at ${fixture.emulator.baseUrl}`)
    assert.include(refused.screen, "to      tags {\"TagsAnd\":[\"gold\"]}")
    assert.include(refused.screen, "not confirmed; nothing was sent")
    assert.deepStrictEqual(await pushesSince(before), [])

    const sent = await onTerminal(["push", "--tags-and", "gold", "--title", "Typed"], fixture.env, "yes\n")
    assert.strictEqual(sent.code, 0, sent.screen)
    assert.deepStrictEqual((await pushesSince(before)).map((push) => push.recipients), [["alice", "bob"]])
  })
})
