/** `add-tag`, `remove-tag` and `clear-tags` against the emulator: what they change, and their rows. */
import { assert, describe, it } from "@effect/vitest"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { accountsSent, ndjson, tempDir, timtags, useEmulator } from "./support/cli.js"

const fixture = useEmulator()

const tagsOf = async (accounts: ReadonlyArray<string>) =>
  Promise.all(
    accounts.map(async (account) => [...((await fixture.emulator.tagsOf(account)) ?? ["<no account>"])].sort())
  )

describe("tag writes", () => {
  it("add-tag adds the tags to each account; --replace makes them the only ones", async () => {
    await fixture.emulator.seed({ w1: ["old"], w2: [] })
    const ran = await timtags(["add-tag", "--tag", "vip", "-t", "beta", "w1", "w2"], { env: fixture.env })
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.deepStrictEqual(ndjson(ran.stdout), [{ account: "w1", status: "ok" }, { account: "w2", status: "ok" }])
    assert.deepStrictEqual(await tagsOf(["w1", "w2"]), [["beta", "old", "vip"], ["beta", "vip"]])

    const replaced = await timtags(["add-tag", "--replace", "--tag", "gold", "w1"], { env: fixture.env })
    assert.strictEqual(replaced.code, 0, replaced.stderr)
    assert.deepStrictEqual(await tagsOf(["w1"]), [["gold"]])
  })

  it("remove-tag removes only the tags given", async () => {
    await fixture.emulator.seed({ r1: ["a", "b", "c"] })
    const ran = await timtags(["remove-tag", "--tag", "a", "--tag", "c", "r1"], { env: fixture.env })
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.deepStrictEqual(await tagsOf(["r1"]), [["b"]])
  })

  it("clear-tags removes every tag of the accounts of a file, in calls of at most 100", async () => {
    const accounts = Array.from({ length: 230 }, (_, i) => `c${i}`)
    await fixture.emulator.seed(Object.fromEntries(accounts.map((account) => [account, ["x", "y"]])))
    const dir = tempDir()
    writeFileSync(join(dir, "leavers.txt"), accounts.join("\n"))
    await fixture.emulator.resetCalls()
    const ran = await timtags(["clear-tags", "--from", "leavers.txt", "--format", "csv"], {
      env: fixture.env,
      cwd: dir
    })
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.strictEqual(ran.stdout.split("\n").filter(Boolean).length, 231)
    assert.deepStrictEqual(new Set((await tagsOf(accounts)).map((tags) => tags.length)), new Set([0]))
    assert.deepStrictEqual(await accountsSent(fixture.emulator), { clear_all_tags: 230 })
    assert.isTrue((await fixture.emulator.calls()).every((call) => call.accounts <= 100))
  })

  it("a bad tag fails only its own account, before any call for it (exit 1)", async () => {
    await fixture.emulator.seed({ v1: [] })
    await fixture.emulator.resetCalls()
    const ran = await timtags(["add-tag", "--tag", "x".repeat(51), "v1", "nobody-here"], { env: fixture.env })
    assert.strictEqual(ran.code, 1)
    const rows = ndjson(ran.stdout)
    assert.deepStrictEqual(rows.map((row) => [row.account, row.status, row.error.reason]), [
      ["v1", "failed", "InvalidInput"],
      ["nobody-here", "failed", "InvalidInput"]
    ])
    assert.deepStrictEqual(await fixture.emulator.calls(), [])
  })

  it("an unknown account fails alone; the others are written (exit 1)", async () => {
    await fixture.emulator.seed({ p1: [], p2: [] })
    const ran = await timtags(["add-tag", "--tag", "t", "p1", "ghost", "p2"], { env: fixture.env })
    assert.strictEqual(ran.code, 1)
    assert.deepStrictEqual(ndjson(ran.stdout).map((row) => row.status), ["ok", "failed", "ok"])
    assert.deepStrictEqual(await tagsOf(["p1", "p2"]), [["t"], ["t"]])
  })
})
