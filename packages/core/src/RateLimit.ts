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
 * - **A rate per key.** Every key gets the limiter's `limit` per `window` unless its caller passes
 *   its own `Rate` (Tencent's push commands have other limits than the tag commands: `timpush/push`
 *   calls must be more than a second apart, `timpush/batch` is 10 per second, ...). The margin,
 *   pacing and AIMD apply to every rate.
 * - **Quotas.** `quota` counts uses that reset at a given moment (the daily push quota), shared like
 *   the limits: in this process here, across processes with `@timtags/ratelimit-redis`. It is
 *   advisory: other callers of the app use the same quota without telling it.
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
import * as QuotaCounter from "./internal/quotaCounter.js"

/**
 * Calls allowed per window under one key. The limiter adds its margin to the window.
 *
 * @example
 * ```ts
 * import type { RateLimit } from "@timtags/core"
 *
 * // Tencent: pushes more than 1 s apart (spaced 1.1 s here), `timpush/batch` 10 per second.
 * const push: RateLimit.Rate = { limit: 1, windowMillis: 1100 }
 * const batch: RateLimit.Rate = { limit: 10, windowMillis: 1000 }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface Rate {
  /** Calls per window: a positive integer. */
  readonly limit: number
  /** The window, in ms: a positive number. */
  readonly windowMillis: number
}

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
 * Counters that reset at a given moment, shared like the limits (in memory, or across processes in
 * Redis). A counter is named by its key and the moment its period ends: callers sharing one pass the
 * same `resetsAt` (e.g. the next midnight in China Standard Time for Tencent's daily push quota).
 * Advisory: the server keeps the real count, and other callers of the app use it too.
 *
 * @since 0.3.0
 * @category models
 */
export interface Quota {
  /** Takes one use of counter `key` if fewer than `max` were taken before `resetsAt` (epoch ms, when the counter starts again from 0); `false` when none is left. */
  readonly take: (key: string, max: number, resetsAt: number) => Effect.Effect<boolean>
  /** Gives one use back (a push the server certainly did not take). */
  readonly giveBack: (key: string, resetsAt: number) => Effect.Effect<void>
  /** Marks the counter used up until `resetsAt` (the server answered 90047). */
  readonly exhaust: (key: string, max: number, resetsAt: number) => Effect.Effect<void>
  /** Uses taken so far in the current period (0 after `resetsAt`). */
  readonly used: (key: string, resetsAt: number) => Effect.Effect<number>
}

/**
 * A rate limiter over string keys, and its quota counters.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Waits until one more call under `key` may start at `rate` (default: the limiter's own limit and
   * window), counts it, and returns its permit. Calls under one key should pass one rate (a key whose
   * rate changes keeps its latest starts and pause, not its slowdown after refusals).
   */
  readonly acquire: (key: string, rate?: Rate) => Effect.Effect<Permit>
  /** Tells the limiter the server refused a call under `key` for its frequency limit at `at` (epoch ms). */
  readonly refused: (key: string, at: number) => Effect.Effect<void>
  /** Counters that reset at a given moment (the daily push quota), in the limiter's store. @since 0.3.0 */
  readonly quota: Quota
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
 *       quota: memory.quota,
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
  /** Calls per window for keys acquired without a rate; default 100 (Tencent's limit for every tag command). */
  readonly limit?: number | undefined
  /** Default 1 second. */
  readonly window?: Duration.Input | undefined
  /** Added to every window to absorb arrival bunching between the write and the server; default 40 ms. */
  readonly margin?: Duration.Input | undefined
  /** Calls that may start back to back before pacing applies; default 10 (at most the key's limit). */
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
 * Checks a rate, throwing a `RangeError` that names what is wrong.
 *
 * @since 0.3.0
 * @category validation
 */
export const checkRate = (rate: Rate): Rate => {
  if (!Number.isInteger(rate.limit) || rate.limit <= 0) {
    throw new RangeError(`rate limit must be a positive integer, got ${rate.limit}`)
  }
  if (!Number.isFinite(rate.windowMillis) || rate.windowMillis <= 0) {
    throw new RangeError(`rate window must be a positive number of ms, got ${rate.windowMillis}`)
  }
  return rate
}

/**
 * The in-memory limiter, which can also count calls that another limiter let go.
 *
 * @since 0.3.0
 * @category models
 */
export interface Memory extends Service {
  /**
   * Counts a call under `key` at `rate` that starts at `at` (epoch ms, Effect's `Clock`) or later,
   * without waiting and whatever the limit: a call another limiter let go (the Redis limiter records
   * its calls here, so that its in-process fall-back knows them when Redis fails). Report the write
   * on the permit.
   */
  readonly record: (key: string, at: number, rate?: Rate) => Permit
}

/** A permit that records nothing (for limiters that count calls when they let them go). */
const noPermit: Permit = { started: () => {} }

/** The logs of the keys, each made for its rate (window plus margin), replaced when the rate changes. */
const makeLogs = (options: Options) => {
  const fallback = checkRate({
    limit: options.limit ?? defaults.limit,
    windowMillis: Duration.toMillis(options.window ?? defaults.window)
  })
  const margin = Duration.toMillis(options.margin ?? defaults.margin)
  const burst = options.burst ?? defaults.burst
  const logs = new Map<
    string,
    { readonly limit: number; readonly spacing: number; readonly log: LimiterLog.LimiterLog }
  >()
  /** The log of `key` for `rate` (the limiter's own rate if `undefined`), made or replaced if needed. */
  const of = (key: string, rate: Rate | undefined, now: number): LimiterLog.LimiterLog => {
    const { limit, windowMillis } = rate ?? fallback
    const spacing = windowMillis + margin
    const entry = logs.get(key)
    if (entry !== undefined && entry.limit === limit && entry.spacing === spacing) return entry.log
    // A new or changed rate is checked once, when its log is made (an invalid one never matches a log).
    if (rate !== undefined) checkRate(rate)
    const previous = entry === undefined ? undefined : { log: entry.log, now }
    const log = LimiterLog.make(limit, spacing, Math.min(burst, limit), previous)
    logs.set(key, { limit, spacing, log })
    return log
  }
  /** The log of `key` at whatever rate it has (the limiter's own if it has none yet). */
  const current = (key: string, now: number) => logs.get(key)?.log ?? of(key, undefined, now)
  return { of, current }
}

/** The permit of `slot` in `log`. */
const permitOf = (log: LimiterLog.LimiterLog, slot: LimiterLog.Slot): Permit => ({
  started: (at) => log.started(slot, at)
})

/**
 * Builds an in-memory limiter (one process), with in-memory quota counters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (options: Options = {}): Effect.Effect<Memory> =>
  Effect.gen(function*() {
    const logs = makeLogs(options)
    /** Takes a slot of `key`'s log at `rate` (one clock read a try), sleeping until one is free. */
    const waitForSlot = (key: string, rate: Rate | undefined): Effect.Effect<Permit> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const log = logs.of(key, rate, now)
        const slot = log.take(now)
        if (slot !== undefined) return Effect.succeed(permitOf(log, slot))
        return Effect.andThen(
          Effect.sleep(Duration.millis(Math.max(1, Math.ceil(log.earliest(now) - now)))),
          waitForSlot(key, rate)
        )
      })
    const queue = KeyQueue.make()
    const clock = yield* Clock.Clock
    return {
      acquire: (key, rate) => queue.inTurn(key, waitForSlot(key, rate)),
      refused: (key, at) => Effect.map(Clock.currentTimeMillis, (now) => logs.current(key, now).refused(at)),
      record: (key, at, rate) => {
        const log = logs.of(key, rate, clock.currentTimeMillisUnsafe())
        return permitOf(log, log.record(at))
      },
      quota: yield* makeMemoryQuota
    }
  })

/**
 * In-memory quota counters (one process), with expiry on Effect's `Clock`.
 *
 * @since 0.3.0
 * @category constructors
 */
export const makeMemoryQuota: Effect.Effect<Quota> = Effect.sync(() => {
  const counter = QuotaCounter.make()
  const at = <A>(f: (now: number) => A) => Effect.map(Clock.currentTimeMillis, f)
  return {
    take: (key, max, resetsAt) => at((now) => counter.take(key, max, resetsAt, now)),
    giveBack: (key, resetsAt) => at((now) => counter.giveBack(key, resetsAt, now)),
    exhaust: (key, max, resetsAt) => at((now) => counter.raise(key, max, resetsAt, now)),
    used: (key, resetsAt) => at((now) => counter.used(key, resetsAt, now))
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
 * Quota counters that always allow and count nothing.
 *
 * @since 0.3.0
 * @category constructors
 */
export const unlimitedQuota: Quota = {
  take: () => Effect.succeed(true),
  giveBack: () => Effect.void,
  exhaust: () => Effect.void,
  used: () => Effect.succeed(0)
}

/**
 * No limiting at all (for tests against servers without limits); its quota always allows.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerDisabled: Layer.Layer<RateLimit> = Layer.succeed(RateLimit, {
  acquire: () => Effect.succeed(noPermit),
  refused: () => Effect.void,
  quota: unlimitedQuota
})
