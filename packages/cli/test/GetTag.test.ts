/** `timtags get-tag` as a subprocess against the emulator: every output format, inputs, exit codes. */
import { assert, describe, it } from "@effect/vitest"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { accountsSent, ndjson, tempDir, timtags, useEmulator } from "./support/cli.js"

const fixture = useEmulator({ seed: { alice: ["vip", "beta"], bob: [], carol: ["eu"], "d, e": ["x"] } })

describe("get-tag", () => {
  it("prints NDJSON in a pipe: one object per account, in order, exit 0", async () => {
    const ran = await timtags(["get-tag", "alice", "bob", "carol"], { env: fixture.env })
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.deepStrictEqual(ndjson(ran.stdout), [
      { account: "alice", status: "ok", tags: ["vip", "beta"] },
      { account: "bob", status: "ok", tags: [] },
      { account: "carol", status: "ok", tags: ["eu"] }
    ])
    assert.strictEqual(ran.stderr, "")
  })

  it("exits 1 when some accounts fail, listing each with its error", async () => {
    const ran = await timtags(["get-tag", "alice", "nobody", "carol"], { env: fixture.env })
    assert.strictEqual(ran.code, 1)
    const rows = ndjson(ran.stdout)
    assert.deepStrictEqual(rows.map((row) => [row.account, row.status]), [
      ["alice", "ok"],
      ["nobody", "failed"],
      ["carol", "ok"]
    ])
    assert.deepInclude(rows[1].error, { _tag: "TimAccountError", reason: "UnknownAccount", code: 70107 })
    assert.include(ran.stderr, "1 of 3 accounts failed; the output lists them")
  })

  it("prints one JSON array with --format json", async () => {
    const ran = await timtags(["get-tag", "carol", "alice", "--format", "json"], { env: fixture.env })
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.deepStrictEqual(JSON.parse(ran.stdout), [
      { account: "carol", status: "ok", tags: ["eu"] },
      { account: "alice", status: "ok", tags: ["vip", "beta"] }
    ])
  })

  it("prints CSV with --format csv: tags joined with ;, fields quoted when needed", async () => {
    const ran = await timtags(["get-tag", "alice", "d, e", "nobody", "--format", "csv"], { env: fixture.env })
    assert.strictEqual(ran.code, 1)
    assert.strictEqual(
      ran.stdout,
      [
        "account,status,tags,error",
        "alice,ok,vip;beta,",
        "\"d, e\",ok,x,",
        "nobody,failed,,UnknownAccount 70107: account does not exist",
        ""
      ].join("\n")
    )
  })

  it("prints an aligned table with --format table", async () => {
    const ran = await timtags(["get-tag", "alice", "bob", "nobody", "--format", "table"], { env: fixture.env })
    assert.strictEqual(ran.code, 1)
    assert.strictEqual(
      ran.stdout,
      [
        "ACCOUNT  STATUS  TAGS       ERROR",
        "alice    ok      vip, beta",
        "bob      ok",
        "nobody   failed             UnknownAccount 70107: account does not exist",
        ""
      ].join("\n")
    )
  })

  it("reads accounts from a file, one per line, skipping blank lines, in 100-account calls", async () => {
    const dir = tempDir()
    const accounts = Array.from({ length: 250 }, (_, i) => (i % 2 === 0 ? "alice" : "carol"))
    writeFileSync(join(dir, "accounts.txt"), `${accounts.join("\n")}\n\n  bob  \n`)
    await fixture.emulator.resetCalls()
    const ran = await timtags(["get-tag", "--from", "accounts.txt"], { env: fixture.env, cwd: dir })
    assert.strictEqual(ran.code, 0, ran.stderr)
    const rows = ndjson(ran.stdout)
    assert.strictEqual(rows.length, 251)
    assert.deepStrictEqual(rows.at(-1), { account: "bob", status: "ok", tags: [] })
    assert.deepStrictEqual(rows.slice(0, 2).map((row) => row.tags), [["vip", "beta"], ["eu"]])
    const calls = await fixture.emulator.calls()
    assert.isTrue(calls.every((call) => call.command === "get_tag" && call.accounts <= 100))
  })

  it("reads accounts from standard input with --from -", async () => {
    const ran = await timtags(["get-tag", "--from", "-"], { env: fixture.env, stdin: "carol\nalice\n" })
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.deepStrictEqual(ndjson(ran.stdout).map((row) => row.account), ["carol", "alice"])
  })

  it("reads a CSV column, quoted fields included, with --column", async () => {
    const dir = tempDir()
    writeFileSync(join(dir, "users.csv"), "id,user_id,note\n1,alice,\"a, \"\"b\"\"\"\n2,\"d, e\",\"two\nlines\"\n")
    const ran = await timtags(["get-tag", "--from", "users.csv", "--column", "user_id"], { env: fixture.env, cwd: dir })
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.deepStrictEqual(ndjson(ran.stdout).map((row) => row.account), ["alice", "d, e"])
  })

  it("reads an NDJSON field with --column, such as its own output", async () => {
    const first = await timtags(["get-tag", "alice", "carol"], { env: fixture.env })
    const ran = await timtags(["get-tag", "--from", "-", "--column", "account", "--format", "csv"], {
      env: fixture.env,
      stdin: first.stdout
    })
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.strictEqual(ran.stdout, "account,status,tags,error\nalice,ok,vip;beta,\ncarol,ok,eu,\n")
  })

  it("refuses a missing column before sending anything (exit 2), naming the line and the columns", async () => {
    const dir = tempDir()
    writeFileSync(join(dir, "users.csv"), "id,user\n1,alice\n")
    await fixture.emulator.resetCalls()
    const ran = await timtags(["get-tag", "--from", "users.csv", "--column", "user_id"], { env: fixture.env, cwd: dir })
    assert.strictEqual(ran.code, 2)
    assert.include(ran.stderr, "--from users.csv:2: no \"user_id\" column (found \"id\", \"user\")")
    assert.deepStrictEqual(await accountsSent(fixture.emulator), {})
  })

  it("a malformed line once accounts were sent stops the run with exit 1, not 2", async () => {
    const dir = tempDir()
    const rows = Array.from({ length: 150 }, (_, i) => `${i},${i % 2 === 0 ? "alice" : "carol"}`)
    writeFileSync(join(dir, "users.csv"), `id,user\n${rows.join("\n")}\n151\n152,bob\n`)
    await fixture.emulator.resetCalls()
    const ran = await timtags(["get-tag", "--from", "users.csv", "--column", "user"], { env: fixture.env, cwd: dir })
    assert.strictEqual(ran.code, 1)
    assert.match(
      ran.stderr,
      /stopped part-way, \d+ accounts? done: --from users\.csv:152: 1 fields where the header line has 2/
    )
    assert.notInclude(ran.stdout, "bob")
  })
})
