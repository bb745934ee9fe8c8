/**
 * Records a command prints on stdout once, when it has them all, in the `--format` of the run: the summary of a
 * bulk command (`export`, `import`: `accounts`, `ok`, `failed`, `seconds`, where the rows went, …), the app's
 * attribute names, the task of a push. Every record has the same fields, in order.
 */
import * as Effect from "effect/Effect"
import type * as Stdio from "effect/Stdio"
import * as Stream from "effect/Stream"
import * as Encoders from "./encoders.js"
import type { UsageError } from "./failures.js"
import * as Output from "./output.js"
import type { Entry } from "./row.js"

/** Seconds, to a tenth. */
export const seconds = (millis: number): number => Math.round(millis / 100) / 10

/** Prints records with the fields `names` on stdout. */
export const printAll = (
  names: ReadonlyArray<string>,
  records: ReadonlyArray<Entry>,
  flags: Output.Flags
): Effect.Effect<void, UsageError, Stdio.Stdio> =>
  Effect.gen(function*() {
    const encoder = Encoders.make(yield* Output.stdoutFormat(flags), names)
    const stdout = yield* Output.stdout
    yield* stdout.write(Stream.make(encoder.chunk(records) + encoder.end()))
  })

/** Prints one record (a summary) on stdout. */
export const print = (summary: Entry, flags: Output.Flags): Effect.Effect<void, UsageError, Stdio.Stdio> =>
  printAll(summary.map(([name]) => name), [summary], flags)
