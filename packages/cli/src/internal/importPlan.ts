/**
 * What `import` checks before it sends anything, reading the file once: the report to append to (a new one
 * must not exist; a resumed one must record this file and mode), the records the report already lists as
 * done, and whether the file is safe to send (every record well-formed; with `--replace`, each account once).
 * Any problem is a `UsageError`, and nothing has been sent.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { UsageError } from "./failures.js"
import * as ImportFile from "./importFile.js"
import * as ImportReport from "./importReport.js"
import * as TextInput from "./textInput.js"

/** What the first read of the file found. */
export interface Checked {
  readonly entries: number
  readonly ignored: number
  readonly skipped: number
}

/** Reads the whole file once, without sending: counts, and refuses what would make the import unsafe. */
const checkFile = (file: string, replace: boolean, done: ImportReport.Done | undefined) =>
  Effect.gen(function*() {
    const counts = { entries: 0, ignored: 0, skipped: 0 }
    const firstLine = new Map<string, number>()
    const refuse = (problem: string, fix: string) => Effect.fail(new UsageError({ problem, fix }))
    yield* ImportFile.read(file).pipe(Stream.runForEach((item) => {
      if (item._tag === "Ignored") return Effect.sync(() => counts.ignored++)
      counts.entries++
      const first = replace ? firstLine.get(item.account) : undefined
      if (first !== undefined) {
        return refuse(
          `${file}: lines ${first} and ${item.line} both list ${JSON.stringify(item.account)}`,
          "With --replace each account's tags must be on one line"
        )
      }
      if (replace) firstLine.set(item.account, item.line)
      const doneAs = done?.lines.get(item.line)
      if (doneAs === undefined) return Effect.void
      counts.skipped++
      return doneAs === item.account ? Effect.void : refuse(
        `the report has ${JSON.stringify(doneAs)} at line ${item.line}, ${file} has ${JSON.stringify(item.account)}`,
        "Resume with the report of this file, unchanged since that run"
      )
    }))
    if (done !== undefined && counts.skipped < done.lines.size) {
      return yield* refuse(
        `the report records lines ${file} does not have`,
        "Resume with the report of this file, unchanged since that run"
      )
    }
    return counts satisfies Checked
  })

/** The report's path: `--resume`'s report, or `--report`, or the default; a new report must not exist yet. */
const reportPath = (file: string, report: Option.Option<string>, resume: Option.Option<string>) =>
  Effect.gen(function*() {
    if (Option.isSome(resume)) {
      if (Option.isSome(report) && report.value !== resume.value) {
        return yield* new UsageError({
          problem: "--report and --resume name different files",
          fix: "A resumed import appends to the report it resumes; drop --report"
        })
      }
      return resume.value
    }
    const path = Option.getOrElse(report, () => ImportReport.defaultPath(file))
    const exists = yield* FileSystem.FileSystem.use((fs) => fs.exists(path)).pipe(Effect.orElseSucceed(() => false))
    return exists
      ? yield* new UsageError({
        problem: `the report ${path} exists already`,
        fix: `Continue that import with --resume ${path}, or choose another --report`
      })
      : path
  })

/** What the import was asked to do. */
export interface Request {
  readonly file: string
  readonly replace: boolean
  readonly report: Option.Option<string>
  readonly resume: Option.Option<string>
}

/** The checked import: the file's counts, the lines already done (by line), and the report to append to. */
export interface Plan {
  readonly checked: Checked
  /** The lines done, by line (their accounts, as the report has them). */
  readonly done: ReadonlyMap<number, string>
  readonly report: string
}

/** Checks everything an import needs before it sends anything. */
export const prepare = (request: Request) =>
  Effect.gen(function*() {
    const { file, replace } = request
    if (file === TextInput.stdin) {
      return yield* new UsageError({
        problem: "import reads a file twice (checked, then sent), not standard input",
        fix: "Save it to a file first"
      })
    }
    const done = Option.isSome(request.resume) ? yield* ImportReport.read(request.resume.value) : undefined
    if (done !== undefined && done.replace !== replace) {
      return yield* new UsageError({
        problem: `the report was written ${done.replace ? "with" : "without"} --replace`,
        fix: `Resume ${done.replace ? "with" : "without"} --replace`
      })
    }
    const report = yield* reportPath(file, request.report, request.resume)
    const checked = yield* checkFile(file, replace, done)
    return { checked, done: done?.lines ?? new Map(), report } satisfies Plan
  })
