/**
 * A `RateLimit` whose log lives in Redis, so that every process of an app shares one limit per
 * SDKAppID and command (Tencent counts the 100 calls per second across all of an app's servers).
 *
 * Algorithm: a reservation-based sliding log, run atomically on the Redis server by Lua scripts.
 * Per key, a list keeps the start times of the last `limit` calls. A new call gets the
 * slot `max(now, pause, limit-th latest start + window + margin, pacing, latest start)`, where `now`
 * is Redis's own clock (`TIME`), so the clocks of the hosts never enter the arithmetic. Any `limit +
 * 1` consecutive slots are at least `window + margin` apart, so no sliding window holds more than
 * `limit` of them, whichever processes reserved them. Pacing spreads the slots `(window + margin) /
 * limit` apart after a burst of `burst`, as core's in-memory limiter does.
 *
 * - **Starts as the server sees them.** A slot only bounds the starts if each call starts at its
 *   slot. The caller maps the slot onto its own monotonic clock (bounds from each round trip, never
 *   early) and sleeps until then; if it wakes more than `maxLateness` after the slot (its process was
 *   stalled), it reserves again. If its request is then written more than a few ms after the slot
 *   (`Permit.started`: it waited for a connection, or the event loop was busy), the log entry is
 *   raised to the write time, which pushes the windows after it back for every process.
 * - **When the server disagrees.** `refused` (a frequency-limit answer) pauses the key in Redis
 *   until a full window after the refusal and halves its rate there (once per window), recovering a
 *   tenth of the limit per window from one window after that (AIMD, as core's limiter): every process
 *   sharing the key stops and slows down, on Redis's clock.
 * - **Rates.** A caller may pass its key's `Rate` (`acquire(key, rate)`); every key gets the margin,
 *   pacing and AIMD. Every process sharing a key must pass the same rate for it.
 * - **Quota.** `quota` keeps counters that reset at a given moment (the daily push quota) in Redis,
 *   one key per counter and period, expiring at its end on Redis's clock; during an outage the counts
 *   are per process.
 * - **Outage.** `acquire` cannot fail, so while Redis is unreachable, too slow (every call is
 *   time-boxed, default 200 ms) or answering errors, each process falls back to core's in-memory
 *   limiter and logs one warning per outage. By default (`outage: "share"`) it keeps to its share:
 *   every process announces itself in Redis (a heartbeat), and its share of a limit is the limit
 *   divided by the processes seen live, so that together they stay within it; it continues from its
 *   part of the shared log's last window. The heartbeat keeps probing Redis, and when Redis answers
 *   again the process goes back to it without a burst: for a while its calls go through Redis and keep
 *   to the share, until every process is back. `outage: "whole"` lets each process use the whole limit
 *   instead (throughput first; one call per `retryInterval` probes Redis).
 *
 * @since 0.1.0
 */
import * as RateLimit from "@timtags/core/RateLimit"
import * as Config from "effect/Config"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type { Redis, RedisOptions } from "ioredis"
import * as Connection from "./internal/connection.js"
import type { RedisRateLimitError } from "./internal/error.js"
import * as Fallback from "./internal/fallback.js"
import * as Outage from "./internal/outage.js"
import * as Presence from "./internal/presence.js"
import * as Quota from "./internal/quota.js"
import * as Scripts from "./internal/scripts.js"
import * as Settings from "./internal/settings.js"
import * as Shared from "./internal/shared.js"
import * as RedisStore from "./internal/store.js"

export {
  /**
   * Why Redis could not be used for a call (`acquire` falls back instead; `makeStore` fails with it).
   *
   * @since 0.1.0
   * @category errors
   */
  RedisRateLimitError
} from "./internal/error.js"

/**
 * The key of the small hash that holds a log's AIMD state and reservation count, in the log's Redis
 * Cluster slot.
 *
 * @since 0.2.0
 * @category internals
 */
export const stateKeyOf: (log: string) => string = Scripts.stateKeyOf

/**
 * Options of the Redis limiter. Give one of `url`, `redis` or `client`. Every process sharing a
 * limit must use the same `limit`, `window`, `margin`, `burst`, `prefix`, `heartbeatInterval` and
 * `processTtl`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  readonly url?: string | Redacted.Redacted<string> | undefined
  /** ioredis options (merged over `url`'s, and over this package's connection defaults). */
  readonly redis?: RedisOptions | undefined
  /**
   * An ioredis client you own (not closed by the layer). Use `enableOfflineQueue: false` on it, or
   * calls wait for the time-out while it is disconnected.
   */
  readonly client?: Redis | undefined
  /** Calls per window for keys acquired without a rate; default 100. */
  readonly limit?: number | undefined
  /** Default 1 second. */
  readonly window?: Duration.Input | undefined
  /**
   * Added to the window to absorb jitter between processes, hosts and the server; default 50 ms, as
   * core's in-process limiter. The sustained rate is at most `limit / (window + margin)`: 95.2 calls/s
   * with the defaults.
   */
  readonly margin?: Duration.Input | undefined
  /**
   * Calls that may start back to back before pacing applies; default 10, as core's limiter. After a
   * burst, slots come `(window + margin) / limit` apart, so a full window's calls are not handed out
   * for one instant: a hundred simultaneous starts reach the server spread out, and their late tail
   * would crowd the next window. `burst = limit` turns pacing off. It is also how many reservations
   * per key a process holds at a time (further calls wait in the process, first come first served).
   */
  readonly burst?: number | undefined
  /**
   * A call that wakes up more than this after its reserved slot (its process was stalled) gives the
   * slot up and reserves again (up to 5 times), so that a late start cannot crowd the next window;
   * default half the margin, at least 5 ms. Larger values waste fewer slots on a busy machine and
   * leave less of the margin for network jitter.
   */
  readonly maxLateness?: Duration.Input | undefined
  /** Key prefix; default `"timtags:ratelimit:"`. The key is the prefix plus `sdkAppId:command`. */
  readonly prefix?: string | undefined
  /** Longest wait for one Redis answer before falling back for that call; default 200 ms. */
  readonly timeout?: Duration.Input | undefined
  /** Longest wait for the first connection when the layer is built; default 1 second. */
  readonly connectTimeout?: Duration.Input | undefined
  /**
   * Under `outage: "whole"`: while Redis is failing, how often one call probes it again; default 1 second.
   * (Under `"share"` the heartbeat probes it, every `heartbeatInterval`.)
   */
  readonly retryInterval?: Duration.Input | undefined
  /**
   * What each process allows itself while Redis is unreachable. `"share"` (the default): its share of
   * each key's rate, the limit divided by the processes last seen live (for a share below one call per
   * window, one call per K windows, staggered between the processes), so that together they stay within
   * the limit; after the outage its calls keep to the share for a while as they go through Redis again,
   * until every process is back. `"whole"`: each key's whole rate, so K processes may send K times the
   * limit during an outage, and Redis is trusted again at once (throughput first; Tencent answers the
   * excess with 60007, which the client retries after a pause). @since 0.3.0
   */
  readonly outage?: "share" | "whole" | undefined
  /** How often this process announces itself in Redis (for the shares); default 1 second. @since 0.3.0 */
  readonly heartbeatInterval?: Duration.Input | undefined
  /**
   * A process not heard from for this long no longer counts for the shares; default 5 seconds, longer
   * than `heartbeatInterval`. @since 0.3.0
   */
  readonly processTtl?: Duration.Input | undefined
  /**
   * The processes assumed to share the limits until Redis has said (a process that starts during an
   * outage); default 1, its whole limit. @since 0.3.0
   */
  readonly expectedProcesses?: number | undefined
}

/**
 * Defaults of the limiter.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = Settings.defaults

/**
 * One reservation on the server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reservation {
  /** How long (ms) until the slot. */
  readonly wait: number
  /** Redis's time (ms) when the slot was reserved; the slot is `now + wait`. */
  readonly now: number
  /** The reservation's number in the key's log (names its entry for `Store.started`). @since 0.2.0 */
  readonly seq: number
  /** The effective limit the slot was computed with: `limit`, or less after refusals. @since 0.2.0 */
  readonly limit: number
  /** No slot before this (Redis's time, ms; 0 if the key was never paused). @since 0.2.0 */
  readonly pausedUntil: number
  /**
   * With `seen`: the slots (Redis's time, ms) of the reservations numbered after `seen` that the log
   * still holds, oldest first, this one last (the last is reservation `seq`); otherwise empty. The
   * limiter learns every process's reservations from them, for its fall-back. @since 0.3.0
   */
  readonly recent: ReadonlyArray<number>
}

/**
 * A refusal recorded on the server.
 *
 * @since 0.2.0
 * @category models
 */
export interface Refusal {
  /** The key's pause: no slot before this (Redis's time, ms). */
  readonly pausedUntil: number
  /** The effective limit after the refusal. */
  readonly limit: number
  /** Redis's time (ms) when it was recorded. */
  readonly now: number
}

/**
 * The raw store: one atomic script call per operation, failing with a typed error instead of falling
 * back. Keys are given without the prefix; `rate` is the key's (default: the store's `limit` and
 * `window`), the margin is added to it. `now` (tests only) replaces Redis's `TIME`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Store {
  /**
   * Reserves the next slot of `key` and answers the wait; with `seen` (a reservation number), also the
   * slots of the reservations after it (`Reservation.recent`). (`rate`, `seen` @since 0.3.0)
   */
  readonly reserve: (
    key: string,
    rate?: RateLimit.Rate,
    now?: number,
    seen?: number
  ) => Effect.Effect<Reservation, RedisRateLimitError>
  /**
   * Records that the server refused a call under `key` for its frequency limit `agoMillis` ago: the
   * key is paused until a full window (plus margin) after it and its rate halved (once per window),
   * recovering a tenth of the limit per window from one window after the halving. @since 0.2.0
   */
  readonly refused: (
    key: string,
    agoMillis: number,
    rate?: RateLimit.Rate,
    now?: number
  ) => Effect.Effect<Refusal, RedisRateLimitError>
  /**
   * Records that the call of `reservation` was written at `writtenAt` (Redis's time, ms), later than
   * its slot: its log entry is raised to that time (never lowered), if the log still holds it.
   * Succeeds with whether it did. @since 0.2.0
   */
  readonly started: (
    key: string,
    reservation: Reservation,
    writtenAt: number,
    rate?: RateLimit.Rate,
    now?: number
  ) => Effect.Effect<boolean, RedisRateLimitError>
}

/**
 * The raw store over an ioredis client: the scripts, time-boxed by `timeout`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeStore = (
  redis: Redis,
  options: Pick<Options, "limit" | "window" | "margin" | "burst" | "prefix" | "timeout"> = {}
): Store => RedisStore.make(redis, Settings.logSettings(options))

/** What the warning says each process does during an outage. */
const fallbackText = (settings: Settings.Settings, presence: Presence.Presence): string =>
  settings.outage === "whole"
    ? "each process now allows itself each whole limit (so several processes may exceed it together)"
    : `each process now keeps to its share of each limit (1/${presence.processes()}: ${presence.processes()} processes were seen live)`

/**
 * The limiter: Redis while it answers, the in-process fall-back while it does not. The Redis
 * connection, and this process's heartbeat, live as long as the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<RateLimit.Service, never, Scope.Scope> =>
  Effect.gen(function*() {
    const settings = Settings.settings(options)
    const { failure, redis } = yield* Connection.open(options, settings.connectTimeout)
    const run = RedisStore.makeRunner(redis, settings.timeout)
    let presence: Presence.Presence = { processes: () => settings.expectedProcesses, rank: () => 0 }
    const health = Outage.make(redis, {
      retryInterval: settings.retryInterval,
      rejoinGrace: settings.outage === "share" ? Settings.rejoinGrace(settings) : undefined,
      callsProbe: settings.outage === "whole",
      fallback: () => fallbackText(settings, presence)
    })
    if (failure !== undefined) yield* health.down(failure)
    if (settings.outage === "share") presence = yield* Presence.make(run, settings, health)
    const shared = yield* Shared.make(redis, RedisStore.make(redis, settings), settings, health.up)
    const local = yield* RateLimit.makeMemory(settings.fallback)
    return {
      ...Fallback.make(settings, health, shared, local, presence),
      quota: Quota.make(run, settings.prefix, health, local.quota)
    }
  })

/**
 * The Redis limiter as a layer, for `Client.layer({ rateLimit })`.
 *
 * @example
 * ```ts
 * import { Client } from "@timtags/core"
 * import { RedisRateLimit } from "@timtags/ratelimit-redis"
 *
 * // Every process using this layer shares one limit per SDKAppID and command.
 * const TagsLive = Client.layer({
 *   rateLimit: RedisRateLimit.layer({ url: "redis://localhost:6379", limit: 100 })
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<RateLimit.RateLimit> =>
  Layer.effect(RateLimit.RateLimit, make(options))

/**
 * The environment variables `layerConfig` reads: `TIM_REDIS_URL` (optional, secret) and
 * `TIM_REDIS_PREFIX` (optional).
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<{
  readonly url: Option.Option<Redacted.Redacted<string>>
  readonly prefix: Option.Option<string>
}> = Config.all({
  url: Config.option(
    Config.schema(
      Schema.Redacted(
        Schema.String.check(
          Schema.isPattern(/^rediss?:\/\//, { message: "Expected TIM_REDIS_URL to be a redis:// or rediss:// URL" })
        )
      ),
      "TIM_REDIS_URL"
    )
  ),
  prefix: Config.option(Config.String("TIM_REDIS_PREFIX"))
})

/**
 * The limiter chosen by the environment: the Redis limiter when `TIM_REDIS_URL` is set, else core's
 * in-memory one with the same `limit`, `window`, `margin` and `burst` (core's defaults where unset). Use `Layer.orDie` to pass it to
 * `Client.layer({ rateLimit })`.
 *
 * @example
 * ```ts
 * import { Client } from "@timtags/core"
 * import { RedisRateLimit } from "@timtags/ratelimit-redis"
 * import { Layer } from "effect"
 *
 * // Redis when TIM_REDIS_URL is set, core's in-memory limiter otherwise.
 * const TagsLive = Client.layer({ rateLimit: Layer.orDie(RedisRateLimit.layerConfig()) })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Omit<Options, "url" | "client"> = {}
): Layer.Layer<RateLimit.RateLimit, Config.ConfigError> =>
  Layer.unwrap(
    Effect.map(config, ({ prefix, url }) =>
      Option.match(url, {
        onNone: () =>
          RateLimit.layerMemory({
            limit: options.limit,
            window: options.window,
            margin: options.margin,
            burst: options.burst
          }),
        onSome: (url) => layer({ ...options, url, prefix: Option.getOrElse(prefix, () => options.prefix) })
      }))
  )
