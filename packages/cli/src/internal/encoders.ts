/**
 * The output formats, each an `Encoder` that turns entries into text chunk by chunk, so that any number of
 * rows streams in bounded memory:
 *
 * - `ndjson`: one JSON object per line;
 * - `json`: one JSON array of those objects;
 * - `csv`: a header line, then one line per entry; a list is one cell, its items separated by `;` (values by
 *   name as `name=value;name=value`);
 * - `table`: aligned columns for people; widths come from the first block of rows (and grow when a later
 *   block needs more), so a long listing starts printing at once.
 */
import * as Csv from "./csv.js"
import { type Cell, type Entry, type ErrorInfo, errorText } from "./row.js"

/** The formats. */
export const formats = ["table", "json", "ndjson", "csv"] as const

/** A format. */
export type Format = typeof formats[number]

/** Turns entries into text: `chunk` for each chunk of entries, then `end` once. */
export interface Encoder {
  readonly chunk: (entries: ReadonlyArray<Entry>) => string
  readonly end: () => string
}

const jsonObject = (entry: Entry): string => {
  const object: Record<string, unknown> = {}
  for (const [name, value] of entry) {
    if (value !== undefined) object[name] = value instanceof Map ? Object.fromEntries(value) : value
  }
  return JSON.stringify(object)
}

/** A cell as text; a list (or `name=value` pairs) joined with `separator`. */
const text = (value: Cell, separator: string): string =>
  value === undefined
    ? ""
    : typeof value === "string"
    ? value
    : typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : Array.isArray(value)
    ? value.join(separator)
    : value instanceof Map
    ? Array.from(value, ([name, item]) => `${name}=${item}`).join(separator)
    : errorText(value as ErrorInfo)

const ndjson = (): Encoder => ({
  chunk: (entries) => entries.map((entry) => `${jsonObject(entry)}\n`).join(""),
  end: () => ""
})

const json = (): Encoder => {
  let first = true
  return {
    chunk: (entries) =>
      entries.map((entry) => {
        const prefix = first ? "[\n  " : ",\n  "
        first = false
        return prefix + jsonObject(entry)
      }).join(""),
    end: () => (first ? "[]\n" : "\n]\n")
  }
}

const csv = (names: ReadonlyArray<string>): Encoder => {
  let header = `${Csv.formatRecord(names)}\n`
  const line = (entry: Entry) => `${Csv.formatRecord(entry.map(([, value]) => text(value, ";")))}\n`
  const take = () => {
    const first = header
    header = ""
    return first
  }
  return {
    chunk: (entries) => take() + entries.map(line).join(""),
    end: take
  }
}

/** Rows per table block: the widths of a block are known before it prints. */
const tableBlock = 200

const table = (names: ReadonlyArray<string>): Encoder => {
  const widths = names.map((name) => name.length)
  let pending: Array<ReadonlyArray<string>> = []
  let header = true
  const line = (cells: ReadonlyArray<string>) =>
    `${cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()}\n`
  const flush = () => {
    for (const cells of pending) cells.forEach((cell, i) => (widths[i] = Math.max(widths[i]!, cell.length)))
    const head = header ? line(names.map((name) => name.toUpperCase())) : ""
    header = false
    const body = pending.map(line).join("")
    pending = []
    return head + body
  }
  return {
    chunk: (entries) => {
      let out = ""
      for (const entry of entries) {
        pending.push(entry.map(([, value]) => text(value, ", ").replace(/[\r\n\t]/g, " ")))
        if (pending.length >= tableBlock) out += flush()
      }
      return out
    },
    end: flush
  }
}

/** A fresh encoder of `format` for entries with these field names. */
export const make = (format: Format, names: ReadonlyArray<string>): Encoder => {
  switch (format) {
    case "ndjson":
      return ndjson()
    case "json":
      return json()
    case "csv":
      return csv(names)
    case "table":
      return table(names)
  }
}
