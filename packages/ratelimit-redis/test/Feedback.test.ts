/**
 * What the server and the HTTP layer tell the limiter, shared through Redis: a refusal reported by one limiter
 * instance pauses and slows down every instance sharing the key; a request written late pushes the next window
 * back for all of them. Small windows, real Redis `TIME`.
 */
import { describe, expect, it } from "@effect/vitest"
import type * as RateLimit from "@timtags/core/RateLimit"
import * as RedisRateLimit from "@timtags/ratelimit-redis/RedisRateLimit"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { client, freshPrefix, maxInSlidingWindow, redisUrl, skipRedis, startNow } from "./support/Redis.js"

const key = "1400000000:timpush/get_tag"

/** `n` concurrent starts through the limiters in turn (round robin); the start times. */
const demand = (limiters: ReadonlyArray<RateLimit.Service>, n: number) =>
  Effect.forEach(
    Array.from({ length: n }, (_, i) => limiters[i % limiters.length]!),
    (limiter) => startNow(limiter, key),
    {
      concurrency: "unbounded"
    }
  )

/** How many of `times` fall in [from, to). */
const within = (times: ReadonlyArray<number>, from: number, to: number) =>
  times.filter((t) => t >= from && t < to).length

describe.skipIf(skipRedis)("RedisRateLimit: refusals and late writes are shared", () => {
  it.live(
    "a refusal reported by one instance pauses the key for another, halves the rate for both, and it recovers",
    () =>
      Effect.gen(function*() {
        const prefix = freshPrefix("refused")
        const redis = yield* client()
        const state = RedisRateLimit.stateKeyOf(`${prefix}${key}`)
        // 10 per 300 ms (250 + 50); after the refusal 5, then one more per window: 10 again five windows later.
        const options = {
          url: redisUrl,
          prefix,
          limit: 10,
          window: "250 millis",
          margin: "50 millis",
          burst: 1
        } as const
        const [a, b] = yield* Effect.all([RedisRateLimit.make(options), RedisRateLimit.make(options)])
        const refusedAt = Date.now()
        yield* a.refused(key, yield* Clock.currentTimeMillis)
        expect(yield* Effect.promise(() => redis.hget(state, "allowed"))).toBe("5")

        // B never saw the refusal; its calls wait for the pause all the same, then both go at half the rate.
        const first = yield* startNow(b, key)
        expect(first - refusedAt).toBeGreaterThanOrEqual(295)
        const times = [first, ...(yield* demand([a, b], 59))].map((t) => t - refusedAt)
        expect(within(times, 0, 295)).toBe(0)
        // Paced 60 ms apart (300 ms / 5): at most 5 in the window after the pause, where the limit would allow 10.
        const halved = within(times, 300, 550)
        expect(halved).toBeLessThanOrEqual(5)
        expect(halved).toBeGreaterThanOrEqual(3)
        // Then a tenth of the limit back per window, up to the limit and no further.
        expect(maxInSlidingWindow(times, 250)).toBeLessThanOrEqual(10)
        expect(maxInSlidingWindow(times.filter((t) => t >= 1800), 300)).toBeGreaterThanOrEqual(9)
        expect(yield* Effect.promise(() => redis.hget(state, "allowed"))).toBe("10")
      }),
    30_000
  )

  it.live("a call that slept through a refusal reserves again after the pause", () =>
    Effect.gen(function*() {
      const prefix = freshPrefix("refused")
      const options = { url: redisUrl, prefix, limit: 2, window: "300 millis", margin: "0 millis", burst: 2 } as const
      const [a, b] = yield* Effect.all([RedisRateLimit.make(options), RedisRateLimit.make(options)])
      const started = Date.now()
      yield* demand([b], 2)
      // B's third call holds a slot a window ahead; A is refused meanwhile.
      const third = yield* Effect.forkChild(startNow(b, key))
      yield* Effect.sleep("100 millis")
      const refusedAt = Date.now()
      yield* a.refused(key, yield* Clock.currentTimeMillis)
      // B's next call learns of the pause from its reservation; the sleeper then gives its slot up at its wake-up.
      const fourth = yield* Effect.forkChild(startNow(b, key))
      const starts = [yield* Fiber.join(third), yield* Fiber.join(fourth)]
      for (const t of starts) expect(t - refusedAt).toBeGreaterThanOrEqual(295)
      expect(Math.min(...starts) - started).toBeGreaterThanOrEqual(395)
    }), 30_000)

  it.live(
    "a request written later than its slot pushes the next window back for every instance",
    () =>
      Effect.gen(function*() {
        const prefix = freshPrefix("late")
        const redis = yield* client()
        const options = { url: redisUrl, prefix, limit: 2, window: "400 millis", margin: "0 millis", burst: 2 } as const
        const [a, b] = yield* Effect.all([RedisRateLimit.make(options), RedisRateLimit.make(options)])
        const first = yield* startNow(a, key)
        // Allowed at once, but its request waits 200 ms (for a connection, say) before it is written.
        const late = yield* a.acquire(key)
        yield* Effect.sleep("200 millis")
        const writtenAt = Date.now()
        late.started(yield* Clock.currentTimeMillis) // synchronous; the report goes out on the limiter's fiber
        // (Its reservation is the second, or a later one if a stalled wake-up made it reserve again.)
        yield* waitUntil(
          Effect.map(
            Effect.promise(() => redis.hkeys(RedisRateLimit.stateKeyOf(`${prefix}${key}`))),
            (fields) => fields.some((field) => field.startsWith("late:"))
          ),
          "the late write in Redis"
        )
        const next = (yield* demand([b], 2)).sort((x, y) => x - y)
        // The first follows the call written at once (a window after it); the second the late one, not its slot.
        expect(next[0]! - first).toBeGreaterThanOrEqual(395)
        expect(next[1]! - writtenAt).toBeGreaterThanOrEqual(395)
        expect(next[1]! - first).toBeGreaterThanOrEqual(590)
      }),
    30_000
  )

  it.live("a request written no later than its slot costs no round trip", () =>
    Effect.gen(function*() {
      const prefix = freshPrefix("ontime")
      const redis = yield* client()
      const limiter = yield* RedisRateLimit.make({ url: redisUrl, prefix, limit: 20, window: "200 millis" })
      const evalsBefore = yield* evalCalls(redis)
      yield* Effect.forEach(Array.from({ length: 40 }), () =>
        Effect.gen(function*() {
          const asked = yield* Clock.currentTimeMillis
          const permit = yield* limiter.acquire(key)
          permit.started(asked) // (before its slot: a report that needs nothing done)
        }), { concurrency: "unbounded" })
      const evals = (yield* evalCalls(redis)) - evalsBefore
      const state = yield* Effect.promise(() => redis.hgetall(RedisRateLimit.stateKeyOf(`${prefix}${key}`)))
      // Every script call was a reservation (a call that woke late reserves again); no write was reported.
      expect(Object.keys(state).filter((field) => field.startsWith("late:"))).toEqual([])
      expect(Number(state.seq)).toBeGreaterThanOrEqual(40)
      expect(evals).toBe(Number(state.seq))
    }), 30_000)
})

/** Waits (50 ms at a time, up to 5 s) until `check` holds. */
const waitUntil = (check: Effect.Effect<number | boolean>, what: string) =>
  Effect.gen(function*() {
    const deadline = Date.now() + 5000
    while (!(yield* check)) {
      if (Date.now() > deadline) return yield* Effect.die(new Error(`timed out waiting for ${what}`))
      yield* Effect.sleep("50 millis")
    }
  })

/** Script calls Redis has run so far (all clients). */
const evalCalls = (redis: import("ioredis").Redis) =>
  Effect.promise(async () => {
    let calls = 0
    for (const line of (await redis.info("commandstats")).split("\n")) {
      const match = /^cmdstat_(evalsha|eval):calls=(\d+)/.exec(line)
      if (match !== null) calls += Number(match[2])
    }
    return calls
  })
