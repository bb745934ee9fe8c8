import { assert, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"
import * as CallLog from "../src/CallLog.js"
import { call, codeOf, emulator } from "./helpers.js"

const getTag = { To_Account: ["alice"] }

describe("rate limit", () => {
  it.effect("accepts at most `rateLimit` calls per command in any sliding second (TestClock)", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator({ rateLimit: 3, seed: { alice: [] } })
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

  it("maxInWindow uses half-open windows and does not need sorted input", () => {
    expect(CallLog.maxInWindow([], 1000)).toBe(0)
    expect(CallLog.maxInWindow([0, 999, 1000, 1001], 1000)).toBe(3)
    expect(CallLog.maxInWindow([1000, 0, 500], 1000)).toBe(2)
    expect(CallLog.maxInWindow([5, 5, 5, 2000], 1)).toBe(3)
  })
})
