/**
 * Client-side rate limiting of REST calls: never more than `limit` calls started per key (an
 * SDKAppID and command) in any sliding window, measured where it matters, at the server. A call
 * over the limit waits for its turn; nothing is ever dropped.
 *
 * - **Starts as the server sees them.** A call counts from the moment its request was written
 *   (`Permit.started`, which `TimRest` reports from the HTTP layer), not from when it was allowed to
 *   go: a request that waited for a connection or a busy event loop pushes the next window back
 *   instead of reaching the server together with later calls.
 * - **Headroom.** Each window is `window + margin` long (default 1 s + 40 ms), so calls whose
 *   arrivals bunch by up to 40 ms on the way from the socket to the server's counter (network jitter)
 *   still never exceed the limit there, while the sustained rate stays at 96 % of the limit (a
 *   margin of m ms caps it at 1000 / (1000 + m)). Bunching before the write (a request waiting for
 *   a connection or a busy event loop: up to ~100 ms measured when a large batch starts) needs no
 *   margin: the call counts from its write.
 * - **Pacing.** After a burst of `burst` calls, starts are paced one `(window + margin) / limit`
 *   apart (GCRA), so one window's calls never reach the server in a lump.
 * - **When the server disagrees.** A frequency-limit answer (`refused`) stops new calls under that
 *   key until a full window after it, halves the rate, and gives back a tenth of the limit per quiet
 *   window after that (AIMD). The refused call's retry waits in the same queue.
 *
 * `RateLimit` is a service so that a store shared by many processes (`@timtags/ratelimit-redis`)
 * can replace the in-memory one with a layer, without changing any call site.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as KeyQueue from "./internal/keyQueue.js"
import * as LimiterLog from "./internal/limiterLog.js"

/**
 * A call allowed to start. Report when its request was actually written; until then it counts as
 * starting "now or later", which holds back the calls a window after it.
 *
 * @since 0.2.0
 * @category models
 */
export interface Permit {
  /** The moment (epoch ms, Effect's `Clock`) the request was written; the first report counts. */
  readonly started: (at: number) => void
}

/**
 * A rate limiter over string keys.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Waits until one more call under `key` may start, counts it, and returns its permit. */
  readonly acquire: (key: string) => Effect.Effect<Permit>
  /** Tells the limiter the server refused a call under `key` for its frequency limit at `at` (epoch ms). */
  readonly refused: (key: string, at: number) => Effect.Effect<void>
}

/**
 * The `RateLimit` service key.
 *
 * @example
 * ```ts
 * import { Client, RateLimit } from "@timtags/core"
 * import { Effect, Layer } from "effect"
 *
 * // A custom store: core's in-memory limiter, logging every refusal.
 * const LoggedLimit = Layer.effect(
 *   RateLimit.RateLimit,
 *   Effect.map(RateLimit.makeMemory(), (memory) =>
 *     RateLimit.RateLimit.of({
 *       acquire: memory.acquire,
 *       refused: (key, at) =>
 *         Effect.andThen(Effect.logWarning(`${key}: the server refused a call at ${at}`), memory.refused(key, at))
 *     }))
 * )
 *
 * const TagsLive = Client.layer({ rateLimit: LoggedLimit })
 * ```
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
  /** Added to the window to absorb arrival bunching between the write and the server; default 40 ms. */
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
export const defaults = { limit: 100, window: Duration.seconds(1), margin: Duration.millis(40), burst: 10 } as const

/**
 * The limiter's arithmetic for one key, without effects (sliding log of actual starts, GCRA pacing,
 * AIMD after refusals). Exposed for tests and for other stores.
 *
 * @since 0.1.0
 * @category constructors
 */
export const slidingLog: (limit: number, windowMillis: number, burst?: number) => LimiterLog.LimiterLog =
  LimiterLog.make

/** A permit that records nothing (for limiters that count calls when they let them go). */
const noPermit: Permit = { started: () => {} }

/**
 * Builds an in-memory limiter (one process).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (options: Options = {}): Effect.Effect<Service> =>
  Effect.sync(() => {
    const limit = options.limit ?? defaults.limit
    if (!Number.isInteger(limit) || limit <= 0) {
      throw new RangeError(`rate limit must be a positive integer, got ${limit}`)
    }
    const windowMillis = Duration.toMillis(options.window ?? defaults.window) +
      Duration.toMillis(options.margin ?? defaults.margin)
    const burst = options.burst ?? defaults.burst
    const logs = new Map<string, LimiterLog.LimiterLog>()
    const logOf = (key: string) => {
      let log = logs.get(key)
      if (log === undefined) logs.set(key, log = LimiterLog.make(limit, windowMillis, burst))
      return log
    }
    const waitForSlot = (log: LimiterLog.LimiterLog): Effect.Effect<Permit> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const slot = log.take(now)
        if (slot !== undefined) return Effect.succeed({ started: (at: number) => log.started(slot, at) })
        return Effect.andThen(
          Effect.sleep(Duration.millis(Math.max(1, Math.ceil(log.earliest(now) - now)))),
          waitForSlot(log)
        )
      })
    const queue = KeyQueue.make()
    return {
      acquire: (key) => queue.inTurn(key, waitForSlot(logOf(key))),
      refused: (key, at) => Effect.sync(() => logOf(key).refused(at))
    }
  })

/**
 * The in-memory limiter as a layer.
 *
 * @example
 * ```ts
 * import { Client, RateLimit } from "@timtags/core"
 *
 * // Leave room for another service that calls the same app: 60 calls per sliding second.
 * const TagsLive = Client.layer({ rateLimit: RateLimit.layerMemory({ limit: 60 }) })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (options: Options = {}): Layer.Layer<RateLimit> =>
  Layer.effect(RateLimit, makeMemory(options))

/**
 * No limiting at all (for tests against servers without limits).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerDisabled: Layer.Layer<RateLimit> = Layer.succeed(RateLimit, {
  acquire: () => Effect.succeed(noPermit),
  refused: () => Effect.void
})
