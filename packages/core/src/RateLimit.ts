/**
 * Client-side rate limiting of REST calls: never more than `limit` calls started per key (an
 * SDKAppID and command) in any sliding window. A call over the limit waits for its turn, it is
 * never refused.
 *
 * The in-memory store keeps, per key, the start times of the last `limit` admitted calls (a sliding
 * log in a ring buffer) and gives each new call the earliest slot that is one window (plus a small
 * safety margin for network jitter) after the `limit`-th previous start. That bounds every sliding
 * window exactly, which Effect's token bucket and fixed window do not (they admit up to about twice
 * the limit in a sliding second), while still sustaining `limit / (window + margin)`.
 *
 * Starts are also paced (GCRA): after a burst of `burst` calls, calls start one `(window + margin) /
 * limit` apart. Without pacing, a full window's calls start at once, reach the server spread out
 * by tens of milliseconds, and the late ones of one burst share a server-side second with the
 * early ones of the next: measured against the emulator, up to 119 calls in one sliding second
 * and 19 frequency-limit answers for 300 calls. Pacing keeps the arrival spread small.
 *
 * `RateLimit` is a service so that a store shared by many processes can replace the in-memory one
 * with a layer, without changing any call site.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * A rate limiter over string keys.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Waits until one more call under `key` may start, and counts it. */
  readonly acquire: (key: string) => Effect.Effect<void>
}

/**
 * The `RateLimit` service key.
 *
 * @since 0.1.0
 * @category tags
 */
export class RateLimit extends Context.Service<RateLimit, Service>()("@timtags/core/RateLimit") {}

/**
 * Options of the in-memory limiter.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Calls per window; default 100 (Tencent's limit for every tag command). */
  readonly limit?: number | undefined
  /** Default 1 second. */
  readonly window?: Duration.Input | undefined
  /** Added to the window to absorb network jitter; default 20 ms. */
  readonly margin?: Duration.Input | undefined
  /** Calls that may start back to back before pacing applies; default 10. */
  readonly burst?: number | undefined
}

/**
 * Defaults of the limiter.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = { limit: 100, window: Duration.seconds(1), margin: Duration.millis(20), burst: 10 } as const

/**
 * The limiter's arithmetic for one key, without effects. A sliding log (the start `limit` calls
 * ago plus `windowMillis`) bounds every window; GCRA with a tolerance of `burst` calls paces starts
 * `windowMillis / limit` apart. `earliest(now)` says when the next call may start; `take(now)`
 * counts a call starting at `now` if it may, and says whether it did. Only actual start times are
 * recorded, so a caller that wakes late never lets a later one start early. Exposed for tests and
 * for other stores.
 *
 * @since 0.1.0
 * @category constructors
 */
export const slidingLog = (limit: number, windowMillis: number, burst: number = limit) => {
  const starts = new Array<number>(limit).fill(Number.NEGATIVE_INFINITY)
  const interval = windowMillis / limit
  const tolerance = (Math.max(1, Math.min(burst, limit)) - 1) * interval
  let oldest = 0
  let theoreticalArrival = Number.NEGATIVE_INFINITY
  const earliest = (now: number): number =>
    Math.max(now, starts[oldest]! + windowMillis, theoreticalArrival - tolerance)
  return {
    earliest,
    take(now: number): boolean {
      if (earliest(now) > now + 1e-6) return false
      starts[oldest] = now
      oldest = (oldest + 1) % limit
      theoreticalArrival = Math.max(now, theoreticalArrival) + interval
      return true
    }
  }
}

/**
 * Builds an in-memory limiter (one process).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (options: Options = {}): Effect.Effect<Service> =>
  Effect.sync(() => {
    const limit = options.limit ?? defaults.limit
    if (!Number.isInteger(limit) || limit <= 0) throw new RangeError(`rate limit must be a positive integer, got ${limit}`)
    const windowMillis = Duration.toMillis(options.window ?? defaults.window) +
      Duration.toMillis(options.margin ?? defaults.margin)
    const burst = options.burst ?? defaults.burst
    const logs = new Map<string, ReturnType<typeof slidingLog>>()
    const logOf = (key: string) => {
      let log = logs.get(key)
      if (log === undefined) logs.set(key, log = slidingLog(limit, windowMillis, burst))
      return log
    }
    // Waiters queue per key: each waits for the one before it to start, then for the clock. Only the
    // head of the queue sleeps on the clock, and starts are recorded at the time they happen.
    const tails = new Map<string, Deferred.Deferred<void>>()
    const waitForSlot = (log: ReturnType<typeof slidingLog>): Effect.Effect<void> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        log.take(now)
          ? Effect.void
          : Effect.andThen(Effect.sleep(Duration.millis(Math.max(1, Math.ceil(log.earliest(now) - now)))), waitForSlot(log)))
    const acquire = (key: string): Effect.Effect<void> =>
      Effect.uninterruptibleMask((restore) => {
        const log = logOf(key)
        const previous = tails.get(key)
        const mine = Deferred.makeUnsafe<void>()
        tails.set(key, mine)
        const turn = previous === undefined ? waitForSlot(log) : Effect.andThen(Deferred.await(previous), waitForSlot(log))
        // Whatever happens to this waiter, the next one gets its turn (after `previous`, if this one never started).
        const passOn = (started: boolean) =>
          Effect.sync(() => {
            if (tails.get(key) === mine) tails.delete(key)
          }).pipe(
            Effect.andThen(
              started || previous === undefined
                ? Effect.asVoid(Deferred.succeed(mine, undefined))
                : Effect.asVoid(Effect.forkDetach(Effect.andThen(Deferred.await(previous), Deferred.succeed(mine, undefined))))
            )
          )
        return restore(turn).pipe(Effect.onExit((exit) => passOn(exit._tag === "Success")))
      })
    return { acquire }
  })

/**
 * The in-memory limiter as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (options: Options = {}): Layer.Layer<RateLimit> => Layer.effect(RateLimit, makeMemory(options))

/**
 * No limiting at all (for tests against servers without limits).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerDisabled: Layer.Layer<RateLimit> = Layer.succeed(RateLimit, { acquire: () => Effect.void })
