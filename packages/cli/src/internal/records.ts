/**
 * Records (named fields) from a text, streamed: NDJSON when the first non-blank line opens a JSON object,
 * CSV with a header line otherwise. Each record carries the line it starts on, for messages and reports.
 * Blank lines are skipped; a malformed line fails with a `UsageError` naming the file and line.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import * as Csv from "./csv.js"
import { UsageError } from "./failures.js"
import * as TextInput from "./textInput.js"

/** One record: its fields by name, and the line it starts on (1-based). */
export interface Record {
  readonly line: number
  readonly fields: { readonly [name: string]: unknown }
}

type Step = Result.Result<Record | undefined, UsageError>

const none: Step = Result.succeed(undefined)

/** A decoder for one text: `step` takes each line in order, `end` checks nothing is left open. */
const decoder = (source: TextInput.Source) => {
  const refuse = (line: number, problem: string): Step =>
    Result.fail(new UsageError({ problem: `${TextInput.at(source, line)}: ${problem}` }))
  let kind: "csv" | "ndjson" | undefined
  let header: ReadonlyArray<string> | undefined
  let start = 0
  const csv = Csv.lineParser()

  const ndjson = ({ number, text }: TextInput.Line): Step => {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      return refuse(number, "not valid JSON (NDJSON needs one JSON object per line)")
    }
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? Result.succeed({ line: number, fields: value as Record["fields"] })
      : refuse(number, "expected a JSON object")
  }

  const csvRecord = (fields: ReadonlyArray<string>, line: number): Step => {
    if (header === undefined) {
      header = fields.map((name) => name.trim())
      return none
    }
    if (fields.length !== header.length) {
      return refuse(line, `${fields.length} fields where the header line has ${header.length}`)
    }
    const named: { [name: string]: string } = {}
    header.forEach((name, i) => (named[name] = fields[i]!))
    return Result.succeed({ line, fields: named })
  }

  return {
    step: (line: TextInput.Line): Step => {
      if (!csv.pending && line.text.trim() === "") return none
      kind ??= line.text.trimStart().startsWith("{") ? "ndjson" : "csv"
      if (kind === "ndjson") return ndjson(line)
      if (!csv.pending) start = line.number
      const fields = csv.push(line.text)
      return fields === undefined ? none : csvRecord(fields, start)
    },
    end: (): Result.Result<void, UsageError> =>
      csv.pending
        ? Result.fail(new UsageError({ problem: `${TextInput.at(source, start)}: a quoted field is never closed` }))
        : Result.void
  }
}

/** The records of a text, as the consumer pulls them. */
export const read = <R>(
  source: TextInput.Source,
  lines: Stream.Stream<TextInput.Line, UsageError, R>
): Stream.Stream<Record, UsageError, R> =>
  Stream.suspend(() => {
    const decode = decoder(source)
    return lines.pipe(
      Stream.mapEffect((line) => Effect.fromResult(decode.step(line))),
      Stream.filter((record): record is Record => record !== undefined),
      Stream.concat(Stream.fromEffectDrain(Effect.suspend(() => Effect.fromResult(decode.end()))))
    )
  })
