/** Shared helpers of the Redis tests: the injected test Redis, a scoped ioredis client, start-time measures. */
import type * as RateLimit from "@timtags/core/RateLimit"
import { CallLog } from "@timtags/emulator"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { Redis } from "ioredis"
import { inject } from "vitest"

/** The test Redis ("" when skipped). */
export const redisUrl = inject("redisUrl")
/** The redis-server binary for tests that run their own server ("" when none). */
export const redisServerBinary = inject("redisServerBinary")
/** Whether the Redis tests are skipped. */
export const skipRedis = redisUrl === ""

/** A fresh key prefix, so test files sharing the Redis never collide. */
export const freshPrefix = (name: string) => `test:${name}:${process.pid}:${Math.random().toString(36).slice(2, 10)}:`

/** A connected ioredis client for the test's scope. */
export const client = (url: string = redisUrl) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
      redis.on("error", () => {})
      await redis.connect()
      return redis
    }),
    (redis) => Effect.promise(() => redis.quit().then(() => undefined, () => redis.disconnect()))
  )

/**
 * Acquires a permit and reports the request written at once, as `TimRest` does when nothing holds the
 * request back; succeeds with the start time (`Date.now()`).
 */
export const startNow = (limiter: RateLimit.Service, key: string) =>
  Effect.flatMap(limiter.acquire(key), (permit) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      permit.started(now)
      return Date.now()
    }))

/** The most timestamps inside any half-open window `[t, t + width)` (the emulator's own measure). */
export const maxInSlidingWindow = CallLog.maxInWindow

/**
 * The sustained rate (per second) of a saturated limiter: the first `burst` calls may start at once, the rest
 * are paced, so it is (n - burst) over the time from the first to the last start.
 */
export const sustainedRate = (times: ReadonlyArray<number>, burst: number) => {
  const sorted = [...times].sort((a, b) => a - b)
  return ((sorted.length - burst) / (sorted[sorted.length - 1]! - sorted[0]!)) * 1000
}

/** Calls per second that started in `[from, to)`. */
export const rateBetween = (times: ReadonlyArray<number>, from: number, to: number) =>
  (times.filter((t) => t >= from && t < to).length / (to - from)) * 1000
