/** The Lua script's arithmetic, against a real Redis, compared with core's in-memory sliding log. */
import { describe, expect, it } from "@effect/vitest"
import * as RedisRateLimit from "@timtags/ratelimit-redis/RedisRateLimit"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import { Redis } from "ioredis"
import { client, freshPrefix, redisUrl, skipRedis } from "./support/Redis.js"

/**
 * The arithmetic in plain TypeScript: a slot is the latest of now, the `limit`-th previous slot plus the
 * spacing, every j-th previous slot (j ≥ burst) plus (j + 1 - burst) intervals, and the previous slot;
 * rounded up to the ms.
 */
const modelLog = (limit: number, spacing: number, burst: number) => {
  const interval = spacing / limit
  const slots: Array<number> = []
  return (now: number) => {
    const log = slots.slice(-limit)
    const n = log.length
    let slot = now
    if (n >= limit) slot = Math.max(slot, log[n - limit]! + spacing)
    for (let j = burst; j <= n; j++) slot = Math.max(slot, log[n - j]! + (j + 1 - burst) * interval)
    if (n > 0) slot = Math.max(slot, log[n - 1]!)
    slot = Math.ceil(slot)
    slots.push(slot)
    return slot
  }
}

describe.skipIf(skipRedis)("RedisRateLimit.script", () => {
  it.live("gives the same slots as a plain model of the arithmetic, for random arrivals", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const prefix = freshPrefix("script")
      const store = RedisRateLimit.makeStore(redis, { limit: 7, window: "1 second", margin: "20 millis", burst: 3, prefix })
      // limit 7 per 1020 ms; after 3 at once, one every 1020 / 7 ≈ 145.7 ms.
      const model = modelLog(7, 1020, 3)
      const base = 1_700_000_000_000
      let t = base
      for (let i = 0; i < 300; i++) {
        t += (yield* Random.nextIntBetween(0, 4, { halfOpen: true })) === 0 ? yield* Random.nextIntBetween(0, 1500, { halfOpen: true }) : 0
        const { now, wait } = yield* store.reserve("k", t)
        expect(now).toBe(t)
        expect(now + wait).toBe(model(t))
      }
    }))

  it.live("with burst = limit it is the plain sliding log (core's arithmetic before pacing)", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const store = RedisRateLimit.makeStore(redis, { limit: 4, window: "1 second", margin: "0 millis", burst: 4, prefix: freshPrefix("script") })
      const slots: Array<number> = []
      for (const now of [0, 0, 0, 0, 0, 0, 500, 2500, 2500]) {
        const r = yield* store.reserve("k", 1_000_000 + now)
        slots.push(r.now + r.wait - 1_000_000)
      }
      expect(slots).toEqual([0, 0, 0, 0, 1000, 1000, 1000, 2500, 2500])
    }))

  it.live("paces after a burst: one slot per (window + margin) / limit", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const store = RedisRateLimit.makeStore(redis, { limit: 100, window: "1 second", margin: "0 millis", prefix: freshPrefix("script") })
      const slots: Array<number> = []
      for (let i = 0; i < 120; i++) {
        const r = yield* store.reserve("k", 1000)
        slots.push(r.now + r.wait)
      }
      // Default burst 10: ten at once, then one every 1000 / 100 = 10 ms; the window bound holds on top.
      expect(slots.slice(0, 13)).toEqual([...Array(10).fill(1000), 1010, 1020, 1030])
      expect(slots[99]).toBe(1900)
      // The 101st to 110th come a window after the first ten (the burst), then pacing again.
      expect(slots.slice(100, 111)).toEqual([...Array(10).fill(2000), 2010])
    }))

  it.live("keeps only the last `limit` slots and expires the key when it can delay no one", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const prefix = freshPrefix("script")
      const store = RedisRateLimit.makeStore(redis, { limit: 3, window: "1 second", margin: "0 millis", prefix })
      const waits: Array<number> = []
      for (let i = 0; i < 7; i++) waits.push((yield* store.reserve("k", 5000)).wait)
      // Three at once, three a window later, then one two windows later.
      expect(waits).toEqual([0, 0, 0, 1000, 1000, 1000, 2000])
      const key = `${prefix}k`
      expect(yield* Effect.promise(() => redis.lrange(key, 0, -1))).toEqual(["6000", "6000", "7000"])
      // The TTL runs from Redis's clock and this test's injected time: slot - now + spacing = 2000 + 1000 ms.
      const ttl = yield* Effect.promise(() => redis.pttl(key))
      expect(ttl).toBeGreaterThan(2900)
      expect(ttl).toBeLessThanOrEqual(3000)
    }))

  it.live("never hands out a slot earlier than the last one when Redis's clock steps back", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const store = RedisRateLimit.makeStore(redis, { limit: 2, window: "1 second", margin: "0 millis", prefix: freshPrefix("script") })
      expect((yield* store.reserve("k", 10_000)).wait).toBe(0)
      // The clock jumps back 3 s: the next slot stays at 10 000 (and the one after waits a window from there).
      expect((yield* store.reserve("k", 7_000)).wait).toBe(3_000)
      expect((yield* store.reserve("k", 7_000)).wait).toBe(4_000)
    }))

  it.live("uses Redis's TIME, and reloads the script after SCRIPT FLUSH", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const prefix = freshPrefix("script")
      const store = RedisRateLimit.makeStore(redis, { limit: 10, prefix })
      const [seconds, micros] = yield* Effect.promise(() => redis.time())
      const first = yield* store.reserve("k")
      const redisNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)
      expect(first.wait).toBe(0)
      expect(first.now - redisNow).toBeGreaterThanOrEqual(0)
      expect(first.now - redisNow).toBeLessThan(1000)
      yield* Effect.promise(() => redis.script("FLUSH"))
      const second = yield* store.reserve("k")
      expect(second.wait).toBe(0)
      expect(yield* Effect.promise(() => redis.llen(`${prefix}k`))).toBe(2)
      // Default spacing 1050 ms (window + margin): the key outlives no reservation by more than that.
      const ttl = yield* Effect.promise(() => redis.pttl(`${prefix}k`))
      expect(ttl).toBeGreaterThan(0)
      expect(ttl).toBeLessThanOrEqual(1050)
    }))

  it.live("fails with a typed error when the connection is not ready", () =>
    Effect.gen(function*() {
      const redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false })
      const error = yield* Effect.flip(RedisRateLimit.makeStore(redis).reserve("k"))
      expect(error._tag).toBe("RedisRateLimitError")
      expect(error.reason).toBe("Unavailable")
    }))
})
