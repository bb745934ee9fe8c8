import { describe, expect, it } from "@effect/vitest"
import * as Envelope from "@timtags/core/Envelope"
import * as RetryPolicy from "@timtags/core/RetryPolicy"
import * as TimRest from "@timtags/core/TimRest"
import { Emulator, type Faults } from "@timtags/emulator"
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/testing/TestClock"
import * as Harness from "./support/Harness.js"
import { recordingTracer } from "./support/Recorders.js"

const getTag = (accounts: ReadonlyArray<string> = ["alice"]) =>
  Effect.flatMap(
    TimRest.TimRest,
    (rest) => rest.call("timpush/get_tag", { To_Account: accounts }, Envelope.getTagResponse)
  )

const emulator = Emulator.Emulator
const inject = (fault: Faults.Fault, times = 1) => Effect.flatMap(emulator, (emu) => emu.injectFault({ fault, times }))
const callCount = Effect.map(Effect.flatMap(emulator, (emu) => emu.calls), (c) => c.length)

const noRetries = RetryPolicy.layer({ maxAttempts: 1 })
const fastRetries = RetryPolicy.layer({ base: "1 millis", throttledBase: "5 millis" })
/**
 * The client with `policy`. `TimRest.call` reads the policy where it is called (these tests call it
 * directly), `PushTags` where its layer is built: it goes to both.
 */
const withClient = (options: Parameters<typeof Harness.client>[0] = {}, policy: Layer.Layer<never> = noRetries) =>
  Effect.provide(Layer.merge(Harness.client({ ...options, services: policy }), policy))

/**
 * The test clock, counting the sleeps pending on it: it stands in for Effect 3's
 * `TestClock.sleeps()`, to tell when a request is in flight without advancing time.
 */
const countingClock = Effect.map(TestClock.testClockWith(Effect.succeed), (testClock) => {
  let pending = 0
  const clock: Clock.Clock = {
    currentTimeMillisUnsafe: () => testClock.currentTimeMillisUnsafe(),
    currentTimeMillis: testClock.currentTimeMillis,
    currentTimeNanosUnsafe: () => testClock.currentTimeNanosUnsafe(),
    currentTimeNanos: testClock.currentTimeNanos,
    monotonicTimeNanosUnsafe: () => testClock.monotonicTimeNanosUnsafe(),
    monotonicTimeNanos: testClock.monotonicTimeNanos,
    sleep: (duration) =>
      Effect.suspend(() => {
        pending++
        return Effect.ensuring(testClock.sleep(duration), Effect.sync(() => pending--))
      })
  }
  return { clock, pending: () => pending, adjust: (duration: Duration.Input) => testClock.adjust(duration) }
})

describe("TimRest: each error code reaches its class through real HTTP", () => {
  const cases: ReadonlyArray<readonly [number, string, boolean]> = [
    [90001, "InvalidRequest", false],
    [90009, "Permission", false],
    [90018, "InvalidRequest", false],
    [91000, "ServerBusy", true],
    [60007, "RateLimited", true],
    [60011, "RateLimited", true],
    [60018, "RateLimited", true],
    [60019, "RateLimited", true],
    [60008, "ServerBusy", true],
    [70169, "ServerBusy", true],
    [70500, "ServerBusy", true],
    [70003, "Credentials", false],
    [70009, "Credentials", false],
    [70013, "Credentials", false],
    [70014, "Credentials", false],
    [70016, "Credentials", false],
    [70020, "Credentials", false],
    [60010, "Permission", false],
    [99999, "Unknown", false]
  ]
  for (const [code, reason, retryable] of cases) {
    it.live(`${code} → TimApiError ${reason}${retryable ? " (retryable)" : ""}`, () =>
      Effect.gen(function*() {
        yield* inject({ _tag: "ErrorCode", code, info: `injected ${code}` })
        const error = yield* Effect.flip(getTag())
        expect(error).toMatchObject({ _tag: "TimApiError", code, reason, info: `injected ${code}` })
        expect(error.retryable).toBe(retryable)
      }).pipe(withClient()))
  }

  it.live("HTTP 502 → TimTransportError HttpStatus, retryable", () =>
    Effect.gen(function*() {
      yield* inject({ _tag: "HttpStatus", status: 502 })
      const error = yield* Effect.flip(getTag())
      expect(error).toMatchObject({ _tag: "TimTransportError", kind: "HttpStatus", status: 502, reason: "ServerBusy" })
      expect(error.retryClass).toBe("backoff")
      expect(error.retryable).toBe(true)
    }).pipe(withClient()))

  it.live("a dropped connection → TimTransportError Network", () =>
    Effect.gen(function*() {
      yield* inject({ _tag: "Drop" })
      const error = yield* Effect.flip(getTag())
      expect(error).toMatchObject({
        _tag: "TimTransportError",
        kind: "Network",
        reason: "Unreachable",
        retryable: true
      })
    }).pipe(withClient()))

  it.live("nobody listening → TimTransportError Network", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(getTag())
      expect(error).toMatchObject({
        _tag: "TimTransportError",
        kind: "Network",
        reason: "Unreachable",
        retryable: true
      })
    }).pipe(withClient({ config: { baseUrl: "http://127.0.0.1:1" } })))

  it.live("a 200 answer that is not the envelope → TimDecodeError", () =>
    Effect.gen(function*() {
      yield* inject({ _tag: "HttpStatus", status: 200, body: "<html>proxy</html>" })
      const error = yield* Effect.flip(getTag())
      expect(error).toMatchObject({ _tag: "TimDecodeError", reason: "InvalidResponse", retryable: false })
    }).pipe(withClient()))

  it.effect("no answer within the request timeout → TimTransportError Timeout (TestClock)", () =>
    Effect.gen(function*() {
      // Client and emulator both run on the counting test clock.
      const counting = yield* countingClock
      yield* Effect.gen(function*() {
        yield* inject({ _tag: "Delay", millis: 60_000 })
        const fiber = yield* Effect.forkChild(getTag())
        // Wait (without advancing time) until both the client's timeout and the emulator's delay are
        // pending on the test clock, i.e. the request is in flight.
        while (counting.pending() < 2) yield* Effect.promise(() => new Promise((r) => setTimeout(r, 5)))
        yield* counting.adjust("4999 millis")
        expect(fiber.pollUnsafe()).toBeUndefined()
        yield* counting.adjust("1 millis")
        const error = yield* Effect.flip(Fiber.join(fiber))
        expect(error).toMatchObject({
          _tag: "TimTransportError",
          kind: "Timeout",
          reason: "Unreachable",
          retryable: true
        })
        yield* counting.adjust("60 seconds") // let the emulator finish its delayed answer
      }).pipe(withClient(), Effect.provideService(Clock.Clock, counting.clock))
    }))
})

describe("TimRest: errors the emulator produces itself", () => {
  it.live("a wrong SecretKey → 70009 with a hint about the key", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(getTag())
      expect(error).toMatchObject({ _tag: "TimApiError", code: 70009, reason: "Credentials" })
      expect(error._tag === "TimApiError" && error.hint).toContain("SecretKey")
    }).pipe(withClient({ config: { secretKey: "not-the-key" } })))

  it.live("a non-admin identifier → 90009 Permission", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(getTag())
      expect(error).toMatchObject({ _tag: "TimApiError", code: 90009, reason: "Permission" })
    }).pipe(withClient({ config: { admin: "mere_user" } })))

  it.live("an SDKAppID the server does not know at an explicit base URL → 70020, hinting at a mistyped SDKAppID first", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(getTag())
      expect(error).toMatchObject({ _tag: "TimApiError", code: 70020, addressedBy: "baseUrl" })
      const hint = error._tag === "TimApiError" ? error.hint ?? "" : ""
      expect(hint).toMatch(/^the SDKAppID is not served at this base URL: check the SDKAppID/)
      expect(hint).toContain("data centre")
      expect(error.message).toContain(hint)
    }).pipe(withClient({ config: { sdkAppId: 1400009999 } })))

  it.live("more than 100 accounts in one call → 90018", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(getTag(Array.from({ length: 101 }, (_, i) => `u${i}`)))
      expect(error).toMatchObject({ _tag: "TimApiError", code: 90018, reason: "InvalidRequest" })
    }).pipe(withClient()))
})

describe("TimRest retries (end to end, fast policy)", () => {
  it.live("91000 twice, then success: three calls, one result", () =>
    Effect.gen(function*() {
      yield* inject({ _tag: "ErrorCode", code: 91000 }, 2)
      const response = yield* getTag()
      expect(response.UserTags).toEqual([{ To_Account: "alice", Tags: ["gold", "beta"] }])
      expect(yield* callCount).toBe(3)
    }).pipe(withClient({}, fastRetries)))

  it.live("502 and frequency limits are retried", () =>
    Effect.gen(function*() {
      yield* inject({ _tag: "HttpStatus", status: 502 })
      yield* inject({ _tag: "ErrorCode", code: 60007 })
      yield* getTag()
      expect(yield* callCount).toBe(3)
    }).pipe(withClient({}, fastRetries)))

  it.live("attempts are bounded: a persistent 91000 fails after maxAttempts", () =>
    Effect.gen(function*() {
      yield* inject({ _tag: "ErrorCode", code: 91000 }, 100)
      const error = yield* Effect.flip(getTag())
      expect(error).toMatchObject({ code: 91000 })
      expect(yield* callCount).toBe(RetryPolicy.defaults.maxAttempts)
    }).pipe(withClient({}, fastRetries)))

  for (const code of [70009, 90009, 90001, 70013]) {
    it.live(`${code} is never retried`, () =>
      Effect.gen(function*() {
        yield* inject({ _tag: "ErrorCode", code }, 5)
        yield* Effect.flip(getTag())
        expect(yield* callCount).toBe(1)
      }).pipe(withClient({}, fastRetries)))
  }

  it.live("70001: a new UserSig is signed and the call retried once", () =>
    Effect.gen(function*() {
      yield* inject({ _tag: "ErrorCode", code: 70001 })
      yield* getTag()
      expect(yield* callCount).toBe(2)
    }).pipe(withClient({}, fastRetries)))

  it.live("70001 again after re-signing: fails as Credentials after exactly two calls", () =>
    Effect.gen(function*() {
      yield* inject({ _tag: "ErrorCode", code: 70001 }, 5)
      const error = yield* Effect.flip(getTag())
      expect(error).toMatchObject({ code: 70001, reason: "Credentials" })
      expect(yield* callCount).toBe(2)
    }).pipe(withClient({}, fastRetries)))
})

describe("TimRest fails over to the backup domain", () => {
  it.live("a primary that cannot be reached sends the retry, and the next calls, to the backup", () => {
    const tracing = recordingTracer()
    return Effect.gen(function*() {
      const emu = yield* emulator
      const first = yield* getTag()
      expect(first.UserTags).toEqual([{ To_Account: "alice", Tags: ["gold", "beta"] }])
      yield* getTag(["bob"])
      const attempts = tracing.spans.filter((s) => s.name === "timtags timpush/get_tag")
      expect(attempts.map((s) => s.attributes.get("url.full"))).toEqual([
        "http://127.0.0.1:1/v4/timpush/get_tag",
        `${emu.baseUrl}/v4/timpush/get_tag`,
        `${emu.baseUrl}/v4/timpush/get_tag`
      ])
      expect(attempts[0]!.attributes.get("tim.error_code")).toBe("Network")
      expect(yield* callCount).toBe(2)
    }).pipe(
      withClient({ config: { baseUrl: "http://127.0.0.1:1" }, backupFromEmulator: true }, fastRetries),
      Effect.withTracer(tracing.tracer)
    )
  })
})
