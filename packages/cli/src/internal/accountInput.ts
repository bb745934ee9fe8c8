/**
 * Where a command's accounts come from: its arguments, or `--from FILE` (`-` for standard input) with one
 * account per line, or with `--column NAME` the column NAME of a CSV file with a header line (or the field
 * NAME of NDJSON records). Accounts stream from the file as they are needed; blank lines are skipped and
 * surrounding spaces trimmed.
 */
import { Argument, type Command } from "effect/cli"
import * as Effect from "effect/Effect"
import type * as FileSystem from "effect/FileSystem"
import * as Option from "effect/Option"
import type * as Stdio from "effect/Stdio"
import * as Stream from "effect/Stream"
import { UsageError } from "./failures.js"
import * as MakeFlag from "./makeFlag.js"
import * as Records from "./records.js"
import * as TextInput from "./textInput.js"

/** The positional accounts. */
export const argument = Argument.String("account").pipe(
  Argument.withDescription("Accounts (user IDs); or use --from"),
  Argument.variadic()
)

/** `--from` and `--column`. */
export const flags = {
  from: MakeFlag.optionalText(
    "from",
    "FILE",
    "Read the accounts from FILE (- for standard input): one per line, or a column with --column"
  ),
  column: MakeFlag.optionalText(
    "column",
    "NAME",
    "With --from: take the accounts from this column of a CSV file (header line) or NDJSON field"
  )
} as const

/** The parsed `--from` and `--column`. */
export type Flags = Command.Command.Config.Infer<typeof flags>

/** The services reading accounts needs. */
export type Requirements = FileSystem.FileSystem | Stdio.Stdio

/** A command's accounts, and how to count them. */
export interface Accounts {
  readonly stream: Stream.Stream<string, UsageError, Requirements>
  /** How many there are: known for arguments, counted by one more read of a file, unknown for standard input. */
  readonly count: Effect.Effect<Option.Option<number>, UsageError, Requirements>
}

const columnOf = (source: TextInput.Source, name: string) => (record: Records.Record) => {
  const value = record.fields[name]
  return typeof value === "string" || typeof value === "number"
    ? Effect.succeed(String(value).trim())
    : Effect.fail(
      new UsageError({
        problem: `${TextInput.at(source, record.line)}: no ${JSON.stringify(name)} ${
          value === undefined ? "column" : "text"
        } (found ${Object.keys(record.fields).map((key) => JSON.stringify(key)).join(", ")})`,
        fix: "Name the column of the accounts with --column"
      })
    )
}

/** The accounts of a file (or `-`, standard input), one per line or in `column`. */
export const fromFile = (path: string, column: Option.Option<string>): Accounts => {
  const source: TextInput.Source = { path, label: "--from" }
  const lines = TextInput.lines(source)
  const stream = Option.match(column, {
    onNone: () => lines.pipe(Stream.map(({ text }) => text.trim())),
    onSome: (name) => Records.read(source, lines).pipe(Stream.mapEffect(columnOf(source, name)))
  }).pipe(Stream.filter((account) => account !== ""))
  return {
    stream,
    count: path === TextInput.stdin ? Effect.succeedNone : Effect.map(Stream.runCount(stream), Option.some)
  }
}

/** The accounts of the arguments or of `--from`; exactly one of them must be given. */
export const resolve = (
  args: ReadonlyArray<string>,
  { column, from }: Flags
): Effect.Effect<Accounts, UsageError> => {
  if (Option.isNone(from)) {
    if (Option.isSome(column)) {
      return Effect.fail(new UsageError({ problem: "--column needs --from", fix: "Add --from FILE" }))
    }
    return args.length === 0
      ? Effect.fail(
        new UsageError({
          problem: "no accounts",
          fix: "Give them as arguments, or with --from FILE (- for standard input)"
        })
      )
      : Effect.succeed({ stream: Stream.fromIterable(args), count: Effect.succeedSome(args.length) })
  }
  if (args.length > 0) {
    return Effect.fail(
      new UsageError({ problem: "accounts given both as arguments and with --from", fix: "Use one of them" })
    )
  }
  return Effect.succeed(fromFile(from.value, column))
}
