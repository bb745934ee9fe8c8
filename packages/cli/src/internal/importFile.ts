/**
 * The file `import` reads: records with an `account` and its `tags`, as NDJSON (`{"account":"alice",
 * "tags":["vip","beta"]}`) or CSV with a header line (`account,tags` with `vip;beta`: the tags of an account
 * are one cell, separated by `;`). That is what `export` and `get-tag` write, so an export imports as it is;
 * its failed rows (`status` `failed`) carry no tags and are ignored. A record without an account or tags
 * is a usage error naming the file and line; whether the account and tags are valid is the library's to say,
 * for that record alone (it fails with a `TimValidationError`, the others go on).
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { UsageError } from "./failures.js"
import * as Records from "./records.js"
import * as TextInput from "./textInput.js"

/** One account's tags, from the line it starts on. */
export interface Entry {
  readonly _tag: "Entry"
  readonly line: number
  readonly account: string
  readonly tags: ReadonlyArray<string>
}

/** A row of an export whose lookup failed: no tags to import. */
export interface Ignored {
  readonly _tag: "Ignored"
  readonly line: number
}

/** A record of the file. */
export type Item = Entry | Ignored

const tagsOf = (value: unknown): Result.Result<ReadonlyArray<string>, string> => {
  if (typeof value === "string") return Result.succeed(value.split(";").map((tag) => tag.trim()).filter(Boolean))
  if (Array.isArray(value) && value.every((tag) => typeof tag === "string")) return Result.succeed(value)
  return Result.fail(
    value === undefined ? "no \"tags\" field" : "\"tags\" must be a list of strings (NDJSON) or text (CSV)"
  )
}

const isFailedRow = (fields: Records.Record["fields"]) =>
  fields["status"] === "failed" || (fields["error"] !== undefined && fields["error"] !== "")

/** A record as an entry, or the usage error saying what it lacks. */
const check = (source: TextInput.Source) => ({ fields, line }: Records.Record): Result.Result<Item, UsageError> => {
  const refuse = (problem: string) =>
    Result.fail(new UsageError({ problem: `${TextInput.at(source, line)}: ${problem}` }))
  if (isFailedRow(fields)) return Result.succeed({ _tag: "Ignored", line })
  const account = fields["account"]
  if (typeof account !== "string") {
    return refuse(account === undefined ? "no \"account\" field" : "\"account\" must be text")
  }
  const tags = tagsOf(fields["tags"])
  return Result.isFailure(tags)
    ? refuse(tags.failure)
    : Result.succeed({ _tag: "Entry", line, account: account.trim(), tags: tags.success })
}

/** The records of an import file, checked, as they are read. */
export const read = (path: string) => {
  const source: TextInput.Source = { path, label: "import" }
  return Records.read(source, TextInput.lines(source)).pipe(
    Stream.mapEffect((record) => Effect.fromResult(check(source)(record)))
  )
}
