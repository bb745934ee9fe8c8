/**
 * `timtags export`: the tags of every account of a file, written to another file as they come (NDJSON, or
 * CSV or JSON by the name's extension), in bounded memory whatever the number of accounts; a summary on
 * stdout at the end.
 */
import { Command } from "effect/cli"
import * as Effect from "effect/Effect"
import * as AccountInput from "../accountInput.js"
import * as Connection from "../connection.js"
import * as Job from "../job.js"
import * as MakeFlag from "../makeFlag.js"
import * as Operations from "../operations.js"
import * as Output from "../output.js"
import * as Progress from "../progress.js"
import * as Row from "../row.js"
import * as Summary from "../summary.js"

/** The `export` command. */
export const command = Command.make("export", {
  from: MakeFlag.text("from", "FILE", "The accounts: one per line, or a column with --column (- for standard input)"),
  column: AccountInput.flags.column,
  out: MakeFlag.text(
    "out",
    "FILE",
    "Where the tags go: NDJSON, or CSV (.csv) or a JSON array (.json) by the extension"
  ),
  output: Output.flags,
  connection: Connection.flags
}, (input) =>
  Effect.gen(function*() {
    const accounts = AccountInput.fromFile(input.from, input.column)
    const tally = yield* Job.run({
      input: accounts.stream,
      count: accounts.count,
      process: Operations.lookup,
      entry: Row.entry(Row.tags),
      names: Row.names(Row.tags),
      format: Output.formatOfPath(input.out),
      destination: yield* Output.file(input.out, { what: "--out", append: false }),
      progress: yield* Progress.enabled(input.output.quiet)
    })
    yield* Summary.print([
      ["accounts", tally.total],
      ["ok", tally.total - tally.failed],
      ["failed", tally.failed],
      ["seconds", Summary.seconds(tally.millis)],
      ["out", input.out]
    ], input.output)
    yield* Job.check(tally, `--out ${input.out}`)
  }).pipe(Effect.provide(Connection.layer(input.connection)))).pipe(
    Command.withDescription("Export the push tags of every account of a file to another file, streaming"),
    Command.withExamples([
      { command: "timtags export --from users.txt --out tags.ndjson", description: "Any number of accounts" },
      {
        command: "timtags export --from users.csv --column user_id --out tags.csv",
        description: "A CSV column in, CSV out"
      }
    ])
  )
