/** `timtags attrs get|set|remove|names` as a subprocess against the emulator: output, what changes, exit codes. */
import { assert, beforeEach, describe, it } from "@effect/vitest"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { ndjson, tempDir, timtags, useEmulator } from "./support/cli.js"

const fixture = useEmulator({
  seed: { alice: [], bob: [], carol: [] },
  attrs: { names: { "0": "city", "1": "tier" }, values: { alice: { city: "Lisbon", tier: "gold" } } }
})
beforeEach(() => fixture.emulator.resetCalls())

describe("attrs get", () => {
  it("prints each account's attributes as an object in JSON; an unknown account fails alone (exit 1)", async () => {
    const ran = await timtags(["attrs", "get", "alice", "nobody", "bob", "--format", "json"], { env: fixture.env })
    assert.strictEqual(ran.code, 1)
    const rows = JSON.parse(ran.stdout)
    assert.deepStrictEqual(rows.map((row: any) => [row.account, row.status, row.attrs]), [
      ["alice", "ok", { city: "Lisbon", tier: "gold" }],
      ["nobody", "failed", undefined],
      ["bob", "ok", {}]
    ])
    assert.deepInclude(rows[1].error, { _tag: "TimAccountError", reason: "UnknownAccount", code: 70107 })
    assert.include(ran.stderr, "1 of 3 accounts failed; the output lists them")
  })

  it("prints name=value pairs in CSV and in a table", async () => {
    const csv = await timtags(["attrs", "get", "alice", "--format", "csv"], { env: fixture.env })
    assert.strictEqual(csv.stdout, "account,status,attrs,error\nalice,ok,city=Lisbon;tier=gold,\n")
    const table = await timtags(["attrs", "get", "alice", "--format", "table"], { env: fixture.env })
    assert.strictEqual(
      table.stdout,
      "ACCOUNT  STATUS  ATTRS                   ERROR\nalice    ok      city=Lisbon, tier=gold\n"
    )
  })
})

describe("attrs set and remove", () => {
  it("set writes the values to each account of --from; the others keep theirs (exit 0)", async () => {
    const dir = tempDir()
    writeFileSync(join(dir, "users.txt"), "bob\ncarol\n")
    const ran = await timtags(
      ["attrs", "set", "--attr", "city=Porto", "--attr", "tier=silver", "--from", "users.txt"],
      {
        env: fixture.env,
        cwd: dir
      }
    )
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.deepStrictEqual(ndjson(ran.stdout), [{ account: "bob", status: "ok" }, { account: "carol", status: "ok" }])
    assert.deepStrictEqual(await fixture.emulator.attrsOf("carol"), { city: "Porto", tier: "silver" })
    const one = await timtags(["attrs", "set", "--attr", "tier=bronze", "carol"], { env: fixture.env })
    assert.strictEqual(one.code, 0, one.stderr)
    assert.deepStrictEqual(await fixture.emulator.attrsOf("carol"), { city: "Porto", tier: "bronze" })
  })

  it("a partial failure: an unknown account and an unnamed attribute fail alone, the rest is written (exit 1)", async () => {
    await fixture.emulator.seedAttrs({ bob: { city: "Faro" } })
    const ran = await timtags(["attrs", "set", "--attr", "city=Braga", "bob", "ghost"], { env: fixture.env })
    assert.strictEqual(ran.code, 1)
    const rows = ndjson(ran.stdout)
    assert.deepStrictEqual(rows.map((row) => [row.account, row.status, row.error?.code]), [
      ["bob", "ok", undefined],
      ["ghost", "failed", 70107]
    ])
    assert.strictEqual((await fixture.emulator.attrsOf("bob"))?.city, "Braga")

    await fixture.emulator.resetCalls()
    const unnamed = await timtags(["attrs", "set", "--attr", "planet=Mars", "bob"], { env: fixture.env })
    assert.strictEqual(unnamed.code, 1)
    const [row] = ndjson(unnamed.stdout)
    assert.strictEqual(row.error._tag, "TimValidationError")
    assert.include(row.error.message, "expected an attribute the app has named (city, tier)")
    assert.deepStrictEqual((await fixture.emulator.calls()).map((call) => call.command), ["get_attr_name"])
  })

  it("remove takes the named attributes off each account", async () => {
    await fixture.emulator.seedAttrs({ carol: { city: "Porto", tier: "gold" } })
    const ran = await timtags(["attrs", "remove", "--name", "tier", "carol"], { env: fixture.env })
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.deepStrictEqual(await fixture.emulator.attrsOf("carol"), { city: "Porto" })
  })
})

describe("attrs names", () => {
  it("lists the app's attributes; --set names slots and prints the names as they are then", async () => {
    const listed = await timtags(["attrs", "names"], { env: fixture.env })
    assert.strictEqual(listed.code, 0, listed.stderr)
    assert.deepStrictEqual(ndjson(listed.stdout), [
      { slot: 0, name: "city", accountType: "UserID" },
      { slot: 1, name: "tier", accountType: "UserID" }
    ])
    const set = await timtags(["attrs", "names", "--set", "2=os", "--type", "2=RegistrationID", "--format", "csv"], {
      env: fixture.env
    })
    assert.strictEqual(set.code, 0, set.stderr)
    assert.strictEqual(set.stdout, "slot,name,accountType\n0,city,UserID\n1,tier,UserID\n2,os,RegistrationID\n")
    assert.deepStrictEqual(await fixture.emulator.attrNames(), {
      names: { "0": "city", "1": "tier", "2": "os" },
      types: { "0": 0, "1": 0, "2": 1 }
    })
  })

  it("an account type can never change: the library's refusal, exit 2, nothing written", async () => {
    const ran = await timtags(["attrs", "names", "--set", "0=city", "--type", "0=RegistrationID"], { env: fixture.env })
    assert.strictEqual(ran.code, 2)
    assert.strictEqual(ran.stdout, "")
    assert.include(
      ran.stderr,
      "attribute slot 0 (\"city\") applies to UserID accounts, and an attribute's account type can never change"
    )
    assert.deepStrictEqual((await fixture.emulator.calls()).map((call) => call.command), ["get_attr_name"])
    assert.strictEqual((await fixture.emulator.attrNames()).types["0"], 0)
  })

  it("a --type without its --set, a slot that is not a number, an unknown type: exit 2, no call", async () => {
    for (
      const [args, expected] of [
        [["--type", "3=UserID"], /--type 3=… without --set 3=NAME/],
        [["--set", "x=os"], /--set x=…: the slot must be a number/],
        [["--set", "3=os", "--type", "3=Device"], /--type 3=Device: not an account type/]
      ] as const
    ) {
      const ran = await timtags(["attrs", "names", ...args], { env: fixture.env })
      assert.strictEqual(ran.code, 2, ran.stderr)
      assert.match(ran.stderr, expected)
    }
    assert.deepStrictEqual(await fixture.emulator.calls(), [])
  })
})
