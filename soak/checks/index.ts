/** Every check of the soak, in the order of the table, and the table as text (Markdown). */
import * as Answers from "./answers.js"
import * as Arrivals from "./arrivals.js"
import type { Row, RunData } from "./data.js"
import * as Memory from "./memory.js"
import * as Outcomes from "./outcomes.js"
import * as Store from "./store.js"
import * as Throughput from "./throughput.js"

/** The rows. */
export const all = (data: RunData): Array<Row> => [
  ...Outcomes.check(data),
  ...Answers.check(data),
  ...Store.check(data),
  ...Arrivals.check(data),
  ...Memory.check(data),
  ...Throughput.check(data)
]

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ")

/** A Markdown table: check, result, verdict. */
export const table = (rows: ReadonlyArray<Row>): string =>
  [
    "| Check | Result | |",
    "|---|---|---|",
    ...rows.map((r) => `| ${cell(r.check)} | ${cell(r.result)} | ${r.verdict === "FAIL" ? "**FAIL**" : r.verdict} |`)
  ].join("\n")
