/**
 * `timtags import FILE`: sets the tags a CSV or NDJSON file lists (see `ImportFile`), writing a per-account
 * report (see `ImportReport`); `--resume REPORT` sends only what the report does not record as done.
 *
 * Semantics: by default the file's tags are **added** to each account's (`add_tag`, `Replace: 0`; an account
 * listed with no tags is left alone). With `--replace` they **become** each account's only tags (`Replace: 1`;
 * no tags clears them), so the file is the truth; an account may then appear only once.
 *
 * Before anything is sent, `ImportPlan` reads the whole file once: a malformed record, an account listed twice
 * with `--replace`, or a report that does not match the file is a usage error (exit 2) and nothing is sent.
 */
import { PushTags } from "@timtags/core"
import { Argument, Command } from "effect/cli"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import * as Connection from "../connection.js"
import * as ImportFile from "../importFile.js"
import * as ImportPlan from "../importPlan.js"
import * as ImportReport from "../importReport.js"
import * as Job from "../job.js"
import * as MakeFlag from "../makeFlag.js"
import * as Operations from "../operations.js"
import * as Output from "../output.js"
import * as Progress from "../progress.js"
import * as Row from "../row.js"
import * as Summary from "../summary.js"

/** One record's outcome, with its line. */
interface Sent extends Row.Outcome<void> {
  readonly line: number
}

/** Sends a chunk of entries: tags added (or replaced); with `--replace`, no tags clears them. */
const send = (replace: boolean) =>
  Operations.inChunks((entries: ReadonlyArray<ImportFile.Entry>) =>
    PushTags.PushTags.use((pushTags) => {
      const writes = entries.filter((entry) => entry.tags.length > 0)
      const clears = replace ? entries.filter((entry) => entry.tags.length === 0).map(({ account }) => account) : []
      return Effect.all([
        pushTags.addTagsMany(writes, { replace }),
        pushTags.clearAllTagsMany(clears)
      ], { concurrency: 2 }).pipe(Effect.map(([written, cleared]) =>
        entries.map(({ account, line, tags }): Sent => ({
          line,
          account,
          result: tags.length > 0 ? written.get(account)! : replace ? cleared.get(account)! : Result.void
        }))
      ))
    })
  )

/** The `import` command. */
export const command = Command.make("import", {
  file: Argument.String("file").pipe(Argument.withDescription("CSV (account,tags with tags a;b) or NDJSON")),
  replace: MakeFlag.toggle(
    "replace",
    "Each account's tags become exactly the file's (no tags clears them); default: add them"
  ),
  report: MakeFlag.optionalText(
    "report",
    "FILE",
    "Where the per-account report goes (default FILE.report.ndjson; must not exist yet)"
  ),
  resume: MakeFlag.optionalText(
    "resume",
    "REPORT",
    "Continue the import this report records: what it lists as ok is not sent again"
  ),
  output: Output.flags,
  connection: Connection.flags
}, (input) =>
  Effect.gen(function*() {
    const { file, replace } = input
    const { checked, done, report } = yield* ImportPlan.prepare(input)
    const destination = yield* Output.file(report, { what: "the report", append: true })
    yield* destination.write(Stream.make(ImportReport.header(file, replace, new Date())))
    const tally = yield* Job.run({
      input: ImportFile.read(file).pipe(
        Stream.filter((item): item is ImportFile.Entry => item._tag === "Entry" && !done.has(item.line))
      ),
      count: Effect.succeedSome(checked.entries - checked.skipped),
      process: send(replace),
      entry: (sent: Sent) => [["line", sent.line], ...Row.entry(Row.done)(sent)],
      names: ["line", ...Row.names(Row.done)],
      format: "ndjson",
      destination,
      progress: yield* Progress.enabled(input.output.quiet)
    }).pipe(
      Effect.onInterrupt(() =>
        Console.error(`interrupted; the report ${report} lists what was done: continue with --resume ${report}`)
      )
    )
    yield* Summary.print([
      ["file", file],
      ["records", checked.entries],
      ["ignored", checked.ignored],
      ["skipped", checked.skipped],
      ["sent", tally.total],
      ["ok", tally.total - tally.failed],
      ["failed", tally.failed],
      ["seconds", Summary.seconds(tally.millis)],
      ["report", report]
    ], input.output)
    yield* Job.check(tally, `the report ${report}`)
  }).pipe(Effect.provide(Connection.layer(input.connection)))).pipe(
    Command.withDescription("Set the push tags a CSV or NDJSON file lists, with a per-account report to resume from"),
    Command.withExamples([
      {
        command: "timtags import tags.csv",
        description: "Add the tags of each line; report in tags.csv.report.ndjson"
      },
      { command: "timtags import --replace tags.ndjson", description: "Each account's tags become the file's" },
      {
        command: "timtags import tags.csv --resume tags.csv.report.ndjson",
        description: "After a failure or Ctrl-C: send only what is not done"
      }
    ])
  )
