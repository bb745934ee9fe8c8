/**
 * `timtags import` against the emulator: add and replace semantics, the report, `--resume` sending nothing
 * twice (the emulator's call log counts what arrived), and the checks that refuse an unsafe import before
 * anything is sent.
 */
import { assert, beforeEach, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { once } from "node:events"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { accountsSent, bin, environment, ndjson, tempDir, timtags, useEmulator } from "./support/cli.js"

let dir: string

const fixture = useEmulator()
beforeEach(async () => {
  dir = tempDir()
  await fixture.emulator.clearFaults()
  await fixture.emulator.resetCalls()
})

const write = (name: string, text: string) => writeFileSync(join(dir, name), text)
const run = (args: ReadonlyArray<string>) => timtags(args, { env: fixture.env, cwd: dir })
const tagsOf = async (account: string) => [...((await fixture.emulator.tagsOf(account)) ?? [])].sort()
const summary = (stdout: string) => ndjson(stdout)[0]

describe("import", () => {
  it("adds the tags of a CSV file and reports each account by line", async () => {
    await fixture.emulator.seed({ i1: ["old"], i2: [], i3: [] })
    write("tags.csv", "account,tags\ni1,vip;beta\n\ni2,\"eu\"\ni3,\n")
    const ran = await run(["import", "tags.csv"])
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.deepInclude(summary(ran.stdout), { records: 3, ignored: 0, skipped: 0, sent: 3, ok: 3, failed: 0 })
    assert.deepStrictEqual(await Promise.all(["i1", "i2", "i3"].map(tagsOf)), [["beta", "old", "vip"], ["eu"], []])
    const report = ndjson(readFileSync(join(dir, "tags.csv.report.ndjson"), "utf8"))
    assert.deepInclude(report[0], { import: "tags.csv", replace: false })
    assert.deepStrictEqual(report.slice(1), [
      { line: 2, account: "i1", status: "ok" },
      { line: 4, account: "i2", status: "ok" },
      { line: 5, account: "i3", status: "ok" }
    ])
    assert.deepStrictEqual(await accountsSent(fixture.emulator), { add_tag: 2 })
  })

  it("with --replace, the file's tags become each account's, and no tags clears them", async () => {
    await fixture.emulator.seed({ j1: ["old"], j2: ["old"] })
    write("tags.ndjson", "{\"account\":\"j1\",\"tags\":[\"gold\"]}\n{\"account\":\"j2\",\"tags\":[]}\n")
    const ran = await run(["import", "--replace", "tags.ndjson"])
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.deepStrictEqual([await tagsOf("j1"), await tagsOf("j2")], [["gold"], []])
    assert.deepStrictEqual(await accountsSent(fixture.emulator), { add_tag: 1, clear_all_tags: 1 })
  })

  it("imports an export as it is: failed rows are ignored, the tags restored", async () => {
    await fixture.emulator.seed({ k1: ["a", "b"], k2: [] })
    write("accounts.txt", "k1\nk2\nghost\n")
    assert.strictEqual((await run(["export", "--from", "accounts.txt", "--out", "backup.csv"])).code, 1)
    await fixture.emulator.seed({ k1: ["changed"], k2: ["changed"] })
    const ran = await run(["import", "--replace", "backup.csv"])
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.deepInclude(summary(ran.stdout), { records: 2, ignored: 1, sent: 2, ok: 2 })
    assert.deepStrictEqual([await tagsOf("k1"), await tagsOf("k2")], [["a", "b"], []])
  })

  it("a failed account is in the report and exits 1; a bad tag fails only its own line", async () => {
    await fixture.emulator.seed({ f1: [], f2: [] })
    write("tags.csv", `account,tags\nf1,ok\nghost,x\nf2,${"y".repeat(51)}\n`)
    const ran = await run(["import", "tags.csv"])
    assert.strictEqual(ran.code, 1)
    assert.match(ran.stderr, /2 of 3 accounts failed; the report tags\.csv\.report\.ndjson lists them/)
    const report = ndjson(readFileSync(join(dir, "tags.csv.report.ndjson"), "utf8")).slice(1)
    assert.deepStrictEqual(report.map((row) => [row.line, row.status, row.error?.reason]), [
      [2, "ok", undefined],
      [3, "failed", "UnknownAccount"],
      [4, "failed", "InvalidInput"]
    ])
  })

  it("--resume sends only what the report does not record as done, and nothing twice", async () => {
    const accounts = Array.from({ length: 250 }, (_, i) => `r${i}`)
    await fixture.emulator.seed(Object.fromEntries(accounts.map((account) => [account, []])))
    write("tags.ndjson", accounts.map((account) => JSON.stringify({ account, tags: [`t-${account}`] })).join("\n"))
    // One add_tag call (100 accounts) fails as a whole; the other 150 accounts are written.
    await fixture.emulator.injectFault({ command: "add_tag", times: 1, fault: { _tag: "ErrorCode", code: 90001 } })
    const first = await run(["import", "tags.ndjson"])
    assert.strictEqual(first.code, 1)
    assert.deepInclude(summary(first.stdout), { records: 250, sent: 250, ok: 150, failed: 100 })

    await fixture.emulator.resetCalls()
    const resumed = await run(["import", "tags.ndjson", "--resume", "tags.ndjson.report.ndjson"])
    assert.strictEqual(resumed.code, 0, resumed.stderr)
    assert.deepInclude(summary(resumed.stdout), { records: 250, skipped: 150, sent: 100, ok: 100, failed: 0 })
    assert.deepStrictEqual(await accountsSent(fixture.emulator), { add_tag: 100 })
    for (const account of accounts) assert.deepStrictEqual(await tagsOf(account), [`t-${account}`])

    await fixture.emulator.resetCalls()
    const again = await run(["import", "tags.ndjson", "--resume", "tags.ndjson.report.ndjson"])
    assert.strictEqual(again.code, 0, again.stderr)
    assert.deepInclude(summary(again.stdout), { skipped: 250, sent: 0 })
    assert.deepStrictEqual(await fixture.emulator.calls(), [])
    const runs = ndjson(readFileSync(join(dir, "tags.ndjson.report.ndjson"), "utf8")).filter((row) => "import" in row)
    assert.strictEqual(runs.length, 3)
  })
})

describe("import interrupted (Ctrl-C)", () => {
  it("leaves a report of what was done, and --resume sends exactly the rest", async () => {
    const accounts = Array.from({ length: 20_000 }, (_, i) => `x${i}`)
    await fixture.emulator.seed(Object.fromEntries(accounts.map((account) => [account, []])))
    write("tags.ndjson", accounts.map((account) => JSON.stringify({ account, tags: ["t"] })).join("\n"))
    const report = join(dir, "tags.ndjson.report.ndjson")
    const okLines = () =>
      existsSync(report) ? ndjson(readFileSync(report, "utf8")).filter((row) => row.status === "ok").length : 0

    // SIGINT once the report shows some records done: the run is interrupted part-way, whatever the machine.
    const child = spawn(process.execPath, [bin, "import", "tags.ndjson"], {
      cwd: dir,
      env: environment(fixture.env),
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stderr = ""
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const exited = once(child, "close")
    while (okLines() < 100 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20))
    child.kill("SIGINT")
    const [code] = await exited
    const done = okLines()
    assert.strictEqual(code, 130, stderr)
    assert.isBelow(done, accounts.length)
    assert.include(stderr, "interrupted; the report tags.ndjson.report.ndjson lists what was done")

    await fixture.emulator.resetCalls()
    const resumed = await run(["import", "tags.ndjson", "--resume", "tags.ndjson.report.ndjson", "--quiet"])
    assert.strictEqual(resumed.code, 0, resumed.stderr)
    assert.deepInclude(summary(resumed.stdout), { skipped: done, sent: accounts.length - done, failed: 0 })
    const accepted = (await fixture.emulator.calls()).filter((call) => call.errorCode === 0)
    assert.strictEqual(accepted.reduce((sum, call) => sum + call.accounts, 0), accounts.length - done)
    for (const account of accounts) assert.deepStrictEqual(await tagsOf(account), ["t"])
  })
})

describe("import refuses, before sending anything (exit 2)", () => {
  const refused = async (args: ReadonlyArray<string>, expected: RegExp) => {
    const ran = await run(args)
    assert.strictEqual(ran.code, 2, `${ran.stdout}\n${ran.stderr}`)
    assert.match(ran.stderr, expected)
    assert.deepStrictEqual(await fixture.emulator.calls(), [])
  }

  it("a malformed line, naming it", async () => {
    write("tags.ndjson", "{\"account\":\"a\",\"tags\":[\"x\"]}\n{\"account\":\"b\",\"tags\":[\"x\"]}\n{oops\n")
    await refused(["import", "tags.ndjson"], /import tags\.ndjson:3: not valid JSON/)
    write("tags.csv", "account,tags\na,x\nb\n")
    await refused(["import", "tags.csv"], /import tags\.csv:3: 1 fields where the header line has 2/)
    write("tags2.csv", "user,tags\na,x\n")
    await refused(["import", "tags2.csv"], /import tags2\.csv:2: no "account" field/)
  })

  it("an account listed twice with --replace", async () => {
    write("tags.csv", "account,tags\na,x\nb,y\na,z\n")
    await refused(["import", "--replace", "tags.csv"], /lines 2 and 4 both list "a"\. With --replace/)
  })

  it("a report that exists already, unless resumed", async () => {
    write("tags.csv", "account,tags\na,x\n")
    write("tags.csv.report.ndjson", "")
    await refused(
      ["import", "tags.csv"],
      /the report tags\.csv\.report\.ndjson exists already\. Continue that import with --resume/
    )
  })

  it("a report of another file, or of the other mode, or not a report", async () => {
    await fixture.emulator.seed({ m1: [], m2: [] })
    write("one.csv", "account,tags\nm1,x\nm2,x\n")
    write("two.csv", "account,tags\nm2,x\nm1,x\n")
    assert.strictEqual((await run(["import", "one.csv"])).code, 0)
    await fixture.emulator.resetCalls()
    await refused(
      ["import", "two.csv", "--resume", "one.csv.report.ndjson"],
      /the report has "m1" at line 2, two\.csv has "m2"/
    )
    await refused(["import", "--replace", "one.csv", "--resume", "one.csv.report.ndjson"], /written without --replace/)
    await refused(["import", "one.csv", "--resume", "one.csv"], /is not an import report/)
  })
})
