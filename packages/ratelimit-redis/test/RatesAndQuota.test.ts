/**
 * Rates per key and quota counters through a real Redis, shared by two limiter instances (two connections, as
 * two processes would have); the quota's fall-back and expiry under `TestClock`; the processes that announce
 * themselves, and the share each keeps to when Redis stops.
 */
import { describe, expect, it } from "@effect/vitest"
import type * as RateLimit from "@timtags/core/RateLimit"
import * as RedisRateLimit from "@timtags/ratelimit-redis/RedisRateLimit"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as TestClock from "effect/testing/TestClock"
import { processesKey } from "../src/internal/presence.js"
import { counterKey } from "../src/internal/quota.js"
import { client, freshPrefix, redisServerBinary, redisUrl, skipRedis } from "./support/Redis.js"
import { freePort, startRedisServer } from "./support/RedisServer.js"

/** Acquires under `key` at `rate` and reports the write at once; the write time (`Date.now()`). */
const writeNow = (limiter: RateLimit.Service, key: string, rate?: RateLimit.Rate) =>
  Effect.flatMap(limiter.acquire(key, rate), (permit) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      permit.started(now)
      return Date.now()
    }))

/** The gaps between consecutive times, sorted first. */
const gaps = (times: ReadonlyArray<number>) => {
  const sorted = [...times].sort((a, b) => a - b)
  return sorted.slice(1).map((t, i) => t - sorted[i]!)
}

/** Keeps the limiter's warnings out of the test output. */
const quiet = Effect.updateServiceScoped(Logger.CurrentLoggers, () => new Set())

describe.skipIf(skipRedis)("RedisRateLimit: a rate per key, shared", () => {
  it.live(
    "two instances never start two { limit: 1, windowMillis: 1100 } calls less than 1.1 s apart",
    () =>
      Effect.gen(function*() {
        const options = { url: redisUrl, prefix: freshPrefix("push") }
        const [a, b] = yield* Effect.all([RedisRateLimit.make(options), RedisRateLimit.make(options)])
        const push = { limit: 1, windowMillis: 1100 }
        const writes = yield* Effect.forEach(
          [a, b, a, b, a],
          (limiter) => writeNow(limiter, "1400000000:timpush/push", push),
          { concurrency: "unbounded" }
        )
        // Slots 1150 ms apart (window + the 50 ms margin); a start may be up to maxLateness (25 ms) after its slot.
        for (const gap of gaps(writes)) expect(gap).toBeGreaterThanOrEqual(1125)
        // Meanwhile another key keeps its own rate: ten at once.
        const tags = yield* Effect.forEach(
          Array.from({ length: 10 }),
          () => writeNow(a, "1400000000:timpush/get_tag"),
          {
            concurrency: "unbounded"
          }
        )
        expect(Math.max(...tags) - Math.min(...tags)).toBeLessThan(500)
      }),
    30_000
  )

  it.live("the log of a rated key holds its own limit and spacing", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const prefix = freshPrefix("rated")
      const store = RedisRateLimit.makeStore(redis, { prefix, margin: "0 millis" })
      const batch = { limit: 10, windowMillis: 1000 }
      const slots: Array<number> = []
      for (let i = 0; i < 12; i++) {
        const r = yield* store.reserve("k", batch, 1_000_000)
        slots.push(r.now + r.wait - 1_000_000)
      }
      // Ten at once (the burst is at most the key's limit), the eleventh a window later.
      expect(slots).toEqual([...Array(10).fill(0), 1000, 1000])
      expect(yield* Effect.promise(() => redis.llen(`${prefix}k`))).toBe(10)
    }))
})

describe.skipIf(skipRedis)("RedisRateLimit quota, shared through Redis", () => {
  it.live("two instances share one counter: max uses in all, given back, exhausted, gone at resetsAt", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const prefix = freshPrefix("quota")
      const [a, b] = yield* Effect.all([
        RedisRateLimit.make({ url: redisUrl, prefix }),
        RedisRateLimit.make({ url: redisUrl, prefix })
      ])
      const resetsAt = Date.now() + 1500
      const takes: Array<boolean> = []
      for (const limiter of [a, b, a, b, a]) takes.push(yield* limiter.quota.take("app:push", 3, resetsAt))
      expect(takes).toEqual([true, true, true, false, false])
      expect(yield* b.quota.used("app:push", resetsAt)).toBe(3)
      // The counter expires at resetsAt on Redis's clock.
      const ttl = yield* Effect.promise(() => redis.pttl(counterKey(prefix, "app:push", resetsAt)))
      expect(ttl).toBeGreaterThan(0)
      expect(ttl).toBeLessThanOrEqual(1500)
      yield* b.quota.giveBack("app:push", resetsAt)
      expect(yield* a.quota.take("app:push", 3, resetsAt)).toBe(true)
      expect(yield* b.quota.take("app:push", 3, resetsAt)).toBe(false)
      // 90047 on another counter: used up for every instance.
      yield* a.quota.exhaust("app:other", 100, resetsAt)
      expect(yield* b.quota.take("app:other", 100, resetsAt)).toBe(false)
      expect(yield* b.quota.used("app:other", resetsAt)).toBe(100)
      yield* Effect.sleep(Math.max(0, resetsAt - Date.now()) + 100)
      expect(yield* a.quota.used("app:push", resetsAt)).toBe(0)
      expect(yield* Effect.promise(() => redis.exists(counterKey(prefix, "app:push", resetsAt)))).toBe(0)
      const next = resetsAt + 86_400_000
      expect(yield* b.quota.take("app:push", 3, next)).toBe(true)
      expect(yield* a.quota.used("app:push", next)).toBe(1)
    }))
})

describe("RedisRateLimit quota while Redis is unreachable (TestClock)", () => {
  it.effect("counts in the process, and starts again at resetsAt", () =>
    Effect.gen(function*() {
      yield* quiet
      const port = yield* Effect.promise(() => freePort())
      const limiter = yield* RedisRateLimit.make({ url: `redis://127.0.0.1:${port}` })
      const takes: Array<boolean> = []
      for (let i = 0; i < 4; i++) takes.push(yield* limiter.quota.take("app:push", 3, 10_000))
      expect(takes).toEqual([true, true, true, false])
      yield* TestClock.adjust("10 seconds")
      expect(yield* limiter.quota.used("app:push", 10_000)).toBe(0)
      expect(yield* limiter.quota.take("app:push", 3, 20_000)).toBe(true)
    }).pipe(Effect.scoped))
})

describe.skipIf(redisServerBinary === "")("RedisRateLimit: processes announce themselves", () => {
  it.live("each counts the others, and keeps to its share when Redis stops", () =>
    Effect.gen(function*() {
      yield* quiet
      const server = yield* Effect.acquireRelease(
        Effect.promise(() => startRedisServer({ binary: redisServerBinary })),
        (s) => Effect.promise(() => s.stop())
      )
      const redis = yield* client(server.url)
      const prefix = freshPrefix("presence")
      const options = {
        url: server.url,
        prefix,
        limit: 10,
        burst: 10,
        window: "400 millis",
        margin: "0 millis"
      } as const
      const a = yield* RedisRateLimit.make(options)
      yield* Effect.scoped(
        Effect.gen(function*() {
          yield* RedisRateLimit.make(options)
          expect(yield* Effect.promise(() => redis.zcard(processesKey(prefix)))).toBe(2)
        })
      )
      // The second one left as its scope closed.
      expect(yield* Effect.promise(() => redis.zcard(processesKey(prefix)))).toBe(1)
      const c = yield* RedisRateLimit.make(options)
      expect(yield* Effect.promise(() => redis.zcard(processesKey(prefix)))).toBe(2)
      expect(yield* Effect.promise(() => redis.pttl(processesKey(prefix)))).toBeGreaterThan(0)
      yield* Effect.sleep("1200 millis") // a heartbeat of each, in steady use
      yield* Effect.promise(() => server.stop())
      // Redis is gone: each of the two keeps to 10 / 2 = 5 per 400 ms.
      const times = yield* Effect.forEach(
        [a, c].flatMap((limiter) => Array.from({ length: 10 }, () => limiter)),
        (limiter) => writeNow(limiter, "k"),
        { concurrency: "unbounded" }
      )
      const first = Math.min(...times)
      expect(times.filter((t) => t < first + 350)).toHaveLength(10)
      expect(times.filter((t) => t >= first + 350)).toHaveLength(10)
    }).pipe(Effect.scoped), 30_000)
})
