/**
 * The report of `import`: an append-only NDJSON file. Each run adds a header line
 * (`{"import":"users.csv","replace":false,"started":"…"}`), then one line per record sent, written as soon
 * as its chunk completes: `{"line":12,"account":"alice","status":"ok"}` or `… "status":"failed","error":{…}}`.
 *
 * `--resume REPORT` reads it back: a record whose line is `ok` in any run is done and is not sent again;
 * a failed record, or one the report never got to (the run was interrupted while it was in flight), is sent
 * again, which tag writes allow (adding or replacing the same tags twice leaves the same tags). A line that
 * is not JSON (cut short by a crash) counts as not done.
 */
import * as Effect from "effect/Effect"
import type * as FileSystem from "effect/FileSystem"
import type * as Stdio from "effect/Stdio"
import * as Stream from "effect/Stream"
import { UsageError } from "./failures.js"
import * as TextInput from "./textInput.js"

/** What a report says. */
export interface Done {
  /** The `--replace` of the runs it records. */
  readonly replace: boolean
  /** The records done, by line: the account each line had. */
  readonly lines: ReadonlyMap<number, string>
}

/** The header line of a run. */
export const header = (file: string, replace: boolean, started: Date): string =>
  `${JSON.stringify({ import: file, replace, started: started.toISOString() })}\n`

/** The default report of an import file. */
export const defaultPath = (file: string): string => `${file}.report.ndjson`

const parse = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === "object" ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

/** Reads a report for `--resume`; a file that is not a report, or mixes `--replace` runs, is a usage error. */
export const read = (path: string): Effect.Effect<Done, UsageError, FileSystem.FileSystem | Stdio.Stdio> =>
  Effect.gen(function*() {
    const lines = new Map<number, string>()
    const modes = new Set<boolean>()
    yield* TextInput.lines({ path, label: "--resume" }).pipe(
      Stream.runForEach(({ text }) =>
        Effect.sync(() => {
          const value = parse(text)
          if (typeof value?.["import"] === "string") modes.add(value["replace"] === true)
          else if (value?.["status"] === "ok" && typeof value["line"] === "number") {
            lines.set(value["line"], String(value["account"]))
          }
        })
      )
    )
    if (modes.size !== 1) {
      return yield* new UsageError({
        problem: modes.size === 0
          ? `--resume ${path} is not an import report (it has no header line)`
          : `--resume ${path} records runs with and without --replace`,
        fix: "Pass the report an import wrote (its default is FILE.report.ndjson)"
      })
    }
    return { replace: [...modes][0]!, lines }
  })
