import { describe, expect, it } from "@effect/vitest"
import * as RateLimit from "@timtags/core/RateLimit"
import { CallLog } from "@timtags/emulator"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/testing/TestClock"

/** The most start times that fall in any half-open window [t, t + width) (the emulator's own measure). */
const maxInSlidingWindow = CallLog.maxInWindow

/** Acquires a permit and confirms it at once (the request is written as soon as it may start); the start time. */
const startNow = (limiter: RateLimit.Service, key: string, rate?: RateLimit.Rate) =>
  Effect.flatMap(limiter.acquire(key, rate), (permit) =>
    Effect.map(Clock.currentTimeMillis, (t) => {
      permit.started(t)
      return t
    }))

/** Runs `arrivals` (ms offsets) through a limiter under TestClock; returns the start times. */
const starts = (
  limiter: RateLimit.Service,
  arrivals: ReadonlyArray<number>,
  key = "k",
  horizon: Duration.Input = "60 seconds",
  rate?: RateLimit.Rate
) =>
  Effect.gen(function*() {
    const times: Array<number> = []
    const fiber = yield* Effect.forEach(
      arrivals,
      (at) => Effect.sleep(at).pipe(Effect.andThen(startNow(limiter, key, rate)), Effect.map((t) => times.push(t))),
      { concurrency: "unbounded", discard: true }
    ).pipe(Effect.forkChild)
    yield* TestClock.adjust(horizon)
    yield* Fiber.join(fiber)
    return times
  })

/** How many of `times` fall in [from, to). */
const within = (times: ReadonlyArray<number>, from: number, to: number) =>
  times.filter((t) => t >= from && t < to).length

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
      yield* startNow(limiter, "k")
      yield* startNow(limiter, "k")
      const times: Array<number> = []
      const record = Effect.map(startNow(limiter, "k"), (t) => times.push(t))
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

  it.effect("a call written later than it was allowed to start pushes the next window back", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ limit: 2, window: "1 second", margin: "0 millis", burst: 2 })
      yield* startNow(limiter, "k")
      const late = yield* limiter.acquire("k") // allowed at 0, but its request waits 300 ms for a connection
      yield* TestClock.adjust("300 millis")
      late.started(300)
      const times = yield* starts(limiter, [0, 0])
      // The first follows the call written at 0; the second the one written at 300, not at 0.
      expect(times.sort((a, b) => a - b)).toEqual([1000, 1300])
    }))

  it.effect("until its write is confirmed, a call holds back the calls a window after it", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ limit: 1, window: "1 second", margin: "0 millis", burst: 1 })
      const first = yield* limiter.acquire("k")
      const times: Array<number> = []
      const next = yield* Effect.forkChild(Effect.map(startNow(limiter, "k"), (t) => times.push(t)))
      yield* TestClock.adjust("1500 millis")
      expect(times).toEqual([]) // at 1000 the first call's request might still be on its way
      first.started(1200)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(next)
      expect(times).toEqual([2200])
    }))

  it.effect("a permit never confirmed stops holding the key after ten windows", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ limit: 1, window: "1 second", margin: "0 millis", burst: 1 })
      yield* limiter.acquire("k") // its holder never reports the write
      const times = yield* starts(limiter, [0])
      expect(times).toEqual([11_000])
    }))

  it.effect("a refusal pauses the key for a full window, halves the rate, and the rate recovers a tenth per quiet window", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ limit: 10, window: "1 second", margin: "0 millis", burst: 1 })
      yield* limiter.refused("k", 0)
      // Steady demand: 100 calls waiting from the start.
      const times = yield* starts(limiter, Array.from({ length: 100 }, () => 0), "k", "30 seconds")
      expect(within(times, 0, 1000)).toBe(0) // paused for a full window after the refusal
      expect(within(times, 1000, 2000)).toBe(5) // then half the rate for a window
      expect(within(times, 2000, 3000)).toBe(6) // then +1 (a tenth of 10) per window
      expect(within(times, 3000, 4000)).toBe(7)
      expect(within(times, 5000, 6000)).toBe(9)
      expect(within(times, 6000, 7000)).toBe(10) // back to the limit, and no further
      expect(within(times, 7000, 8000)).toBe(10)
      expect(maxInSlidingWindow(times, 1000)).toBe(10)
    }))

  it.effect("refusals within one window halve the rate once; other keys are not affected", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ limit: 10, window: "1 second", margin: "0 millis", burst: 1 })
      for (const at of [0, 100, 500, 900]) yield* limiter.refused("k", at)
      const other = yield* starts(limiter, Array.from({ length: 10 }, () => 0), "other", "1 second")
      expect(within(other, 0, 1000)).toBe(10)
      // Demand for "k" from 1000 on: paused until a window after the last refusal (1900); halved once
      // at the first refusal (10 → 5), so the window from 2000 allows 5 + 1, where four halvings
      // (10 → 5 → 2 → 1 → 1) would allow 2.
      const times = yield* starts(limiter, Array.from({ length: 30 }, () => 0), "k", "10 seconds")
      expect(within(times, 1000, 1900)).toBe(0)
      expect(within(times, 2000, 3000)).toBe(6)
    }))

  it.effect("refuses a non-positive limit", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(RateLimit.makeMemory({ limit: 0 }))
      expect(exit._tag).toBe("Failure")
    }))
})

/** The gaps between consecutive `times`, sorted first. */
const gaps = (times: ReadonlyArray<number>) => {
  const sorted = [...times].sort((a, b) => a - b)
  return sorted.slice(1).map((t, i) => t - sorted[i]!)
}

describe("RateLimit.makeMemory: a rate per key", () => {
  const push: RateLimit.Rate = { limit: 1, windowMillis: 1100 }

  it.effect("a { limit: 1, windowMillis: 1100 } key never starts two calls less than 1.1 s + margin apart", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory() // margin 40 ms
      const calls: Array<{ readonly granted: number; readonly written: number }> = []
      // Eight callers at once; each request is written 0-300 ms after its permit (a connection, a busy loop).
      const fiber = yield* Effect.forEach(
        Array.from({ length: 8 }, (_, i) => (i * 137) % 300),
        (delay) =>
          Effect.gen(function*() {
            const permit = yield* limiter.acquire("app:timpush/push", push)
            const granted = yield* Clock.currentTimeMillis
            yield* Effect.sleep(Duration.millis(delay))
            const written = yield* Clock.currentTimeMillis
            permit.started(written)
            calls.push({ granted, written })
          }),
        { concurrency: "unbounded", discard: true }
      ).pipe(Effect.forkChild)
      yield* TestClock.adjust("30 seconds")
      yield* Fiber.join(fiber)
      expect(calls).toHaveLength(8)
      const writes = calls.map((c) => c.written)
      for (const gap of gaps(writes)) expect(gap).toBeGreaterThanOrEqual(1140)
      // ... and no slower than that: each call may start exactly 1140 ms after the one before it was written.
      const sorted = [...calls].sort((a, b) => a.granted - b.granted)
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.granted - sorted[i - 1]!.written).toBe(1140)
    }))

  it.effect("keys keep their own rates: 10 per second beside the default 100, each with the margin", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ margin: "0 millis" })
      const batch = { limit: 10, windowMillis: 1000 }
      const both = yield* Effect.all([
        starts(limiter, Array.from({ length: 30 }, () => 0), "batch", "0 millis", batch),
        starts(limiter, Array.from({ length: 100 }, () => 0), "tags", "0 millis")
      ], { concurrency: "unbounded" }).pipe(Effect.forkChild)
      yield* TestClock.adjust("10 seconds")
      const [times, tagTimes] = yield* Fiber.join(both)
      expect(maxInSlidingWindow(times, 1000)).toBe(10)
      expect(within(times, 0, 1000)).toBe(10)
      expect(within(times, 2000, 3000)).toBe(10)
      // The tag key's hundred go in its first second (a burst of 10, then paced 10 ms apart).
      expect(tagTimes).toHaveLength(100)
      expect(Math.max(...tagTimes)).toBeLessThan(1000)
    }))

  it.effect("a refusal under a rated key pauses it for its own window and halves its own rate", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ margin: "0 millis", burst: 1 })
      const slow = { limit: 4, windowMillis: 2000 }
      yield* startNow(limiter, "k", slow) // the key now has its rate
      yield* limiter.refused("k", 0)
      const times = yield* starts(limiter, Array.from({ length: 12 }, () => 0), "k", "30 seconds", slow)
      // Nothing in the pause (one 2 s window), then half of 4 per window, then one more (a tenth of 4, at least 1).
      expect(within(times, 0, 2000)).toBe(0)
      expect(within(times, 2000, 4000)).toBe(2)
      expect(within(times, 4000, 6000)).toBe(3)
      expect(within(times, 6000, 8000)).toBe(4)
    }))

  it.effect("a key whose rate changes keeps its latest starts", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ margin: "0 millis", burst: 2 })
      yield* startNow(limiter, "k") // at 0, at the limiter's 100 per second
      yield* Effect.flatMap(limiter.acquire("k", { limit: 2, windowMillis: 1000 }), (p) =>
        Effect.sync(() => p.started(0)))
      // Now one per second: the calls at 0 still count, so the next one waits a window.
      const at: Array<number> = []
      const fiber = yield* Effect.forkChild(
        Effect.flatMap(limiter.acquire("k", { limit: 1, windowMillis: 1000 }), () =>
          Effect.map(Clock.currentTimeMillis, (t) =>
            at.push(t)))
      )
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      expect(at).toEqual([1000])
    }))

  it.effect("record counts a call another limiter let go, from when it starts", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory({ limit: 1, margin: "0 millis", burst: 1 })
      // A call elsewhere starts at 500 (later than now); it is written at 700.
      const elsewhere = limiter.record("k", 500)
      const times = yield* starts(limiter, [0, 0], "k", "0 millis").pipe(Effect.forkChild)
      yield* TestClock.adjust("700 millis")
      elsewhere.started(700)
      yield* TestClock.adjust("5 seconds")
      expect((yield* Fiber.join(times)).sort((a, b) => a - b)).toEqual([1700, 2700])
    }))

  it.effect("an invalid rate is a defect naming what is wrong", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.makeMemory()
      const exit = yield* Effect.exit(limiter.acquire("k", { limit: 1.5, windowMillis: 1000 }))
      expect(String(exit)).toContain("rate limit must be a positive integer, got 1.5")
      const window = yield* Effect.exit(limiter.acquire("k", { limit: 1, windowMillis: 0 }))
      expect(String(window)).toContain("rate window must be a positive number of ms, got 0")
    }))
})

describe("RateLimit quota (in memory)", () => {
  it.effect("takes up to max per period, gives back, is exhausted, and starts again at resetsAt", () =>
    Effect.gen(function*() {
      const { quota } = yield* RateLimit.makeMemory()
      const day = 86_400_000
      const takes: Array<boolean> = []
      for (let i = 0; i < 12; i++) takes.push(yield* quota.take("app:push", 10, day))
      expect(takes).toEqual([...Array(10).fill(true), false, false])
      expect(yield* quota.used("app:push", day)).toBe(10)
      yield* quota.giveBack("app:push", day)
      expect(yield* quota.used("app:push", day)).toBe(9)
      expect(yield* quota.take("app:push", 10, day)).toBe(true)
      expect(yield* quota.take("app:push", 10, day)).toBe(false)
      // Other counters are their own.
      expect(yield* quota.take("other:push", 10, day)).toBe(true)
      expect(yield* quota.used("other:push", day)).toBe(1)
      // The server says 90047: used up, whatever was counted.
      yield* quota.exhaust("other:push", 100, day)
      expect(yield* quota.take("other:push", 100, day)).toBe(false)
      expect(yield* quota.used("other:push", day)).toBe(100)
      // At resetsAt the period is over: nothing used, and the next period counts from 0.
      yield* TestClock.adjust(Duration.millis(day - 1))
      expect(yield* quota.used("app:push", day)).toBe(10)
      yield* TestClock.adjust("1 millis")
      expect(yield* quota.used("app:push", day)).toBe(0)
      expect(yield* quota.take("app:push", 10, day)).toBe(true) // a period that is over counts nothing
      expect(yield* quota.used("app:push", day)).toBe(0)
      expect(yield* quota.take("app:push", 10, 2 * day)).toBe(true)
      expect(yield* quota.used("app:push", 2 * day)).toBe(1)
      yield* quota.giveBack("app:push", 2 * day)
      yield* quota.giveBack("app:push", 2 * day)
      expect(yield* quota.used("app:push", 2 * day)).toBe(0)
      expect(yield* quota.take("app:push", 0, 2 * day)).toBe(false)
    }))

  it.effect("layerDisabled's quota always allows", () =>
    Effect.gen(function*() {
      const { quota } = yield* RateLimit.RateLimit
      for (let i = 0; i < 5; i++) expect(yield* quota.take("k", 1, 1000)).toBe(true)
      yield* quota.exhaust("k", 1, 1000)
      expect(yield* quota.take("k", 1, 1000)).toBe(true)
      expect(yield* quota.used("k", 1000)).toBe(0)
    }).pipe(Effect.provide(RateLimit.layerDisabled)))
})
