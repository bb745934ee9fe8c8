/**
 * `timtags export` against the emulator: 100,000 accounts streamed to a file through `getTagsStream` (in
 * input order, 100 per call, the summary at the end), and each output format by the file's extension.
 */
import { assert, describe, it } from "@effect/vitest"
import { createReadStream, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { ndjson, tempDir, timtags, useEmulator } from "./support/cli.js"

const fixture = useEmulator()

const accountName = (i: number) => `user${i}`
/** Every 1000th account was never imported (70107); the others have tags derived from their number. */
const exists = (i: number) => i % 1000 !== 999
const tagsOf = (i: number) => ["vip", "beta", "eu", "ios"].filter((_, t) => (i + t) % 3 === 0)

describe("export", () => {
  it("streams 100,000 accounts to NDJSON, in order, and finishes with its summary (exit 1: 100 unknown)", async () => {
    const total = 100_000
    for (let start = 0; start < total; start += 10_000) {
      const seed: Record<string, ReadonlyArray<string>> = {}
      for (let i = start; i < start + 10_000; i++) if (exists(i)) seed[accountName(i)] = tagsOf(i)
      await fixture.emulator.seed(seed)
    }
    const dir = tempDir()
    writeFileSync(join(dir, "accounts.txt"), Array.from({ length: total }, (_, i) => accountName(i)).join("\n"))
    await fixture.emulator.resetCalls()

    const started = Date.now()
    const ran = await timtags(["export", "--from", "accounts.txt", "--out", "tags.ndjson"], {
      env: fixture.env,
      cwd: dir
    })
    console.log(`export of ${total} accounts: ${((Date.now() - started) / 1000).toFixed(1)} s wall time`)

    assert.strictEqual(ran.code, 1, ran.stderr)
    assert.deepInclude(ndjson(ran.stdout)[0], { accounts: total, ok: total - 100, failed: 100, out: "tags.ndjson" })
    assert.include(ran.stderr, `100 of ${total} accounts failed; --out tags.ndjson lists them`)
    let i = 0
    for await (const line of createInterface({ input: createReadStream(join(dir, "tags.ndjson")) })) {
      const row = JSON.parse(line)
      assert.strictEqual(row.account, accountName(i))
      if (exists(i)) assert.deepStrictEqual(row.tags, tagsOf(i))
      else assert.strictEqual(row.error.code, 70107)
      i++
    }
    assert.strictEqual(i, total)
    const calls = await fixture.emulator.calls()
    console.log(`calls by error code: ${JSON.stringify((await fixture.emulator.stats()).byErrorCode)}`)
    assert.isTrue(calls.every((call) => call.command === "get_tag" && call.accounts <= 100))
    const accepted = calls.filter((call) => call.errorCode === 0)
    assert.strictEqual(accepted.reduce((sum, call) => sum + call.accounts, 0), total)
  }, 180_000)

  it("writes CSV for .csv and a JSON array for .json, with the summary in --format", async () => {
    await fixture.emulator.seed({ e1: ["a", "b"], e2: [] })
    const dir = tempDir()
    writeFileSync(join(dir, "in.csv"), "name,user\nx,e1\ny,e2\n")
    const csv = await timtags([
      "export",
      "--from",
      "in.csv",
      "--column",
      "user",
      "--out",
      "out.csv",
      "--format",
      "json"
    ], {
      env: fixture.env,
      cwd: dir
    })
    assert.strictEqual(csv.code, 0, csv.stderr)
    assert.deepInclude(JSON.parse(csv.stdout)[0], { accounts: 2, ok: 2, failed: 0, out: "out.csv" })
    assert.strictEqual(readFileSync(join(dir, "out.csv"), "utf8"), "account,status,tags,error\ne1,ok,a;b,\ne2,ok,,\n")

    const json = await timtags(["export", "--from", "-", "--out", "out.json"], {
      env: fixture.env,
      cwd: dir,
      stdin: "e2\ne1\n"
    })
    assert.strictEqual(json.code, 0, json.stderr)
    assert.deepStrictEqual(JSON.parse(readFileSync(join(dir, "out.json"), "utf8")), [
      { account: "e2", status: "ok", tags: [] },
      { account: "e1", status: "ok", tags: ["a", "b"] }
    ])
  })

  it("refuses an --out it cannot write before sending anything (exit 2)", async () => {
    await fixture.emulator.resetCalls()
    const dir = tempDir()
    writeFileSync(join(dir, "in.txt"), "e1\n")
    const ran = await timtags(["export", "--from", "in.txt", "--out", "no/such/dir/out.ndjson"], {
      env: fixture.env,
      cwd: dir
    })
    assert.strictEqual(ran.code, 2)
    assert.include(ran.stderr, "--out \"no/such/dir/out.ndjson\" does not exist")
    assert.deepStrictEqual(await fixture.emulator.calls(), [])
  })
})
