/** The Lua script's arithmetic, against a real Redis, compared with core's in-memory sliding log. */
import { describe, expect, it } from "@effect/vitest"
import * as RedisRateLimit from "@timtags/ratelimit-redis/RedisRateLimit"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import { Redis } from "ioredis"
import { modelLog } from "./support/ModelLog.js"
import { client, freshPrefix, maxInSlidingWindow, redisUrl, skipRedis } from "./support/Redis.js"

/** How many of `times` fall in [from, to). */
const within = (times: ReadonlyArray<number>, from: number, to: number) =>
  times.filter((t) => t >= from && t < to).length

/**
 * A caller with steady demand, as the limiter drives the script: each reservation is made at the slot of
 * the one before (the first at `from`); returns the `n` slots.
 */
/** A store of 10 calls per second, no margin, no burst: the figures of the AIMD tests. */
const tenPerSecond = (redis: Parameters<typeof RedisRateLimit.makeStore>[0], prefix: string) =>
  RedisRateLimit.makeStore(redis, { limit: 10, window: "1 second", margin: "0 millis", burst: 1, prefix })

/** A store of 4 calls per second, no margin, `burst` back to back. */
const fourPerSecond = (redis: Parameters<typeof RedisRateLimit.makeStore>[0], burst: number) =>
  RedisRateLimit.makeStore(redis, {
    limit: 4,
    window: "1 second",
    margin: "0 millis",
    burst,
    prefix: freshPrefix("script")
  })

const steadySlots = (store: RedisRateLimit.Store, key: string, from: number, n: number) =>
  Effect.gen(function*() {
    const slots: Array<number> = []
    let now = from
    for (let i = 0; i < n; i++) {
      const r = yield* store.reserve(key, undefined, now)
      now = r.now + r.wait
      slots.push(now)
    }
    return slots
  })

describe.skipIf(skipRedis)("the reservation script", () => {
  it.live("gives the same slots as a plain model of the arithmetic, for random arrivals", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const prefix = freshPrefix("script")
      const store = RedisRateLimit.makeStore(redis, {
        limit: 7,
        window: "1 second",
        margin: "20 millis",
        burst: 3,
        prefix
      })
      // limit 7 per 1020 ms; after 3 at once, one every 1020 / 7 ≈ 145.7 ms.
      const model = modelLog(7, 1020, 3)
      const base = 1_700_000_000_000
      let t = base
      for (let i = 0; i < 300; i++) {
        t += (yield* Random.nextIntBetween(0, 4, { halfOpen: true })) === 0
          ? yield* Random.nextIntBetween(0, 1500, { halfOpen: true })
          : 0
        const { now, wait } = yield* store.reserve("k", undefined, t)
        expect(now).toBe(t)
        expect(now + wait).toBe(model(t))
      }
    }))

  it.live("recent: the slots after `seen` that the log holds, oldest first, this one last", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const store = fourPerSecond(redis, 2)
      const slots: Array<number> = []
      for (let i = 0; i < 6; i++) {
        const r = yield* store.reserve("k", undefined, 1_000_000)
        slots.push(r.now + r.wait)
      }
      // Reservation 7: after 5 it hears of 6 and 7; after 0 of what the log still holds (the last 4).
      const afterFive = yield* store.reserve("k", undefined, 1_000_000, 5)
      slots.push(afterFive.now + afterFive.wait)
      expect(afterFive.seq).toBe(7)
      expect(afterFive.recent).toEqual(slots.slice(5))
      const afterNothing = yield* store.reserve("k", undefined, 1_000_000, 0)
      slots.push(afterNothing.now + afterNothing.wait)
      expect(afterNothing.recent).toEqual(slots.slice(-4))
      expect((yield* store.reserve("k", undefined, 1_000_000)).recent).toEqual([])
    }))

  it.live("with burst = limit it is the plain sliding log (core's arithmetic before pacing)", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const store = fourPerSecond(redis, 4)
      const slots: Array<number> = []
      for (const now of [0, 0, 0, 0, 0, 0, 500, 2500, 2500]) {
        const r = yield* store.reserve("k", undefined, 1_000_000 + now)
        slots.push(r.now + r.wait - 1_000_000)
      }
      expect(slots).toEqual([0, 0, 0, 0, 1000, 1000, 1000, 2500, 2500])
    }))

  it.live("paces after a burst: one slot per (window + margin) / limit", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const store = RedisRateLimit.makeStore(redis, {
        limit: 100,
        window: "1 second",
        margin: "0 millis",
        prefix: freshPrefix("script")
      })
      const slots: Array<number> = []
      for (let i = 0; i < 120; i++) {
        const r = yield* store.reserve("k", undefined, 1000)
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
      for (let i = 0; i < 7; i++) waits.push((yield* store.reserve("k", undefined, 5000)).wait)
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
      const store = RedisRateLimit.makeStore(redis, {
        limit: 2,
        window: "1 second",
        margin: "0 millis",
        prefix: freshPrefix("script")
      })
      expect((yield* store.reserve("k", undefined, 10_000)).wait).toBe(0)
      // The clock jumps back 3 s: the next slot stays at 10 000 (and the one after waits a window from there).
      expect((yield* store.reserve("k", undefined, 7_000)).wait).toBe(3_000)
      expect((yield* store.reserve("k", undefined, 7_000)).wait).toBe(4_000)
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

  it.live("a refusal pauses the key for a full window, halves the rate, and the rate recovers a tenth per quiet window", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const prefix = freshPrefix("script")
      const store = tenPerSecond(redis, prefix)
      const base = 1_000_000
      const refusal = yield* store.refused("k", 0, undefined, base)
      expect(refusal).toEqual({ pausedUntil: base + 1000, limit: 5, now: base })
      const times = (yield* steadySlots(store, "k", base, 60)).map((t) => t - base)
      // The same figures as core's in-memory limiter.
      expect(within(times, 0, 1000)).toBe(0) // paused for a full window after the refusal
      expect(within(times, 1000, 2000)).toBe(5) // then half the rate for a window
      expect(within(times, 2000, 3000)).toBe(6) // then +1 (a tenth of 10) per window
      expect(within(times, 3000, 4000)).toBe(7)
      expect(within(times, 5000, 6000)).toBe(9)
      expect(within(times, 6000, 7000)).toBe(10) // back to the limit, and no further
      expect(maxInSlidingWindow(times, 1000)).toBe(10)
      const last = yield* store.reserve("k", undefined, base + 7000)
      expect(last.limit).toBe(10)
    }))

  it.live("refusals within one window halve the rate once and extend the pause; other keys are not affected", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const prefix = freshPrefix("script")
      const store = tenPerSecond(redis, prefix)
      const base = 2_000_000
      const limits: Array<number> = []
      for (const at of [0, 100, 500, 900]) limits.push((yield* store.refused("k", 0, undefined, base + at)).limit)
      expect(limits).toEqual([5, 5, 5, 5])
      const other = (yield* steadySlots(store, "other", base, 10)).map((t) => t - base)
      expect(within(other, 0, 1000)).toBe(10)
      // Paused until a window after the last refusal (1900); halved once (10 → 5), so the window from
      // 2000 allows 5 + 1, where four halvings (10 → 5 → 2 → 1 → 1) would allow 2.
      const times = (yield* steadySlots(store, "k", base + 1000, 30)).map((t) => t - base)
      expect(times[0]).toBe(1900)
      expect(within(times, 2000, 3000)).toBe(6)
      // A refusal reported late counts from when it happened: 1500 ms before 2400 is inside the first halving's
      // window, so it neither halves again nor pauses past 1900.
      const allowed = Number(
        yield* Effect.promise(() => redis.hget(RedisRateLimit.stateKeyOf(`${prefix}k`), "allowed"))
      )
      expect(allowed).toBeGreaterThan(6)
      expect(yield* store.refused("k", 1500, undefined, base + 2400)).toEqual({
        pausedUntil: base + 1900,
        limit: allowed,
        now: base + 2400
      })
    }))

  it.live("the AIMD state lives in a small hash in the log's cluster slot, with a TTL that outlasts the recovery", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const prefix = freshPrefix("script")
      const store = RedisRateLimit.makeStore(redis, { limit: 10, window: "100 millis", margin: "0 millis", prefix })
      const state = RedisRateLimit.stateKeyOf(`${prefix}k`)
      expect(state).toBe(`{${prefix}k}:state`)
      yield* store.refused("k", 0)
      expect(yield* Effect.promise(() => redis.hmget(state, "allowed", "seq"))).toEqual(["5", "0"])
      // 10 → 5 recovers 1 per 100 ms window from one window after the halving: gone within 600 ms (+ a window).
      const ttl = yield* Effect.promise(() => redis.pttl(state))
      expect(ttl).toBeGreaterThan(500)
      expect(ttl).toBeLessThanOrEqual(700)
      yield* Effect.sleep("800 millis")
      expect(yield* Effect.promise(() => redis.exists(state))).toBe(0)
    }))

  it.live("a write later than its slot pushes the window after it, not the pacing", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const prefix = freshPrefix("script")
      const store = RedisRateLimit.makeStore(redis, {
        limit: 2,
        window: "1 second",
        margin: "0 millis",
        burst: 2,
        prefix
      })
      const base = 3_000_000
      yield* store.reserve("k", undefined, base)
      const late = yield* store.reserve("k", undefined, base) // allowed at 0, but its request waits 300 ms for a connection
      expect(yield* store.started("k", late, base + 300, undefined, base + 300)).toBe(true)
      const next = [yield* store.reserve("k", undefined, base + 300), yield* store.reserve("k", undefined, base + 300)]
      // The first follows the call written at 0; the second the one written at 300, not at 0 (as core's limiter).
      expect(next.map((r) => r.now + r.wait - base)).toEqual([1000, 1300])
      // The log keeps the slots (sorted); the write is kept beside it while its entry is in the log.
      const state = RedisRateLimit.stateKeyOf(`${prefix}k`)
      expect(yield* Effect.promise(() => redis.lrange(`${prefix}k`, 0, -1))).toEqual([
        String(base + 1000),
        String(base + 1300)
      ])
      expect(yield* Effect.promise(() => redis.hexists(state, "late:2"))).toBe(0)
      // A write that is not later than its slot, or of a reservation no longer in the log, changes nothing.
      expect(yield* store.started("k", next[1]!, base + 1300, undefined, base + 1300)).toBe(false)
      expect(yield* store.started("k", late, base + 2000, undefined, base + 2000)).toBe(false)
      expect(yield* store.started("k", next[0]!, base + 1400, undefined, base + 1400)).toBe(true)
      expect(yield* Effect.promise(() => redis.hget(state, "late:3"))).toBe(String(base + 1400))
      // Pacing follows the slots, the window the writes: the next call is a window after the write at 1400.
      const after = yield* store.reserve("k", undefined, base + 1400)
      expect(after.now + after.wait - base).toBe(2400)
    }))

  it.live("a late write of a log that expired and started over changes nothing", () =>
    Effect.gen(function*() {
      const redis = yield* client()
      const prefix = freshPrefix("script")
      const store = RedisRateLimit.makeStore(redis, { limit: 3, window: "50 millis", margin: "0 millis", prefix })
      const old = yield* store.reserve("k")
      yield* Effect.sleep("120 millis")
      expect(yield* Effect.promise(() => redis.exists(`${prefix}k`, RedisRateLimit.stateKeyOf(`${prefix}k`)))).toBe(0)
      const fresh = yield* store.reserve("k")
      expect(fresh.seq).toBe(1)
      expect(yield* store.started("k", old, old.now + 10)).toBe(false)
    }))

  it("state keys share the log's Redis Cluster hash slot", undefined, () => {
    // No hash tag in the log's name: the whole name becomes the state key's tag.
    expect(RedisRateLimit.stateKeyOf("timtags:ratelimit:1400000123:timpush/get_tag")).toBe(
      "{timtags:ratelimit:1400000123:timpush/get_tag}:state"
    )
    // A hash tag from the prefix: kept, so both keys hash by it.
    expect(RedisRateLimit.stateKeyOf("{app1}:rl:1400000123:timpush/get_tag")).toBe(
      "{app1}:rl:1400000123:timpush/get_tag:state"
    )
    // A "{" without a "}" is no tag: the whole name again.
    expect(RedisRateLimit.stateKeyOf("rl{x:1:c")).toBe("{rl{x:1:c}:state")
  })

  it.live("fails with a typed error when the connection is not ready", () =>
    Effect.gen(function*() {
      const redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false })
      const error = yield* Effect.flip(RedisRateLimit.makeStore(redis).reserve("k"))
      expect(error._tag).toBe("RedisRateLimitError")
      expect(error.reason).toBe("Unavailable")
    }))
})
