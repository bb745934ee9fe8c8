/**
 * A stream of accounts of any length through a read command, in bounded memory. Input is read a
 * call's worth at a time; duplicates are merged within such a chunk, invalid inputs get their own
 * `TimValidationError` in their place; each chunk's valid accounts go out as one unit (`Runner.chunk`).
 *
 * At most `concurrency` of this stream's calls are in flight, and a chunk is read from the input
 * only when one of them may start: inputs are never read ahead of the calls (a chunk held waiting
 * would live long enough to be promoted to V8's old generation). Output is in input order by default:
 * chunks that complete ahead of a slow one wait in a buffer of at most `readAhead` accounts, and
 * calls go on while the buffer has room, so one slow answer does not stall the stream for as long as
 * the buffer lasts (and a hedged lookup, see `Hedging`, rarely takes longer than its hedge delay).
 * With `order: "completion"` each chunk comes out as soon as it is done.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Semaphore from "effect/Semaphore"
import * as Stream from "effect/Stream"
import type { Progress, StreamItem } from "../../Batching.js"
import type { Runner } from "./engine.js"
import * as Many from "./many.js"

/** How a stream runs. */
export interface Options<R> {
  /** Called with the progress after each chunk comes out. */
  readonly onProgress?: ((progress: Progress) => Effect.Effect<void, never, R>) | undefined
  /** Calls of this stream in flight at once. */
  readonly concurrency: number
  /** Accounts fetched ahead of the one the output waits for (input order only). */
  readonly readAhead: number
  /** `input` (default): outcomes in input order; `completion`: each chunk as soon as it is done. */
  readonly order: "input" | "completion"
}

/** Looks up one chunk of inputs as the many-account forms do: refusals in place, duplicates merged, the rest as one unit. */
const lookup = <O>(runner: Runner<void, O>) => (chunk: ReadonlyArray<string>): Effect.Effect<Array<StreamItem<O>>> =>
  Effect.map(
    Many.run(Many.ofAccounts(chunk), runner),
    (outcomes) => chunk.map((account) => ({ account, result: outcomes.get(account)! }))
  )

/** Streams the outcomes of `accounts` through a read runner. */
export const stream = <O, E, R, R2>(
  runner: Runner<void, O>,
  accounts: Stream.Stream<string, E, R>,
  options: Options<R2>
): Stream.Stream<StreamItem<O>, E, R | R2> =>
  Stream.unwrap(Effect.gen(function*() {
    const started = yield* Clock.currentTimeMillis
    const calls = yield* Semaphore.make(options.concurrency)
    const ahead = Math.max(options.concurrency, Math.ceil(options.readAhead / runner.maxPerCall))
    const chunkOf = lookup(runner)
    let done = 0
    let failed = 0
    const { onProgress } = options
    const progress = (items: ReadonlyArray<StreamItem<O>>) => {
      done += items.length
      for (const item of items) if (Result.isFailure(item.result)) failed++
      return Effect.flatMap(Clock.currentTimeMillis, (now) =>
        onProgress!({ accounts: done, failed, elapsedMillis: now - started }))
    }
    const chunks = accounts.pipe(
      Stream.grouped(runner.maxPerCall),
      // A call's permit first, then the chunk goes on; the permit is given back when its lookup is done.
      Stream.mapEffect((chunk) =>
        Effect.as(calls.take(1), chunk)
      ),
      Stream.mapEffect((chunk) => Effect.ensuring(chunkOf(chunk), calls.release(1)), {
        concurrency: ahead,
        unordered: options.order === "completion"
      })
    )
    // Progress is counted only for a caller who asked for it.
    return (onProgress === undefined ? chunks : Stream.tap(chunks, progress)).pipe(Stream.flattenIterable)
  }))
