/**
 * One run of per-account work, the same for every command: inputs stream in, the command's `process` turns
 * them into one outcome each (in order), and each chunk of outcomes is counted, shown on the progress line
 * and written to the destination in the chosen format as it completes. Memory stays bounded whatever the
 * number of inputs.
 *
 * Two rules every command gets from here: a `UsageError` raised after the first input was handed over
 * (a malformed line half-way through a file) ends the run as `Stopped` (exit 1), since something may have
 * been sent; and a failure that will fail every account alike (wrong credentials, not an admin) stops the
 * run after printing it, instead of failing the remaining accounts one call at a time.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Stdio from "effect/Stdio"
import * as Stream from "effect/Stream"
import * as Encoders from "./encoders.js"
import { AccountsFailed, Stopped, type UsageError } from "./failures.js"
import type { Destination } from "./output.js"
import * as Progress from "./progress.js"
import * as Row from "./row.js"

/** What a run needs. */
export interface Work<I, O extends Row.Outcome<unknown>, R, RP> {
  /** The inputs, read as they are needed. */
  readonly input: Stream.Stream<I, UsageError, R>
  /** How many inputs there are, if known; read only when progress shows. */
  readonly count: Effect.Effect<Option.Option<number>, UsageError, R>
  /** Sends the inputs, giving one outcome per input, in input order. */
  readonly process: (input: Stream.Stream<I, UsageError, R>) => Stream.Stream<O, UsageError, RP>
  /** How an outcome prints, and the names of its fields. */
  readonly entry: (outcome: O) => Row.Entry
  readonly names: ReadonlyArray<string>
  readonly format: Encoders.Format
  readonly destination: Destination
  /** Whether to show progress (stderr is a terminal and no `--quiet`). */
  readonly progress: boolean
}

/** How a run went. */
export interface Tally {
  readonly total: number
  readonly failed: number
  readonly millis: number
}

/** Runs the work to its end (or to a fatal failure); fails only with `UsageError` (nothing sent) or `Stopped`. */
export const run = <I, O extends Row.Outcome<unknown>, R, RP>(
  work: Work<I, O, R, RP>
): Effect.Effect<Tally, UsageError | Stopped, R | RP | Stdio.Stdio> =>
  Effect.scoped(Effect.gen(function*() {
    const total = work.progress ? yield* work.count : Option.none()
    const progress = yield* Progress.make({ enabled: work.progress, total })
    const started = yield* Clock.currentTimeMillis
    const encoder = Encoders.make(work.format, work.names)
    let sent = false
    let done = 0
    let failed = 0
    let fatal: O | undefined
    const input = work.input.pipe(Stream.mapArray((chunk) => {
      sent = true
      return chunk
    }))
    const text = work.process(input).pipe(
      Stream.mapArray((outcomes) => {
        for (const outcome of outcomes) {
          done++
          if (outcome.result._tag === "Failure") {
            failed++
            if (fatal === undefined && Row.isFatal(outcome.result.failure)) fatal = outcome
          }
        }
        progress.update({ done, failed })
        return [encoder.chunk(outcomes.map(work.entry))] as const
      }),
      Stream.takeUntil(() => fatal !== undefined),
      Stream.concat(Stream.suspend(() => Stream.make(encoder.end()))),
      Stream.filter((chunk) => chunk !== "")
    )
    const { destination } = work
    const written = destination.terminal
      ? Stream.runForEach(text, (chunk) => progress.above(destination.write(Stream.make(chunk))))
      : destination.write(text)
    yield* written.pipe(
      Effect.catchTag("UsageError", (error): Effect.Effect<never, UsageError | Stopped> =>
        Effect.fail(sent ? new Stopped({ reason: error.message, done }) : error))
    )
    if (fatal !== undefined && fatal.result._tag === "Failure") {
      return yield* new Stopped({ reason: fatal.result.failure.message, done })
    }
    const finished = yield* Clock.currentTimeMillis
    return { total: done, failed, millis: finished - started }
  }))

/** Fails with `AccountsFailed` when some accounts failed, naming where they are listed (`the output`, …). */
export const check = (tally: Tally, where: string): Effect.Effect<void, AccountsFailed> =>
  tally.failed > 0 ? Effect.fail(new AccountsFailed({ failed: tally.failed, total: tally.total, where })) : Effect.void
