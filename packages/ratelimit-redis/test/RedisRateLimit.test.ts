/** The Redis limiter in one process: the sliding-window bound under concurrency, sharing, key expiry, config. */
import { describe, expect, it } from "@effect/vitest"
import * as RateLimit from "@timtags/core/RateLimit"
import * as RedisRateLimit from "@timtags/ratelimit-redis/RedisRateLimit"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
  client,
  freshPrefix,
  maxInSlidingWindow,
  redisUrl,
  skipRedis,
  startNow,
  sustainedRate
} from "./support/Redis.js"

/** Runs `n` concurrent starts of `key` through each limiter in turn (round robin); returns the start times. */
const burst = (limiters: ReadonlyArray<RateLimit.Service>, n: number, key = "1400000000:timpush/get_tag") =>
  Effect.forEach(
    Array.from({ length: n }, (_, i) => limiters[i % limiters.length]!),
    (limiter) => startNow(limiter, key),
    { concurrency: "unbounded" }
  )

describe.skipIf(skipRedis)("RedisRateLimit.make", () => {
  it.live(
    "400 concurrent calls: at most 100 start in any sliding second, at ≥ 90% of the limit",
    () =>
      Effect.gen(function*() {
        const limiter = yield* RedisRateLimit.make({ url: redisUrl, prefix: freshPrefix("burst") })
        const times = yield* burst([limiter], 400)
        expect(times).toHaveLength(400)
        expect(maxInSlidingWindow(times, 1000)).toBeLessThanOrEqual(100)
        expect(sustainedRate(times, RedisRateLimit.defaults.burst)).toBeGreaterThanOrEqual(90)
      }),
    30_000
  )

  it.live("three limiters (three connections) share one limit", () =>
    Effect.gen(function*() {
      const prefix = freshPrefix("shared")
      const limiters = yield* Effect.all(
        [1, 2, 3].map(() => RedisRateLimit.make({ url: redisUrl, prefix, limit: 20, window: "500 millis" }))
      )
      const times = yield* burst(limiters, 90)
      expect(maxInSlidingWindow(times, 500)).toBeLessThanOrEqual(20)
      // 90 calls at 20 per 520 ms: the last starts about 4 spacings after the first.
      const span = Math.max(...times) - Math.min(...times)
      expect(span).toBeGreaterThanOrEqual(4 * 520)
      expect(span).toBeLessThan(4 * 520 + 500)
    }), 30_000)

  it.live("keys are limited independently", () =>
    Effect.gen(function*() {
      const limiter = yield* RedisRateLimit.make({ url: redisUrl, prefix: freshPrefix("keys"), limit: 5 })
      const started = Date.now()
      yield* burst([limiter], 5, "1:timpush/get_tag")
      yield* burst([limiter], 5, "1:timpush/add_tag")
      yield* burst([limiter], 5, "2:timpush/get_tag")
      expect(Date.now() - started).toBeLessThan(500)
    }))

  it.live("keys carry a TTL and vanish once they can delay no one", () =>
    Effect.gen(function*() {
      const prefix = freshPrefix("ttl")
      const redis = yield* client()
      const limiter = yield* RedisRateLimit.make({
        url: redisUrl,
        prefix,
        limit: 3,
        window: "200 millis",
        margin: "0 millis"
      })
      yield* burst([limiter], 3, "k")
      const ttl = yield* Effect.promise(() => redis.pttl(`${prefix}k`))
      expect(ttl).toBeGreaterThan(0)
      expect(ttl).toBeLessThanOrEqual(200)
      // The small state hash beside the log (reservation count, AIMD state) expires with it.
      const state = RedisRateLimit.stateKeyOf(`${prefix}k`)
      const stateTtl = yield* Effect.promise(() => redis.pttl(state))
      expect(stateTtl).toBeGreaterThan(0)
      expect(stateTtl).toBeLessThanOrEqual(200)
      yield* Effect.sleep("300 millis")
      expect(yield* Effect.promise(() => redis.exists(`${prefix}k`))).toBe(0)
      expect(yield* Effect.promise(() => redis.exists(state))).toBe(0)
    }))

  it.live("works behind Client.layer's rateLimit slot as a layer", () =>
    Effect.gen(function*() {
      const prefix = freshPrefix("layer")
      const redis = yield* client()
      const context = yield* Layer.build(RedisRateLimit.layer({ url: redisUrl, prefix }))
      const limiter = Context.get(context, RateLimit.RateLimit)
      yield* limiter.acquire("1400000000:timpush/get_tag")
      expect(yield* Effect.promise(() => redis.llen(`${prefix}1400000000:timpush/get_tag`))).toBe(1)
    }))
})

describe.skipIf(skipRedis)("RedisRateLimit.layerConfig", () => {
  const withEnv = (env: Record<string, string>) =>
    Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromUnknown(env))
  const acquireOnce = (layer: Layer.Layer<RateLimit.RateLimit, unknown>) =>
    Effect.flatMap(RateLimit.RateLimit, (limiter) => limiter.acquire("1:timpush/get_tag")).pipe(Effect.provide(layer))

  it.live("TIM_REDIS_URL and TIM_REDIS_PREFIX select the Redis limiter", () =>
    Effect.gen(function*() {
      const prefix = freshPrefix("config")
      const redis = yield* client()
      yield* acquireOnce(RedisRateLimit.layerConfig()).pipe(
        withEnv({ TIM_REDIS_URL: redisUrl, TIM_REDIS_PREFIX: prefix })
      )
      expect(yield* Effect.promise(() => redis.llen(`${prefix}1:timpush/get_tag`))).toBe(1)
    }))

  it.live("without TIM_REDIS_URL it is core's in-memory limiter", () =>
    Effect.gen(function*() {
      const started = Date.now()
      const layer = RedisRateLimit.layerConfig({ limit: 2, window: "300 millis", margin: "0 millis" })
      yield* Effect.flatMap(RateLimit.RateLimit, (limiter) => burst([limiter], 3, "k")).pipe(
        Effect.provide(layer),
        withEnv({})
      )
      expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    }))

  it.live("a TIM_REDIS_URL that is not a redis:// URL is a ConfigError naming it", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        acquireOnce(RedisRateLimit.layerConfig()).pipe(withEnv({ TIM_REDIS_URL: "localhost:6379" }))
      )
      expect(String(error)).toContain("TIM_REDIS_URL")
    }))

  it.live("refuses a non-positive limit", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Effect.scoped(RedisRateLimit.make({ url: redisUrl, limit: 0 })))
      expect(exit._tag).toBe("Failure")
    }))
})
