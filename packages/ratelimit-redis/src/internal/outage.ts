/**
 * Whether a call goes to Redis or to the in-process fall-back: Redis while it answers; during an
 * outage, one probe per `retryInterval` while the other calls stay local. One warning when an outage
 * starts, one info log when Redis answers again.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type { Redis } from "ioredis"
import { RedisRateLimitError } from "./error.js"

/** The outage state of one limiter. */
export interface Health {
  /**
   * Whether this call should try Redis: the connection is ready and there is no outage, or the probe
   * is due (the next one is then scheduled). A connection that is not ready starts an outage.
   */
  readonly tryRedis: Effect.Effect<boolean>
  /** Whether Redis is in use (connected, no outage); nothing is probed or logged. */
  readonly inUse: () => boolean
  /** Redis failed a call: starts an outage (logging it) or pushes the next probe back. */
  readonly down: (error: RedisRateLimitError) => Effect.Effect<void>
  /** Redis answered: ends an outage (logging it). */
  readonly up: Effect.Effect<void>
}

const annotate = Effect.annotateLogs({ module: "@timtags/ratelimit-redis" })

/** The health of the limiter on `redis`, whose fall-back allows `fallbackLimit` calls per window. */
export const make = (
  redis: Redis,
  options: { readonly fallbackLimit: number; readonly retryInterval: number }
): Health => {
  /** Set while Redis is failing: when the next probe may go out. */
  let outage: { readonly since: number; probeAt: number } | undefined

  const down = (error: RedisRateLimitError) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      if (outage !== undefined) {
        outage.probeAt = now + options.retryInterval
        return Effect.void
      }
      outage = { since: now, probeAt: now + options.retryInterval }
      return Effect.logWarning(
        `Redis rate limit store unavailable (${error.reason}: ${error.message}); each process now limits itself to ${options.fallbackLimit} calls per window until Redis answers again`
      ).pipe(annotate)
    })

  const up = Effect.suspend(() => {
    if (outage === undefined) return Effect.void
    const since = outage.since
    outage = undefined
    return Effect.flatMap(
      Clock.currentTimeMillis,
      (now) =>
        Effect.logInfo(`Redis rate limit store answers again after ${now - since} ms; the limit is shared again`).pipe(
          annotate
        )
    )
  })

  const tryRedis = Effect.suspend(() => {
    if (redis.status !== "ready") {
      return Effect.as(
        down(new RedisRateLimitError({ reason: "Unavailable", message: `Redis connection is ${redis.status}` })),
        false
      )
    }
    if (outage === undefined) return Effect.succeed(true)
    return Effect.map(Clock.currentTimeMillis, (now) => {
      if (now < outage!.probeAt) return false
      outage!.probeAt = now + options.retryInterval
      return true
    })
  })

  return { tryRedis, inUse: () => redis.status === "ready" && outage === undefined, down, up }
}
