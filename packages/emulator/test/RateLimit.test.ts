import { assert, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"
import * as CallLog from "../src/CallLog.js"
import * as RateLimiter from "../src/internal/RateLimiter.js"
import { call, codeOf, emulator } from "./helpers.js"

const getTag = { To_Account: ["alice"] }

describe("rate limit", () => {
  // Refused calls are not counted here, so the window holds accepted calls only (RateLimitModes.test.ts has the
  // default, countRefused, in which the refused calls at t=500 and t=999 would still fill the window at t=1000).
  it.effect("accepts at most `rateLimit` calls per command in any sliding second (TestClock)", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator({ rateLimit: 3, countRefused: false, seed: { alice: [] } })
      const getTagCode = Effect.map(call(baseUrl, "timpush/get_tag", getTag), codeOf)
      const codes = (n: number) => Effect.all(Array.from({ length: n }, () => getTagCode))
      assert.deepStrictEqual(yield* codes(2), [0, 0]) // t=0
      yield* TestClock.adjust("500 millis")
      assert.deepStrictEqual(yield* codes(2), [0, 60007]) // t=500: third accepted, fourth refused
      yield* TestClock.adjust("499 millis")
      assert.deepStrictEqual(yield* codes(1), [60007]) // t=999: still three in the last second
      yield* TestClock.adjust("1 millis")
      // t=1000: the two calls at t=0 left the window, the one at t=500 did not (a fixed window would allow 3)
      assert.deepStrictEqual(yield* codes(3), [0, 0, 60007])
      // the limit is per command
      assert.strictEqual(codeOf(yield* call(baseUrl, "timpush/clear_all_tags", getTag)), 0)
      const refused = yield* call(baseUrl, "timpush/get_tag", getTag)
      assert.deepStrictEqual(refused.json, {
        ActionStatus: "FAIL",
        ErrorCode: 60007,
        ErrorInfo: "REST API call frequency exceeds the limit"
      })
    }))

  it.effect("a refused call does no work", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ rateLimit: 1, seed: { alice: [] } })
      const add = (tag: string) =>
        call(emu.baseUrl, "timpush/add_tag", { UserTags: [{ To_Account: "alice", Tags: [tag] }] })
      assert.strictEqual(codeOf(yield* add("first")), 0)
      assert.strictEqual(codeOf(yield* add("second")), 60007)
      assert.deepStrictEqual(yield* emu.tagsOf("alice"), ["first"])
    }))

  it.effect("setRateLimit changes the limit; 0 and Infinity mean unlimited", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ rateLimit: 1, seed: { alice: [] } })
      const codes = (n: number) =>
        Effect.all(Array.from({ length: n }, () => Effect.map(call(emu.baseUrl, "timpush/get_tag", getTag), codeOf)))
      assert.deepStrictEqual(yield* codes(2), [0, 60007])
      yield* emu.setRateLimit(Infinity)
      assert.deepStrictEqual(yield* codes(3), [0, 0, 0])
      yield* emu.setRateLimit(0)
      assert.deepStrictEqual(yield* codes(3), [0, 0, 0])
      yield* emu.setRateLimit(2)
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(yield* codes(3), [0, 0, 60007])
    }))

  it.effect("the call log records every call; stats and maxInSlidingWindow count received and accepted calls", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ rateLimit: 2, seed: { alice: [] } })
      yield* TestClock.setTime(10_000)
      for (let i = 0; i < 3; i++) yield* call(emu.baseUrl, "timpush/get_tag", getTag, { query: { random: String(i) } })
      yield* TestClock.adjust("400 millis")
      yield* call(emu.baseUrl, "timpush/get_tag", getTag, { query: { random: "bad" } })
      yield* call(emu.baseUrl, "timpush/add_tag", {
        UserTags: [{ To_Account: "alice", Tags: ["t"] }, { To_Account: "b", Tags: [] }]
      })
      const calls = yield* emu.calls
      assert.deepStrictEqual(calls[0], {
        command: "get_tag",
        at: 10_000,
        random: 0,
        accounts: 1,
        errorCode: 0,
        httpStatus: 200,
        rateLimited: false
      })
      assert.deepStrictEqual(calls.map((c) => [c.command, c.at, c.random, c.accounts, c.errorCode, c.rateLimited]), [
        ["get_tag", 10_000, 0, 1, 0, false],
        ["get_tag", 10_000, 1, 1, 0, false],
        ["get_tag", 10_000, 2, 1, 60007, true],
        ["get_tag", 10_400, null, 1, 60007, true],
        ["add_tag", 10_400, 12345, 2, 0, false]
      ])
      assert.deepStrictEqual(yield* emu.stats, {
        calls: 5,
        byCommand: { get_tag: 4, add_tag: 1 },
        byErrorCode: { "0": 3, "60007": 2 },
        maxInAnySecond: { get_tag: { received: 4, accepted: 2 }, add_tag: { received: 1, accepted: 1 } }
      })
      assert.deepStrictEqual(yield* emu.maxInSlidingWindow(1000), { received: 5, accepted: 3 })
      assert.deepStrictEqual(yield* emu.maxInSlidingWindow(400), { received: 3, accepted: 2 })
      assert.deepStrictEqual(yield* emu.maxInSlidingWindow(1000, "add_tag"), { received: 1, accepted: 1 })
      yield* emu.resetCalls
      assert.deepStrictEqual(yield* emu.calls, [])
      assert.strictEqual((yield* emu.stats).calls, 0)
    }))

  it("the limiter's log takes stamps out of order, and counts refused calls only when the rule says so", () => {
    const limiter = RateLimiter.make(1000)
    const lenient = { limit: 2, countRefused: false }
    // counted out of order (a later stamp first): the call at 100 still leaves the window before the one at 900
    expect([900, 100, 950].map((at) => limiter.tryAcquire("a", at, lenient))).toEqual([true, true, false])
    expect(limiter.tryAcquire("a", 1100, lenient)).toBe(true) // 100 left; 900 and 1100 are in
    expect(limiter.tryAcquire("a", 1899, lenient)).toBe(false)
    const strict = { limit: 2, countRefused: true }
    expect(limiter.tryAcquire("a", 1950, strict)).toBe(true)
    expect(limiter.tryAcquire("a", 2000, strict)).toBe(false) // refused, and counted
    expect(limiter.tryAcquire("a", 2101, strict)).toBe(false) // 1100 left; 1950 and the refused 2000 are in
    expect(limiter.tryAcquire("b", 2101, strict)).toBe(true) // per key
    const unlimited = { limit: Infinity, countRefused: true }
    expect(Array.from({ length: 5 }, () => limiter.tryAcquire("c", 0, unlimited))).toEqual(Array(5).fill(true))
    expect(limiter.tryAcquire("c", 0, strict)).toBe(true) // an unlimited call is not counted
  })

  it("maxInWindow uses half-open windows and does not need sorted input", () => {
    expect(CallLog.maxInWindow([], 1000)).toBe(0)
    expect(CallLog.maxInWindow([0, 999, 1000, 1001], 1000)).toBe(3)
    expect(CallLog.maxInWindow([1000, 0, 500], 1000)).toBe(2)
    expect(CallLog.maxInWindow([5, 5, 5, 2000], 1)).toBe(3)
  })
})
