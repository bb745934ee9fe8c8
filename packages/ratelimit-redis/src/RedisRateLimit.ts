/**
 * A `RateLimit` whose log lives in Redis, so that every process of an app shares one limit per
 * SDKAppID and command (Tencent counts the 100 calls per second across all of an app's servers).
 *
 * Algorithm: a reservation-based sliding log, run atomically on the Redis server by one Lua script
 * (`script`). Per key, a list keeps the start times reserved for the last `limit` calls. A new call
 * gets the slot `max(now, limit-th latest slot + window + margin, pacing, latest slot)`, where `now`
 * is Redis's own clock (`TIME`), so the clocks of the hosts never enter the arithmetic; the script
 * appends the slot, trims the list to `limit` entries, sets the key to expire once the log can no
 * longer delay anyone, and answers `slot - now`. Any `limit + 1` consecutive slots are at least
 * `window + margin` apart, so no sliding window holds more than `limit` of them, whichever processes
 * reserved them. Pacing spreads the slots `(window + margin) / limit` apart after a burst of `burst`,
 * as core's in-memory limiter does.
 *
 * A slot only bounds the starts if each call starts at its slot. The caller maps the slot onto its
 * own monotonic clock (bounds from each round trip, never early) and sleeps until then; if it wakes
 * more than `maxLateness` after the slot (its process was stalled), it gives the slot up and reserves
 * again, since a late start could share a sliding window with the call `limit` slots later. The
 * remaining `margin - maxLateness` absorbs the jitter between starting and arriving at the server.
 *
 * Outage: `acquire` cannot fail, so while Redis is unreachable, too slow (every call is time-boxed,
 * default 200 ms) or answering errors, each process falls back to an in-memory limiter
 * (`fallbackLimit`, default `limit`) and logs one warning per outage. It keeps probing Redis (at most
 * one call per `retryInterval`) and goes back to it, with an info log, as soon as it answers again:
 * no restart needed.
 *
 * @since 0.1.0
 */
import * as RateLimit from "@timtags/core/RateLimit"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { Redis, type RedisOptions } from "ioredis"
import { createHash } from "node:crypto"
import { makeClockMap } from "./internal/clockMap.js"

/**
 * The reservation script. `KEYS[1]`: the log; `ARGV[1]`: limit; `ARGV[2]`: spacing in ms (window +
 * margin); `ARGV[3]`: burst; `ARGV[4]`: interval in ms (`spacing / limit`); `ARGV[5]` (tests only): a
 * time in ms to use instead of Redis's `TIME`. Answers `{wait, now}` in ms.
 *
 * The slot is the latest of: now; the `limit`-th latest slot plus the spacing (the sliding window);
 * for every j ≥ burst, the j-th latest slot plus `(j + 1 - burst) × interval` (pacing: any m
 * consecutive slots span at least `(m - burst) × interval`, so after a burst of `burst` the slots
 * come one interval apart, as with GCRA); and the latest slot (slots never go backwards, even if
 * Redis's clock does, so the list stays sorted and the bounds hold). Rounded up to the ms.
 *
 * @since 0.1.0
 * @category internals
 */
export const script = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local spacing = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local interval = tonumber(ARGV[4])
local now
if ARGV[5] then
  now = tonumber(ARGV[5])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local log = redis.call('LRANGE', key, -limit, -1)
local n = #log
local slot = now
if n >= limit then
  local at = tonumber(log[n - limit + 1]) + spacing
  if at > slot then slot = at end
end
for j = burst, n do
  local at = tonumber(log[n - j + 1]) + (j + 1 - burst) * interval
  if at > slot then slot = at end
end
if n > 0 then
  local last = tonumber(log[n])
  if last > slot then slot = last end
end
slot = math.ceil(slot)
redis.call('RPUSH', key, string.format('%d', slot))
if n >= limit then redis.call('LTRIM', key, -limit, -1) end
redis.call('PEXPIRE', key, slot - now + spacing)
return { slot - now, now }
`

const scriptSha = createHash("sha1").update(script).digest("hex")

/**
 * Why Redis could not be used for a call. `acquire` never fails with it (it falls back); it is what
 * the warning logs and what `makeStore` fails with.
 *
 * @since 0.1.0
 * @category errors
 */
export class RedisRateLimitError extends Data.TaggedError("RedisRateLimitError")<{
  /** `Unavailable`: not connected; `Timeout`: no answer in time; `Command`: Redis answered an error. */
  readonly reason: "Unavailable" | "Timeout" | "Command"
  readonly message: string
}> {}

/**
 * Options of the Redis limiter. Give one of `url`, `redis` or `client`. Every process sharing a
 * limit must use the same `limit`, `window`, `margin` and `prefix`.
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
  /** Calls per window and key; default 100. */
  readonly limit?: number | undefined
  /** Default 1 second. */
  readonly window?: Duration.Input | undefined
  /**
   * Added to the window to absorb jitter between processes, hosts and the server; default 50 ms (core's
   * in-process limiter uses 20 ms). The sustained rate is at most `limit / (window + margin)`: 95.2 calls/s
   * with the defaults.
   */
  readonly margin?: Duration.Input | undefined
  /**
   * Calls that may start back to back before pacing applies; default 10, as core's limiter. After a
   * burst, slots come `(window + margin) / limit` apart, so a full window's calls are not handed out
   * for one instant: a hundred simultaneous starts reach the server spread out, and their late tail
   * would crowd the next window. `burst = limit` turns pacing off.
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
  /** While Redis is failing, how often one call probes it again; default 1 second. */
  readonly retryInterval?: Duration.Input | undefined
  /**
   * The in-process limit used while Redis is unreachable; default `limit`. Each process enforces it
   * alone, so K processes may reach K × `fallbackLimit`; set `floor(limit / K)` to stay under the
   * shared limit during an outage at the cost of throughput.
   */
  readonly fallbackLimit?: number | undefined
}

/**
 * Defaults of the limiter.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = {
  ...RateLimit.defaults,
  margin: Duration.millis(50),
  prefix: "timtags:ratelimit:",
  timeout: Duration.millis(200),
  connectTimeout: Duration.seconds(1),
  retryInterval: Duration.seconds(1)
} as const

/**
 * One reservation on the server: how long to wait, and Redis's time when it was made.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reservation {
  readonly wait: number
  readonly now: number
}

/**
 * The raw store: one atomic reservation per call, failing with a typed error instead of falling back.
 *
 * @since 0.1.0
 * @category models
 */
export interface Store {
  /** Reserves the next slot of `key` (the prefix is added) and answers the wait. */
  readonly reserve: (key: string, nowForTests?: number) => Effect.Effect<Reservation, RedisRateLimitError>
}

const positiveInteger = (name: string, n: number) => {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer, got ${n}`)
  return n
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

class DeadlineExceeded extends Error {}

/**
 * `promise`, or `DeadlineExceeded` once `millis` have passed without an answer. The deadline is checked
 * after one more turn of the event loop's I/O phase: when the process itself was stalled (CPU starved,
 * a long synchronous task), an answer that arrived meanwhile still wins over the timer.
 */
const deadline = <A>(promise: Promise<A>, millis: number): Promise<A> =>
  new Promise((resolve, reject) => {
    let settled = false
    const timer = setTimeout(() =>
      setImmediate(() => {
        if (settled) return
        settled = true
        reject(new DeadlineExceeded(`no answer within ${millis} ms`))
      }), millis)
    promise.then(
      (value) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(value)
      },
      (error) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        reject(error)
      }
    )
  })

/**
 * The raw store over an ioredis client: the script, time-boxed by `timeout`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeStore = (
  redis: Redis,
  options: Pick<Options, "limit" | "window" | "margin" | "burst" | "prefix" | "timeout"> = {}
): Store => {
  const limit = positiveInteger("rate limit", options.limit ?? defaults.limit)
  const spacing = Math.ceil(
    Duration.toMillis(options.window ?? defaults.window) + Duration.toMillis(options.margin ?? defaults.margin)
  )
  const burst = Math.min(positiveInteger("burst", options.burst ?? defaults.burst), limit)
  const interval = spacing / limit
  const prefix = options.prefix ?? defaults.prefix
  const timeout = Duration.toMillis(options.timeout ?? defaults.timeout)
  const run = async (key: string, args: Array<string | number>): Promise<unknown> => {
    try {
      return await redis.evalsha(scriptSha, 1, key, ...args)
    } catch (error) {
      if (describe(error).startsWith("NOSCRIPT")) return await redis.eval(script, 1, key, ...args)
      throw error
    }
  }
  return {
    reserve: (key, nowForTests) =>
      Effect.suspend(() => {
        if (redis.status !== "ready") {
          return Effect.fail(new RedisRateLimitError({ reason: "Unavailable", message: `Redis connection is ${redis.status}` }))
        }
        const args = [limit, spacing, burst, interval, ...(nowForTests === undefined ? [] : [nowForTests])]
        return Effect.tryPromise({
          try: () => deadline(run(prefix + key, args), timeout),
          catch: (error) =>
            new RedisRateLimitError({ reason: error instanceof DeadlineExceeded ? "Timeout" : "Command", message: describe(error) })
        }).pipe(
          Effect.flatMap((reply) =>
            Array.isArray(reply) && typeof reply[0] === "number" && typeof reply[1] === "number"
              ? Effect.succeed({ wait: reply[0], now: reply[1] })
              : Effect.fail(new RedisRateLimitError({ reason: "Command", message: "unexpected script reply" }))
          )
        )
      })
  }
}

/** The least `maxLateness`, in ms. */
const minLatenessMillis = 5
/** Reservations per call at most: a process stalled again and again starts late rather than never. */
const maxAttempts = 6

/** Connection settings that suit a limiter: fail fast while disconnected, reconnect for ever. */
const connectionDefaults: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 0,
  retryStrategy: (times) => Math.min(times * 100, 1000)
}

const connect = (options: Options): Effect.Effect<Redis, never, Scope.Scope> => {
  if (options.client !== undefined) return Effect.succeed(options.client)
  const settings: RedisOptions = {
    ...connectionDefaults,
    connectTimeout: Duration.toMillis(options.connectTimeout ?? defaults.connectTimeout),
    ...options.redis
  }
  const url = options.url === undefined ? undefined : Redacted.isRedacted(options.url) ? Redacted.value(options.url) : options.url
  return Effect.acquireRelease(
    Effect.sync(() => {
      const redis = url === undefined ? new Redis(settings) : new Redis(url, settings)
      // Failures are reported by the limiter (one warning per outage), not by ioredis on every retry.
      redis.on("error", () => {})
      return redis
    }),
    (redis) =>
      Effect.promise(() => redis.quit().catch(() => undefined)).pipe(
        Effect.timeout("1 second"),
        Effect.ignore,
        Effect.ensuring(Effect.sync(() => redis.disconnect()))
      )
  )
}

/**
 * The limiter: Redis while it answers, the in-process fall-back while it does not. The Redis
 * connection lives as long as the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<RateLimit.Service, never, Scope.Scope> =>
  Effect.gen(function*() {
    const limit = positiveInteger("rate limit", options.limit ?? defaults.limit)
    const fallbackLimit = positiveInteger("fallback rate limit", options.fallbackLimit ?? limit)
    const retryInterval = Duration.toMillis(options.retryInterval ?? defaults.retryInterval)
    const redis = yield* connect(options)
    const store = makeStore(redis, options)
    const local = yield* RateLimit.makeMemory({
      limit: fallbackLimit,
      window: options.window,
      margin: options.margin ?? defaults.margin,
      burst: options.burst
    })

    /** Set while Redis is failing: when the next probe may go out. */
    let outage: { readonly since: number; probeAt: number } | undefined

    const markDown = (error: RedisRateLimitError, now: number) => {
      if (outage !== undefined) {
        outage.probeAt = now + retryInterval
        return Effect.void
      }
      outage = { since: now, probeAt: now + retryInterval }
      return Effect.logWarning(
        `Redis rate limit store unavailable (${error.reason}: ${error.message}); each process now limits itself to ${fallbackLimit} calls per window until Redis answers again`
      ).pipe(Effect.annotateLogs({ module: "@timtags/ratelimit-redis" }))
    }

    const markUp = (now: number) => {
      if (outage === undefined) return Effect.void
      const since = outage.since
      outage = undefined
      return Effect.logInfo(`Redis rate limit store answers again after ${now - since} ms; the limit is shared again`).pipe(
        Effect.annotateLogs({ module: "@timtags/ratelimit-redis" })
      )
    }

    if (options.client === undefined) {
      const connectTimeout = options.connectTimeout ?? defaults.connectTimeout
      yield* Effect.tryPromise({
        try: () => redis.connect(),
        catch: (error) => new RedisRateLimitError({ reason: "Unavailable", message: describe(error) })
      }).pipe(
        Effect.timeoutOrElse({
          duration: connectTimeout,
          orElse: () =>
            Effect.fail(new RedisRateLimitError({ reason: "Unavailable", message: "no connection within the time-out" }))
        }),
        Effect.catch((error) => Effect.flatMap(Clock.currentTimeMillis, (now) => markDown(error, now)))
      )
    }

    // A wake-up is a millisecond or two late even when nothing stalls (timer granularity, clock bounds).
    const maxLateness = Math.max(
      minLatenessMillis,
      Duration.toMillis(options.maxLateness ?? Duration.millis(Duration.toMillis(options.margin ?? defaults.margin) / 2))
    )
    const clock = makeClockMap()
    // This process's monotonic clock, in ms (`currentTimeNanos` follows the wall clock, which may be stepped).
    const localMillis = Effect.map(Clock.monotonicTimeNanos, (nanos) => Number(nanos) / 1e6)

    // Load the script and take a few clock samples before the first call, so that the first
    // reservations neither pay a NOSCRIPT round trip nor judge their lateness on a cold, slow sample.
    const sampleClock = Effect.gen(function*() {
      const sent = yield* localMillis
      const [seconds, micros] = yield* Effect.tryPromise(() => redis.time())
      clock.observe(Number(seconds) * 1000 + Math.floor(Number(micros) / 1000), sent, yield* localMillis)
    })
    if (redis.status === "ready") {
      yield* Effect.tryPromise(() => redis.script("LOAD", script)).pipe(
        Effect.andThen(Effect.repeat(sampleClock, { times: 4 })),
        Effect.timeout(Duration.millis(Duration.toMillis(options.timeout ?? defaults.timeout) * 2)),
        Effect.ignore
      )
    }

    /**
     * Reserve, sleep until the slot, start. The slot is on Redis's clock; `clock` maps it to this
     * process's monotonic clock without ever waking early. A start that may be more than `maxLateness`
     * after its slot (the process was stalled) gives the slot up and reserves again (a bounded number of
     * times): a late start could otherwise share a sliding window with the starts `limit` slots later.
     */
    const viaRedis = (key: string, now: number, attempt = 1): Effect.Effect<void> =>
      Effect.flatMap(localMillis, (sent) =>
        store.reserve(key).pipe(
          Effect.matchEffect({
            onFailure: (error) => Effect.andThen(markDown(error, now), local.acquire(key)),
            onSuccess: (reservation) =>
              Effect.flatMap(localMillis, (received) => {
                clock.observe(reservation.now, sent, received)
                const slot = reservation.now + reservation.wait
                const sleep = Math.min(slot - clock.lower(), received + reservation.wait) - received
                return markUp(now).pipe(
                  Effect.andThen(sleep > 0 ? Effect.sleep(Duration.millis(Math.ceil(sleep))) : Effect.void),
                  Effect.andThen(localMillis),
                  Effect.flatMap((started) => {
                    const lateness = started + clock.upper() - slot
                    return lateness > maxLateness && attempt < maxAttempts ? viaRedis(key, now, attempt + 1) : Effect.void
                  })
                )
              })
          })
        ))

    return {
      acquire: (key) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          if (redis.status !== "ready") {
            return Effect.andThen(
              markDown(new RedisRateLimitError({ reason: "Unavailable", message: `Redis connection is ${redis.status}` }), now),
              local.acquire(key)
            )
          }
          if (outage !== undefined) {
            // One probe per interval; the other calls stay local meanwhile.
            if (now < outage.probeAt) return local.acquire(key)
            outage.probeAt = now + retryInterval
          }
          return viaRedis(key, now)
        })
    }
  })

/**
 * The Redis limiter as a layer, for `Client.layer({ rateLimit })`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<RateLimit.RateLimit> => Layer.effect(RateLimit.RateLimit, make(options))

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
          RateLimit.layerMemory({ limit: options.limit, window: options.window, margin: options.margin, burst: options.burst }),
        onSome: (url) => layer({ ...options, url, prefix: Option.getOrElse(prefix, () => options.prefix) })
      }))
  )
