/** Unit tests of the pure pieces: CSV, the encoders, the progress line, records. */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Csv from "../src/internal/csv.js"
import * as Encoders from "../src/internal/encoders.js"
import * as Progress from "../src/internal/progress.js"
import * as Records from "../src/internal/records.js"
import type { Entry } from "../src/internal/row.js"

describe("csv", () => {
  it("parses quotes, doubled quotes and commas in fields; an open quote waits for the next line", () => {
    assert.deepStrictEqual(Csv.parseRecord("a,\"b,c\",\"d \"\"e\"\"\","), ["a", "b,c", "d \"e\"", ""])
    assert.strictEqual(Csv.parseRecord("a,\"b"), undefined)
    const parser = Csv.lineParser()
    assert.strictEqual(parser.push("1,\"two"), undefined)
    assert.isTrue(parser.pending)
    assert.deepStrictEqual(parser.push("lines\",3"), ["1", "two\nlines", "3"])
    assert.isFalse(parser.pending)
  })

  it("quotes a field only when it must, and reads back what it writes", () => {
    const fields = ["plain", "a,b", "say \"hi\"", " padded", "two\nlines", ""]
    const line = Csv.formatRecord(fields)
    assert.strictEqual(line, "plain,\"a,b\",\"say \"\"hi\"\"\",\" padded\",\"two\nlines\",")
    assert.deepStrictEqual(Csv.parseRecord(line), fields)
  })
})

describe("encoders", () => {
  const names = ["account", "status", "tags", "error"]
  const ok = (account: string, tags: ReadonlyArray<string>): Entry => [
    ["account", account],
    ["status", "ok"],
    ["tags", tags],
    ["error", undefined]
  ]
  const encode = (format: Encoders.Format, chunks: ReadonlyArray<ReadonlyArray<Entry>>) => {
    const encoder = Encoders.make(format, names)
    return chunks.map(encoder.chunk).join("") + encoder.end()
  }

  it("json writes one array across chunks, [] when empty", () => {
    const text = encode("json", [[ok("a", ["x"])], [ok("b", [])]])
    assert.deepStrictEqual(JSON.parse(text), [{ account: "a", status: "ok", tags: ["x"] }, {
      account: "b",
      status: "ok",
      tags: []
    }])
    assert.strictEqual(encode("json", []), "[]\n")
  })

  it("csv writes its header once, even with no rows", () => {
    assert.strictEqual(
      encode("csv", [[ok("a", ["x", "y"])], [ok("b", [])]]),
      "account,status,tags,error\na,ok,x;y,\nb,ok,,\n"
    )
    assert.strictEqual(encode("csv", []), "account,status,tags,error\n")
  })

  it("table aligns a block by its widest cells and starts printing before the end", () => {
    const encoder = Encoders.make("table", names)
    const many = Array.from({ length: 250 }, (_, i) => ok(`acct${i}`, ["t"]))
    const first = encoder.chunk(many)
    assert.strictEqual(first.split("\n")[0], "ACCOUNT  STATUS  TAGS  ERROR")
    assert.strictEqual(first.split("\n").length - 1, 201) // the header and the first block of 200
    const rest = encoder.end()
    assert.strictEqual(rest.split("\n").length - 1, 50)
    assert.strictEqual(rest.split("\n")[0], "acct200  ok      t")
  })
})

describe("progress line", () => {
  it("shows done/total, percent, rate, ETA and failures; no total when unknown", () => {
    assert.strictEqual(
      Progress.render({ done: 1200, failed: 3, total: Option.some(100_000), elapsedMillis: 1250 }),
      "1,200/100,000 accounts (1%) · 960/s · ETA 1m43s · 3 failed"
    )
    assert.strictEqual(
      Progress.render({ done: 5000, failed: 0, total: Option.none(), elapsedMillis: 2000 }),
      "5,000 accounts · 2,500/s · 0 failed"
    )
    assert.strictEqual(
      Progress.render({ done: 10, failed: 0, total: Option.some(10), elapsedMillis: 1000 }),
      "10/10 accounts (100%) · 10/s · 0 failed"
    )
  })
})

describe("records", () => {
  const read = (lines: ReadonlyArray<string>) =>
    Records.read(
      { path: "in.txt", label: "--from" },
      Stream.fromIterable(lines.map((text, i) => ({ number: i + 1, text })))
    ).pipe(Stream.runCollect, Effect.result, Effect.runSync)

  it("reads CSV by its header and NDJSON by its first character, numbering lines", () => {
    const csv = read(["a,b", "", "1,\"x", "y\""])
    assert.deepStrictEqual(csv._tag === "Success" ? csv.success : [], [{ line: 3, fields: { a: "1", b: "x\ny" } }])
    const ndjson = read(["", "{\"a\":1}", "{\"a\":2}"])
    assert.deepStrictEqual(ndjson._tag === "Success" ? ndjson.success : [], [
      { line: 2, fields: { a: 1 } },
      { line: 3, fields: { a: 2 } }
    ])
  })

  it("names the line of a quote never closed, or of a value that is not an object", () => {
    const open = read(["a", "\"x"])
    assert.include(
      open._tag === "Failure" ? open.failure.message : "",
      "--from in.txt:2: a quoted field is never closed"
    )
    const array = read(["{\"a\":1}", "[1]"])
    assert.include(array._tag === "Failure" ? array.failure.message : "", "--from in.txt:2: expected a JSON object")
  })
})
