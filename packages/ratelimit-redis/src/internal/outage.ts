/**
 * Which way a call goes: to Redis while it answers; during an outage to the in-process fall-back; and for
 * a while after Redis answers again, to both ("rejoining"). One warning when an outage starts, one info
 * log when Redis answers again.
 *
 * **Probes.** Under the `share` policy the heartbeat probes Redis (every `heartbeatInterval`, whatever the
 * traffic: a call waiting for its share must not delay the rejoining). Under `whole`, one call per
 * `retryInterval` tries Redis.
 *
 * **Rejoining.** The processes notice that Redis is back at different moments (each probes on its own),
 * and the calls a process made on its own during the outage are not in Redis's log. So after an outage a
 * call goes through Redis *and* keeps to the process's share for `rejoinGrace + window + margin`: by then
 * every other process has probed Redis and rejoined too, and the calls nobody recorded in Redis are more
 * than a window old. Until then every process stays within its share, so together they stay within the
 * limit. A failure of a call sent before Redis answered again belongs to the outage that is over and is
 * ignored.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type { Redis } from "ioredis"
import { RedisRateLimitError } from "./error.js"

/**
 * How a call goes: `redis` (no outage), `local` (an outage; the fall-back alone), `probe` (an outage; this
 * call tries Redis), `rejoining` (Redis answers again, but not for long enough yet).
 */
export type Route = "redis" | "local" | "probe" | "rejoining"

/** The outage state of one limiter. */
export interface Health {
  /**
   * How a call under a key of `spacing` ms (window + margin) goes. A connection that is not ready starts
   * an outage; a due probe schedules the next.
   */
  readonly route: (spacing: number) => Effect.Effect<Route>
  /** Whether Redis is in use (connected, no outage); nothing is probed or logged. */
  readonly inUse: () => boolean
  /** Whether Redis is in steady use: in use, and not rejoining for any key seen so far. */
  readonly steady: Effect.Effect<boolean>
  /**
   * Redis failed a call sent at `sentAt` (Effect's clock; default now): starts an outage (logging it) or
   * pushes the next probe back. If Redis has answered another call since this one was sent, it is alive:
   * this call was slow (or it failed late, from an outage that is over), and nothing changes.
   */
  readonly down: (error: RedisRateLimitError, sentAt?: number) => Effect.Effect<void>
  /** Redis answered: ends an outage (logging it). */
  readonly up: Effect.Effect<void>
  /** Whether Redis has answered a call since `sentAt` (Effect's clock, ms). */
  readonly answeredSince: (sentAt: number) => boolean
  /** How many outages have started so far. */
  readonly outages: () => number
  /** When the call that started the last outage was sent (Effect's clock, ms): Redis was down by then. */
  readonly outageSentAt: () => number
}

const annotate = Effect.annotateLogs({ module: "@timtags/ratelimit-redis" })

/** What `Health` needs of the Redis client: whether it is connected. */
export type Connection = Pick<Redis, "status">

/** The health of the limiter on `redis`. */
export const make = (
  redis: Connection,
  options: {
    readonly retryInterval: number
    /** How long after an outage calls still keep to the share (plus the key's window and margin); `undefined`: not at all. */
    readonly rejoinGrace: number | undefined
    /** Whether calls probe Redis during an outage (one per `retryInterval`); if not, something else calls `up`. */
    readonly callsProbe: boolean
    /** What each process does during an outage (for the warning). */
    readonly fallback: () => string
  }
): Health => {
  /** Set while Redis is failing: when the next probe may go out. */
  let outage: { readonly since: number; probeAt: number } | undefined
  /** When the last outage ended. */
  let rejoinedAt = Number.NEGATIVE_INFINITY
  /** When Redis last answered. */
  let lastAnswer = Number.NEGATIVE_INFINITY
  /** The longest window + margin of the keys seen. */
  let longest = 0
  let outages = 0
  let outageSentAt = Number.NEGATIVE_INFINITY
  const rejoinUntil = (spacing: number) =>
    options.rejoinGrace === undefined ? Number.NEGATIVE_INFINITY : rejoinedAt + options.rejoinGrace + spacing

  const down = (error: RedisRateLimitError, sentAt?: number) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      if (outage === undefined && (sentAt ?? now) <= lastAnswer) return Effect.void
      if (outage !== undefined) {
        outage.probeAt = now + options.retryInterval
        return Effect.void
      }
      outage = { since: now, probeAt: now + options.retryInterval }
      outages += 1
      outageSentAt = sentAt ?? now
      return Effect.logWarning(
        `Redis rate limit store unavailable (${error.reason}: ${error.message}); ${options.fallback()} until Redis answers again`
      ).pipe(annotate)
    })

  const up = Effect.flatMap(Clock.currentTimeMillis, (now) => {
    lastAnswer = now
    if (outage === undefined) return Effect.void
    const since = outage.since
    outage = undefined
    rejoinedAt = now
    const rejoining = options.rejoinGrace === undefined
      ? ""
      : ` (each process keeps to its share for ${options.rejoinGrace} ms and a window more, until every process is back)`
    return Effect.logInfo(
      `Redis rate limit store answers again after ${now - since} ms; the limit is shared again${rejoining}`
    ).pipe(annotate)
  })

  const route = (spacing: number): Effect.Effect<Route> =>
    Effect.suspend(() => {
      longest = Math.max(longest, spacing)
      if (redis.status !== "ready") {
        return Effect.as(
          down(new RedisRateLimitError({ reason: "Unavailable", message: `Redis connection is ${redis.status}` })),
          "local" as const
        )
      }
      return Effect.map(Clock.currentTimeMillis, (now): Route => {
        if (outage === undefined) return now < rejoinUntil(spacing) ? "rejoining" : "redis"
        if (!options.callsProbe || now < outage.probeAt) return "local"
        outage.probeAt = now + options.retryInterval
        return "probe"
      })
    })

  const inUse = () => redis.status === "ready" && outage === undefined
  return {
    route,
    inUse,
    steady: Effect.map(Clock.currentTimeMillis, (now) => inUse() && now >= rejoinUntil(longest)),
    down,
    up,
    answeredSince: (sentAt) => lastAnswer >= sentAt,
    outages: () => outages,
    outageSentAt: () => outageSentAt
  }
}
