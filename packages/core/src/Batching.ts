/**
 * How the services of the client (`PushTags`, `PushAttrs`, `Accounts`) batch their calls, and the
 * shapes their streams share. Every service takes the same `Options`:
 *
 * - `window` (default 5 ms): how long a single-account request waits for others to share its call;
 * - `maxBatchSize` (default and at most 100): accounts per call;
 * - `concurrency` (default 32): REST calls of the service in flight at once (the rate limiter paces
 *   them);
 * - `shareInFlight` (default `true`): whether a lookup joins a call already in flight for its
 *   account (unless a write completed since it was sent);
 * - `hedge`: when a slow lookup gets a second, identical call (default: twice the recent p99
 *   latency, never sooner than 200 ms, at most 5 % of calls); `false` turns hedging off.
 *
 * @since 0.3.0
 */
import * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Result from "effect/Result"
import type { TimLookupError, TimValidationError } from "./TimError.js"

/**
 * When a slow lookup is hedged: a lookup call still unanswered `factor` times the recent p99
 * latency after its latest attempt was sent (and at least `minDelay`) gets a second, identical
 * call, and a hedge that is slow too one more; the first answer wins. At most `budget` (a share)
 * of calls are hedged over time. A call that starts before any latency is known is not hedged;
 * until `minSamples` are known, the delay is 1 s (or `minDelay`, if longer). Writes and pushes are
 * never hedged.
 *
 * @since 0.3.0
 * @category models
 */
export interface HedgeOptions {
  readonly minDelay?: Duration.Input | undefined
  readonly factor?: number | undefined
  readonly budget?: number | undefined
  readonly minSamples?: number | undefined
}

/**
 * Options of a service.
 *
 * @since 0.3.0
 * @category models
 */
export interface Options {
  /** How long an operation waits for others to share its call; default 5 ms. */
  readonly window?: Duration.Input | undefined
  /** Accounts per call; default (and at most) 100. */
  readonly maxBatchSize?: number | undefined
  /** REST calls of the service in flight at once; default 32 (the rate limiter paces them). */
  readonly concurrency?: number | undefined
  /**
   * Whether a lookup joins a call already in flight for its account (unless a write completed since
   * it was sent); default `true`. With `false` it joins only one still waiting for its batch.
   */
  readonly shareInFlight?: boolean | undefined
  /** When slow lookups are hedged; `false`: never. Default: see `HedgeOptions`. */
  readonly hedge?: HedgeOptions | false | undefined
}

/**
 * The defaults.
 *
 * @since 0.3.0
 * @category constants
 */
export const defaults = {
  window: Duration.millis(5),
  maxBatchSize: 100,
  concurrency: 32,
  shareInFlight: true,
  hedge: { minDelay: Duration.millis(200), factor: 2, budget: 0.05, minSamples: 32 }
} as const

/**
 * The outcome of one account in a many-account operation.
 *
 * @since 0.3.0
 * @category models
 */
export type Outcome<A> = Result.Result<A, TimLookupError | TimValidationError>

/**
 * One account's outcome in a stream.
 *
 * @since 0.3.0
 * @category models
 */
export interface StreamItem<A> {
  readonly account: string
  readonly result: Outcome<A>
}

/**
 * Progress of a stream so far.
 *
 * @since 0.3.0
 * @category models
 */
export interface Progress {
  /** Accounts with an outcome. */
  readonly accounts: number
  /** Of those, the failed ones. */
  readonly failed: number
  /** Milliseconds since the stream started. */
  readonly elapsedMillis: number
}

/**
 * Options of a stream of lookups.
 *
 * @since 0.3.0
 * @category models
 */
export interface StreamOptions<R = never> {
  /**
   * Called with the progress after each chunk (of up to 100 accounts) comes out. It may return an
   * Effect (to log, or to use services: its requirements become the stream's), or nothing.
   */
  readonly onProgress?: ((progress: Progress) => Effect.Effect<void, never, R> | void) | undefined
  /** Calls of this stream in flight at once; default the service's `concurrency`. */
  readonly concurrency?: number | undefined
  /**
   * With outcomes in input order: how many accounts may be fetched ahead of the one the output waits
   * for, so that one slow answer does not stall the stream; default 16 calls' worth per call in
   * flight (51,200 accounts at the default concurrency: the 5 s request timeout at 10,000 accounts/s;
   * about 10 MB when full).
   */
  readonly readAhead?: number | undefined
  /** `input` (default): outcomes in input order; `completion`: each chunk as soon as it is done. */
  readonly order?: "input" | "completion" | undefined
}
