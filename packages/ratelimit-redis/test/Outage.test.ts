/**
 * Redis down, hanging or coming back: the limiter falls back to the in-process limit with one warning per outage
 * and returns to Redis without a restart; the fall-back gets the refusals and late writes too. Each test runs its
 * own redis-server, so pausing or stopping it cannot disturb other test files.
 */
import { describe, expect, it } from "@effect/vitest"
import type * as RateLimit from "@timtags/core/RateLimit"
import * as RedisRateLimit from "@timtags/ratelimit-redis/RedisRateLimit"
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as TestClock from "effect/testing/TestClock"
import { client, freshPrefix, maxInSlidingWindow, redisServerBinary, startNow } from "./support/Redis.js"
import { freePort, startRedisServer } from "./support/RedisServer.js"

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

/** How many of `times` fall in [from, to). */
const within = (times: ReadonlyArray<number>, from: number, to: number) =>
  times.filter((t) => t >= from && t < to).length

/** `n` concurrent calls, each reporting its write at once; their start times on Effect's clock (TestClock). */
const clockStarts = (limiter: RateLimit.Service, n: number, horizon: Duration.Input = "30 seconds") =>
  Effect.gen(function*() {
    const times: Array<number> = []
    const fiber = yield* Effect.forEach(
      Array.from({ length: n }),
      () =>
        Effect.flatMap(limiter.acquire("k"), (permit) =>
          Effect.map(Clock.currentTimeMillis, (now) => {
            permit.started(now)
            times.push(now)
          })),
      { concurrency: "unbounded", discard: true }
    ).pipe(Effect.forkChild)
    yield* TestClock.adjust(horizon)
    yield* Fiber.join(fiber)
    return times
  })

describe("RedisRateLimit outage: nothing listening", () => {
  it.live("builds, falls back to its share (of the processes it expects) and warns once", () =>
    Effect.gen(function*() {
      const logs = yield* captureLogs
      const port = yield* Effect.promise(() => freePort())
      const [buildTime, limiter] = yield* timedValue(
        RedisRateLimit.make({
          url: `redis://127.0.0.1:${port}`,
          limit: 100,
          expectedProcesses: 20,
          window: "200 millis"
        })
      )
      // The layer never fails: it gives up connecting after connectTimeout (1 s) at most.
      expect(buildTime).toBeLessThan(1500)
      const times = yield* Effect.forEach(
        Array.from({ length: 15 }),
        () => startNow(limiter, "k"),
        { concurrency: "unbounded" }
      )
      // 15 calls at 100 / 20 = 5 per 250 ms (window + margin): three groups, the last about 500 ms after the first.
      expect(maxInSlidingWindow(times, 200)).toBeLessThanOrEqual(5)
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(480)
      // One warning for the whole outage, not one per call; it says what happens.
      expect(logs.warnings()).toHaveLength(1)
      expect(logs.warnings()[0]!.message).toContain("its share of each limit (1/20")
    }))

  it.live("with outage: \"whole\", each process keeps the whole limit (the old behaviour)", () =>
    Effect.gen(function*() {
      const logs = yield* captureLogs
      const port = yield* Effect.promise(() => freePort())
      const limiter = yield* RedisRateLimit.make({
        url: `redis://127.0.0.1:${port}`,
        limit: 10,
        burst: 10,
        expectedProcesses: 5,
        outage: "whole",
        window: "200 millis"
      })
      const times = yield* Effect.forEach(Array.from({ length: 10 }), () => startNow(limiter, "k"), {
        concurrency: "unbounded"
      })
      expect(Math.max(...times) - Math.min(...times)).toBeLessThan(100)
      expect(logs.warnings()[0]!.message).toContain("each whole limit")
    }))
})

describe("RedisRateLimit fall-back: refusals and late writes (TestClock)", () => {
  /** A limiter whose Redis is not there: every call goes to the in-process fall-back, on Effect's clock. */
  const fallingBack = (options: Partial<RedisRateLimit.Options>) =>
    Effect.flatMap(
      Effect.promise(() => freePort()),
      (port) =>
        RedisRateLimit.make({ url: `redis://127.0.0.1:${port}`, window: "1 second", margin: "0 millis", ...options })
    )

  it.effect("a refusal pauses the fall-back for a full window, halves its rate, and it recovers", () =>
    Effect.gen(function*() {
      yield* captureLogs
      const limiter = yield* fallingBack({ limit: 10, burst: 1 })
      yield* limiter.refused("k", 0)
      const times = yield* clockStarts(limiter, 60)
      expect(within(times, 0, 1000)).toBe(0)
      expect(within(times, 1000, 2000)).toBe(5)
      expect(within(times, 2000, 3000)).toBe(6)
      expect(within(times, 6000, 7000)).toBe(10)
    }))

  it.effect("a request written late pushes the fall-back's next window back", () =>
    Effect.gen(function*() {
      yield* captureLogs
      const limiter = yield* fallingBack({ limit: 2, burst: 2 })
      yield* clockStarts(limiter, 1, "0 millis")
      const late = yield* limiter.acquire("k") // allowed at 0, written at 300
      yield* TestClock.adjust("300 millis")
      late.started(300)
      const times = yield* clockStarts(limiter, 2)
      expect(times.sort((a, b) => a - b)).toEqual([1000, 1300])
    }))
})

describe.skipIf(redisServerBinary === "")("RedisRateLimit outage: with a private redis-server", () => {
  it.live(
    "Redis stops: fall back with one warning; Redis restarts: shared again, without a restart",
    () =>
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
          Effect.andThen(
            limiter.acquire(key),
            Effect.promise(() => redis2.exists(`${prefix}${key}`)).pipe(Effect.map((n) => n === 1))
          ),
          "the limiter to use the restarted Redis"
        )
        expect(logs.warnings()).toHaveLength(1)
        expect(logs.infos().some((l) => l.message.includes("answers again"))).toBe(true)
        const before = yield* Effect.promise(() => redis2.llen(`${prefix}${key}`))
        yield* limiter.acquire(key)
        expect(yield* Effect.promise(() => redis2.llen(`${prefix}${key}`))).toBe(before + 1)
      }),
    30_000
  )

  it.live(
    "a refusal reported while Redis answers also holds the fall-back that takes over",
    () =>
      Effect.gen(function*() {
        yield* captureLogs
        const server = yield* Effect.promise(() => startRedisServer({ binary: redisServerBinary }))
        yield* Effect.addFinalizer(() => Effect.promise(() => server.stop()))
        const limiter = yield* RedisRateLimit.make({
          url: server.url,
          prefix: freshPrefix("outage"),
          limit: 4,
          burst: 4,
          window: "300 millis",
          margin: "0 millis",
          retryInterval: "10 seconds"
        })
        const refusedAt = Date.now()
        yield* limiter.refused("k", yield* Clock.currentTimeMillis)
        yield* Effect.promise(() => server.stop())
        // Redis is gone: the fall-back serves, paused until a window after the refusal, at half the rate (2 of 4).
        const times = (yield* Effect.forEach(Array.from({ length: 4 }), () =>
          startNow(limiter, "k"), { concurrency: "unbounded" }))
          .map((t) => t - refusedAt)
          .sort((a, b) => a - b)
        expect(times[0]).toBeGreaterThanOrEqual(295)
        expect(within(times, 0, 595)).toBe(2)
      }),
    30_000
  )

  it.live(
    "Redis hangs (CLIENT PAUSE): calls are time-boxed, fall back, and Redis is probed once per interval",
    () =>
      Effect.gen(function*() {
        const logs = yield* captureLogs
        const server = yield* privateServer()
        const prefix = freshPrefix("hang")
        const redis = yield* client(server.url)
        // burst = limit: no pacing, so the local limiter lets all 20 calls start at once.
        const limiter = yield* RedisRateLimit.make({
          url: server.url,
          prefix,
          timeout: "150 millis",
          retryInterval: "10 seconds",
          burst: 100
        })
        yield* limiter.acquire("k")
        yield* Effect.promise(() => redis.call("CLIENT", "PAUSE", "1500", "ALL"))
        // The first call pays the time-out once; the next ones go straight to the local limiter.
        const firstCall = yield* timed(limiter.acquire("k"))
        expect(firstCall).toBeGreaterThanOrEqual(140)
        expect(firstCall).toBeLessThan(600)
        const next = yield* timed(
          Effect.forEach(Array.from({ length: 20 }), () => limiter.acquire("k"), { concurrency: "unbounded" })
        )
        expect(next).toBeLessThan(100)
        expect(logs.warnings()).toHaveLength(1)
        expect(logs.warnings()[0]!.message).toContain("Timeout")
      }),
    30_000
  )
})
