import { describe, expect, it } from "@effect/vitest"
import * as RateLimit from "@timtags/core/RateLimit"
import { CallLog } from "@timtags/emulator"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/testing/TestClock"

/** The most start times that fall in any half-open window [t, t + width) (the emulator's own measure). */
const maxInSlidingWindow = CallLog.maxInWindow

/** Runs `arrivals` (ms offsets) through a limiter under TestClock; returns the start times. */
const starts = (limiter: RateLimit.Service, arrivals: ReadonlyArray<number>, key = "k") =>
  Effect.gen(function*() {
    const times: Array<number> = []
    const fiber = yield* Effect.forEach(
      arrivals,
      (at) =>
        Effect.sleep(at).pipe(
          Effect.andThen(limiter.acquire(key)),
          Effect.andThen(Clock.currentTimeMillis),
          Effect.map((t) => times.push(t))
        ),
      { concurrency: "unbounded", discard: true }
    ).pipe(Effect.forkChild)
    yield* TestClock.adjust("60 seconds")
    yield* Fiber.join(fiber)
    return times
  })

describe("RateLimit.makeMemory", () => {
  it.effect("a burst of 400: never more than 100 starts in any sliding second, at ≥ 95% of the rate", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory()
      const times = yield* starts(limiter, Array.from({ length: 400 }, () => 0))
      expect(times).toHaveLength(400)
      expect(maxInSlidingWindow(times, 1000)).toBe(100)
      const span = Math.max(...times) - Math.min(...times)
      // The first `burst` (10) start at once, the other 390 are paced: the sustained rate is 390 / span.
      const rate = (390 / span) * 1000
      expect(rate).toBeGreaterThanOrEqual(95)
      expect(rate).toBeLessThanOrEqual(100)
    }))

  it.effect("after a burst of 10, starts are paced (window + margin) / limit apart", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory()
      const times = (yield* starts(limiter, Array.from({ length: 30 }, () => 0))).sort((a, b) => a - b)
      expect(times.filter((t) => t === 0)).toHaveLength(10)
      const gaps = times.slice(10).map((t, i) => t - times[i + 9]!)
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(10)
    }))

  it.effect("with burst = limit, a full window may start at once (pacing off)", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ burst: 100 })
      const times = yield* starts(limiter, Array.from({ length: 150 }, () => 0))
      expect(times.filter((t) => t === 0)).toHaveLength(100)
      expect(maxInSlidingWindow(times, 1000)).toBe(100)
    }))

  it.effect("irregular arrivals: the sliding-window cap holds at every instant", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ limit: 10, window: "1 second", margin: "0 millis", burst: 10 })
      // Clusters at window edges are what break fixed windows and token buckets.
      const arrivals = [
        ...Array.from({ length: 10 }, () => 990),
        ...Array.from({ length: 10 }, () => 1010),
        ...Array.from({ length: 15 }, (_, i) => 1500 + i * 37),
        ...Array.from({ length: 30 }, (_, i) => 3000 + (i % 3))
      ]
      const times = yield* starts(limiter, arrivals)
      expect(times).toHaveLength(arrivals.length)
      expect(maxInSlidingWindow(times, 1000)).toBe(10)
    }))

  it.effect("an interrupted waiter gives up its turn without stalling the queue", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ limit: 2, window: "1 second", margin: "0 millis", burst: 2 })
      yield* limiter.acquire("k")
      yield* limiter.acquire("k")
      const times: Array<number> = []
      const record = Effect.andThen(limiter.acquire("k"), Effect.flatMap(Clock.currentTimeMillis, (t) => Effect.sync(() => times.push(t))))
      const first = yield* Effect.forkChild(record)
      const second = yield* Effect.forkChild(record)
      const third = yield* Effect.forkChild(record)
      yield* TestClock.adjust("10 millis")
      yield* Fiber.interrupt(second)
      yield* TestClock.adjust("3 seconds")
      yield* Fiber.join(first)
      yield* Fiber.join(third)
      // The interrupted waiter took no slot: the other two start as soon as the window allows.
      expect(times).toEqual([1000, 1000])
    }))

  it.effect("keys are limited independently", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ limit: 5 })
      const a = yield* starts(limiter, Array.from({ length: 5 }, () => 0), "a")
      const b = yield* starts(limiter, Array.from({ length: 5 }, () => 0), "b")
      // Each key's five calls start at once (each run starts at the test clock's current time).
      expect(new Set(a).size).toBe(1)
      expect(new Set(b).size).toBe(1)
    }))

  it.effect("refuses a non-positive limit", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(RateLimit.makeMemory({ limit: 0 }))
      expect(exit._tag).toBe("Failure")
    }))
})
