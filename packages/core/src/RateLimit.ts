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
 * `RateLimit` is a service so that a store shared by many processes can replace the in-memory one
 * with a layer, without changing any call site.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
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
 * The `RateLimit` service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class RateLimit extends Context.Tag("@timtags/core/RateLimit")<RateLimit, Service>() {}

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
  readonly window?: Duration.DurationInput | undefined
  /** Added to the window to absorb network jitter; default 20 ms. */
  readonly margin?: Duration.DurationInput | undefined
}

/**
 * Defaults of the limiter.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = { limit: 100, window: Duration.seconds(1), margin: Duration.millis(20) } as const

/**
 * The sliding-log arithmetic for one key, without effects: `reserve(now)` returns the time the
 * next call may start. Exposed for tests and for other stores.
 *
 * @since 0.1.0
 * @category constructors
 */
export const slidingLog = (limit: number, spacingMillis: number) => {
  const slots = new Array<number>(limit).fill(Number.NEGATIVE_INFINITY)
  let head = 0
  return {
    reserve(now: number): number {
      const slot = Math.max(now, slots[head]! + spacingMillis)
      slots[head] = slot
      head = (head + 1) % limit
      return slot
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
    const spacing = Duration.toMillis(options.window ?? defaults.window) + Duration.toMillis(options.margin ?? defaults.margin)
    const logs = new Map<string, ReturnType<typeof slidingLog>>()
    const logOf = (key: string) => {
      let log = logs.get(key)
      if (log === undefined) logs.set(key, log = slidingLog(limit, spacing))
      return log
    }
    return {
      acquire: (key) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const wait = logOf(key).reserve(now) - now
          return wait > 0 ? Effect.sleep(Duration.millis(wait)) : Effect.void
        })
    }
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
