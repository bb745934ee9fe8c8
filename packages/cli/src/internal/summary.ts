/**
 * The one-record summary that bulk commands (`export`, `import`) print on stdout when they finish, in the
 * `--format` of the run: its fields in order (`accounts`, `ok`, `failed`, `seconds`, where the rows went, …).
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

/** Prints the summary on stdout. */
export const print = (summary: Entry, flags: Output.Flags): Effect.Effect<void, UsageError, Stdio.Stdio> =>
  Effect.gen(function*() {
    const encoder = Encoders.make(yield* Output.stdoutFormat(flags), summary.map(([name]) => name))
    const stdout = yield* Output.stdout
    yield* stdout.write(Stream.make(encoder.chunk([summary]) + encoder.end()))
  })
