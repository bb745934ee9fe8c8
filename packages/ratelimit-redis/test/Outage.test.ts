/**
 * Redis down, hanging or coming back: the limiter falls back to the in-process limit with one warning per outage
 * and returns to Redis without a restart. Each test runs its own redis-server, so pausing or stopping it cannot
 * disturb other test files.
 */
import { describe, expect, it } from "@effect/vitest"
import * as RedisRateLimit from "@timtags/ratelimit-redis/RedisRateLimit"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import { freePort, startRedisServer } from "./support/RedisServer.js"
import { client, freshPrefix, maxInSlidingWindow, redisServerBinary } from "./support/Redis.js"

/** A logger that keeps what is logged, for the test's scope. */
const captureLogs = Effect.gen(function*() {
  const logs: Array<{ readonly level: string; readonly message: string }> = []
  const logger = Logger.make(({ logLevel, message }) => {
    logs.push({ level: logLevel, message: String(Array.isArray(message) ? message.join(" ") : message) })
  })
  yield* Effect.updateServiceScoped(Logger.CurrentLoggers, () => new Set([logger]))
  return {
    warnings: () => logs.filter((l) => l.level === "Warn"),
    infos: () => logs.filter((l) => l.level === "Info")
  }
})

/** A redis-server for this test, stopped with its scope. */
const privateServer = (port?: number) =>
  Effect.acquireRelease(
    Effect.promise(() => startRedisServer({ binary: redisServerBinary, ...(port === undefined ? {} : { port }) })),
    (server) => Effect.promise(() => server.stop())
  )

/** How long `effect` took, in ms, and its value. */
const timedValue = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const started = Date.now()
    const value = yield* effect
    return [Date.now() - started, value] as const
  })

const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.map(timedValue(effect), ([millis]) => millis)

const waitUntil = (check: Effect.Effect<boolean>, what: string, millis = 10_000) =>
  Effect.gen(function*() {
    const deadline = Date.now() + millis
    while (!(yield* check)) {
      if (Date.now() > deadline) return yield* Effect.die(new Error(`timed out waiting for ${what}`))
      yield* Effect.sleep("50 millis")
    }
  })

describe("RedisRateLimit outage: nothing listening", () => {
  it.live("builds, falls back to fallbackLimit per process and warns once", () =>
    Effect.gen(function*() {
      const logs = yield* captureLogs
      const port = yield* Effect.promise(() => freePort())
      const [buildTime, limiter] = yield* timedValue(
        RedisRateLimit.make({ url: `redis://127.0.0.1:${port}`, limit: 100, fallbackLimit: 5, window: "200 millis" })
      )
      // The layer never fails: it gives up connecting after connectTimeout (1 s) at most.
      expect(buildTime).toBeLessThan(1500)
      const times = yield* Effect.forEach(
        Array.from({ length: 15 }),
        () => Effect.andThen(limiter.acquire("k"), Effect.sync(() => Date.now())),
        { concurrency: "unbounded" }
      )
      // 15 calls at 5 per 220 ms (window + margin): three groups, the last about 440 ms after the first.
      expect(maxInSlidingWindow(times, 200)).toBeLessThanOrEqual(5)
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(430)
      // One warning for the whole outage, not one per call; it says what happens.
      expect(logs.warnings()).toHaveLength(1)
      expect(logs.warnings()[0]!.message).toContain("5 calls per window")
    }))
})

describe.skipIf(redisServerBinary === "")("RedisRateLimit outage: with a private redis-server", () => {
  it.live("Redis stops: fall back with one warning; Redis restarts: shared again, without a restart", () =>
    Effect.gen(function*() {
      const logs = yield* captureLogs
      const prefix = freshPrefix("outage")
      const key = "1400000000:timpush/get_tag"
      const first = yield* Effect.promise(() => startRedisServer({ binary: redisServerBinary }))
      yield* Effect.addFinalizer(() => Effect.promise(() => first.stop()))
      const limiter = yield* RedisRateLimit.make({ url: first.url, prefix, retryInterval: "200 millis" })
      const redis1 = yield* client(first.url)
      yield* limiter.acquire(key)
      expect(yield* Effect.promise(() => redis1.llen(`${prefix}${key}`))).toBe(1)
      expect(logs.warnings()).toHaveLength(0)

      yield* Effect.promise(() => first.stop())
      // Each call answers at once from the local limiter (no hang on a dead connection).
      for (let i = 0; i < 20; i++) {
        expect(yield* timed(limiter.acquire(key))).toBeLessThan(150)
        yield* Effect.sleep("20 millis")
      }
      expect(logs.warnings()).toHaveLength(1)
      expect(logs.warnings()[0]!.message).toContain("unavailable")

      // The same port again: a fresh, empty Redis. The limiter reconnects and records there again.
      const second = yield* privateServer(first.port)
      const redis2 = yield* client(second.url)
      yield* waitUntil(
        Effect.andThen(limiter.acquire(key), Effect.promise(() => redis2.exists(`${prefix}${key}`)).pipe(Effect.map((n) => n === 1))),
        "the limiter to use the restarted Redis"
      )
      expect(logs.warnings()).toHaveLength(1)
      expect(logs.infos().some((l) => l.message.includes("answers again"))).toBe(true)
      const before = yield* Effect.promise(() => redis2.llen(`${prefix}${key}`))
      yield* limiter.acquire(key)
      expect(yield* Effect.promise(() => redis2.llen(`${prefix}${key}`))).toBe(before + 1)
    }), 30_000)

  it.live("Redis hangs (CLIENT PAUSE): calls are time-boxed, fall back, and Redis is probed once per interval", () =>
    Effect.gen(function*() {
      const logs = yield* captureLogs
      const server = yield* privateServer()
      const prefix = freshPrefix("hang")
      const redis = yield* client(server.url)
      // burst = limit: no pacing, so the local limiter lets all 20 calls start at once.
      const limiter = yield* RedisRateLimit.make({ url: server.url, prefix, timeout: "150 millis", retryInterval: "10 seconds", burst: 100 })
      yield* limiter.acquire("k")
      yield* Effect.promise(() => redis.call("CLIENT", "PAUSE", "1500", "ALL"))
      // The first call pays the time-out once; the next ones go straight to the local limiter.
      const firstCall = yield* timed(limiter.acquire("k"))
      expect(firstCall).toBeGreaterThanOrEqual(140)
      expect(firstCall).toBeLessThan(600)
      const next = yield* timed(Effect.forEach(Array.from({ length: 20 }), () => limiter.acquire("k"), { concurrency: "unbounded" }))
      expect(next).toBeLessThan(100)
      expect(logs.warnings()).toHaveLength(1)
      expect(logs.warnings()[0]!.message).toContain("Timeout")
    }), 30_000)
})
