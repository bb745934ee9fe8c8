/** The public batching options (`Batching.Options`, `Batching.StreamOptions`) resolved for the engine. */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Batching from "../../Batching.js"
import type * as Engine from "./engine.js"
import type * as Streams from "./stream.js"

/** `n`, if it is a positive integer; throws a `RangeError` naming the option otherwise. */
const positiveInteger = (name: string, n: number): number => {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer, got ${n}`)
  return n
}

/** The engine's options from a service's (a `RangeError` naming an option that is not a positive integer). */
export const engine = (options: Batching.Options): Engine.Options => {
  const hedge = options.hedge ?? {}
  const defaults = Batching.defaults.hedge
  const maxBatchSize = positiveInteger("maxBatchSize", options.maxBatchSize ?? Batching.defaults.maxBatchSize)
  return {
    window: Duration.fromInputUnsafe(options.window ?? Batching.defaults.window),
    maxPerCall: Math.min(maxBatchSize, Batching.defaults.maxBatchSize),
    concurrency: positiveInteger("concurrency", options.concurrency ?? Batching.defaults.concurrency),
    shareInFlight: options.shareInFlight ?? Batching.defaults.shareInFlight,
    hedging: hedge === false ? false : {
      minDelay: Duration.fromInputUnsafe(hedge.minDelay ?? defaults.minDelay),
      factor: hedge.factor ?? defaults.factor,
      budget: hedge.budget ?? defaults.budget,
      minSamples: hedge.minSamples ?? defaults.minSamples
    }
  }
}

/**
 * Calls' worth of accounts a stream in input order fetches ahead, per call in flight, by default:
 * 16 × 32 calls × 100 accounts = 51,200 accounts, 5 s at 10,000 accounts/s (Tencent's default of
 * 100 calls per second), so that even a call that waits out the 5 s request timeout does not stall
 * the stream at that rate. A full buffer holds ~10 MB of tags.
 */
export const readAheadCalls = 16

/** A stream's options from the caller's, for `runner` (its concurrency the default, its call size). */
export const stream = <R>(
  runner: { readonly concurrency: number; readonly maxPerCall: number },
  options: Batching.StreamOptions<R> = {}
): Streams.Options<R> => {
  const { maxPerCall } = runner
  const concurrency = options.concurrency ?? runner.concurrency
  const { onProgress } = options
  return {
    concurrency,
    readAhead: options.readAhead ?? readAheadCalls * concurrency * maxPerCall,
    order: options.order ?? "input",
    onProgress: onProgress === undefined ? undefined : (progress) => {
      const effect = onProgress(progress)
      return Effect.isEffect(effect) ? effect : Effect.void
    }
  }
}
