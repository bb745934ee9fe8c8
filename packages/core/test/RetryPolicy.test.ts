import { describe, expect, it } from "@effect/vitest"
import * as ErrorCode from "@timtags/core/ErrorCode"
import * as RetryPolicy from "@timtags/core/RetryPolicy"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Random from "effect/Random"
import * as TestClock from "effect/testing/TestClock"

interface Failure {
  readonly retryClass: ErrorCode.RetryClass
}

/** Fails with `errors[i]` on attempt i (the last one repeats); returns the attempt times. */
const attemptTimes = (errors: ReadonlyArray<Failure>, options: RetryPolicy.Options = RetryPolicy.defaults) =>
  Effect.gen(function*() {
    const times: Array<number> = []
    const fiber = yield* Clock.currentTimeMillis.pipe(
      Effect.tap((t) => Effect.sync(() => times.push(t))),
      Effect.flatMap(() => Effect.fail(errors[Math.min(times.length - 1, errors.length - 1)]!)),
      Effect.retry(RetryPolicy.schedule<Failure>(options)),
      Effect.forkChild
    )
    yield* TestClock.adjust("5 minutes")
    yield* Fiber.await(fiber)
    return times
  })

/** Every random draw is 0.5: the jitter factor is exactly 1. */
const noJitter = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.provideService(self, Random.Random, { nextDoubleUnsafe: () => 0.5, nextIntUnsafe: () => 0 })

describe("RetryPolicy.schedule", () => {
  it.effect("backoff: 4 attempts at 0, ~100, ~300, ~700 ms (jitter within ±20%)", () =>
    Effect.gen(function*() {
      const times = yield* attemptTimes([{ retryClass: "backoff" }])
      expect(times).toHaveLength(4)
      const gaps = times.slice(1).map((t, i) => t - times[i]!)
      ;[100, 200, 400].forEach((nominal, i) => {
        expect(gaps[i]).toBeGreaterThanOrEqual(nominal * 0.8)
        expect(gaps[i]).toBeLessThanOrEqual(nominal * 1.2)
      })
    }))

  it.effect("without jitter the delays are exactly exponential", () =>
    Effect.gen(function*() {
      const times = yield* noJitter(attemptTimes([{ retryClass: "backoff" }]))
      expect(times).toEqual([0, 100, 300, 700])
    }))

  it.effect("frequency limits back off from 1 s", () =>
    Effect.gen(function*() {
      const times = yield* noJitter(attemptTimes([{ retryClass: "throttled" }]))
      expect(times).toEqual([0, 1000, 3000, 7000])
    }))

  it.effect("delays are capped by maxDelay", () =>
    Effect.gen(function*() {
      const times = yield* noJitter(attemptTimes([{ retryClass: "throttled" }], {
        ...RetryPolicy.defaults,
        maxAttempts: 6,
        maxElapsed: Duration.minutes(1)
      }))
      expect(times).toEqual([0, 1000, 3000, 7000, 12000, 17000])
    }))

  it.effect("total time is bounded by maxElapsed", () =>
    Effect.gen(function*() {
      const times = yield* noJitter(attemptTimes([{ retryClass: "throttled" }], {
        ...RetryPolicy.defaults,
        maxAttempts: 100,
        maxElapsed: Duration.seconds(10)
      }))
      expect(times).toEqual([0, 1000, 3000, 7000, 12000])
    }))

  for (const retryClass of ["no", "resign"] as const) {
    it.effect(`"${retryClass}" failures are not retried`, () =>
      Effect.gen(function*() {
        expect(yield* attemptTimes([{ retryClass }])).toEqual([0])
      }))
  }

  it.effect("a non-retryable failure after retryable ones stops the retries", () =>
    Effect.gen(function*() {
      const times = yield* noJitter(attemptTimes([{ retryClass: "backoff" }, { retryClass: "no" }]))
      expect(times).toEqual([0, 100])
    }))

  it.effect("maxAttempts 1 disables retries", () =>
    Effect.gen(function*() {
      expect(yield* attemptTimes([{ retryClass: "backoff" }], { ...RetryPolicy.defaults, maxAttempts: 1 })).toEqual([0])
    }))
})

describe("RetryPolicy.RetryPolicy", () => {
  it.effect("defaults without a layer", () =>
    Effect.gen(function*() {
      expect(yield* RetryPolicy.RetryPolicy).toEqual(RetryPolicy.defaults)
    }))

  it.effect("layer(options) overrides some settings, the others keep their defaults", () =>
    Effect.gen(function*() {
      const policy = yield* RetryPolicy.RetryPolicy
      expect(policy).toEqual({ ...RetryPolicy.defaults, maxAttempts: 2, base: Duration.millis(5) })
    }).pipe(Effect.provide(RetryPolicy.layer({ maxAttempts: 2, base: "5 millis" }))))
})
