import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"
import type { Service } from "../src/Emulator.js"
import { quotaDay } from "../src/internal/PushPacing.js"
import { call, codeOf, emulator, offline } from "./helpers.js"

const pushWith = (emu: Service) => (MsgRandom: number, fields?: Record<string, unknown>) =>
  call(emu.baseUrl, "timpush/push", { MsgRandom, OfflinePushInfo: offline, ...fields })

const batchWith = (emu: Service) => (MsgRandom: number) =>
  call(emu.baseUrl, "timpush/batch", {
    From_Account: "admin",
    To_Account: ["alice", "ghost"],
    MsgRandom,
    OfflinePushInfo: offline
  })

describe("push spacing (TestClock)", () => {
  it.effect("two accepted pushes less than minIntervalMillis apart: the second gets 90024 and is not delivered", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const push = pushWith(emu)
      assert.strictEqual(codeOf(yield* push(1)), 0) // t=0
      yield* TestClock.adjust(999)
      const refused = yield* push(2)
      assert.deepStrictEqual(refused.json, {
        ActionStatus: "FAIL",
        ErrorCode: 90024,
        ErrorInfo: "push too frequent, the interval between pushes must be more than 1 second",
        TaskId: ""
      })
      yield* TestClock.adjust(1) // t=1000: measured from the last accepted push (t=0), not from the refused one
      assert.strictEqual(codeOf(yield* push(3)), 0)
      assert.deepStrictEqual((yield* emu.pushes).map((p) => [p.msgRandom, p.at]), [[1, 0], [3, 1000]])
      yield* emu.setPushSettings({ minIntervalMillis: 5000 })
      yield* TestClock.adjust(4999)
      assert.strictEqual(codeOf(yield* push(4)), 90024)
      yield* TestClock.adjust(1)
      assert.strictEqual(codeOf(yield* push(5)), 0)
    }))

  it.effect("batch is not spaced: it may follow a push at once", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      assert.strictEqual(codeOf(yield* pushWith(emu)(1)), 0)
      assert.strictEqual(codeOf(yield* batchWith(emu)(2)), 0)
      assert.strictEqual(codeOf(yield* batchWith(emu)(3)), 0)
    }))
})

describe("daily quota (TestClock)", () => {
  it.effect("once dailyQuota pushes were accepted, 90047 until midnight UTC+8", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ push: { dailyQuota: 2 } })
      const push = pushWith(emu)
      // TestClock starts at 1970-01-01T00:00Z, 08:00 in UTC+8; the quota day ends at 16:00Z
      assert.strictEqual(codeOf(yield* push(1)), 0)
      yield* TestClock.adjust("2 seconds")
      assert.strictEqual(codeOf(yield* push(2)), 0)
      yield* TestClock.adjust("2 seconds")
      const refused = yield* push(3)
      assert.deepStrictEqual([codeOf(refused), refused.json.ErrorInfo], [
        90047,
        "the daily push count exceeds the limit"
      ])
      yield* TestClock.setTime(16 * 3_600_000 - 1) // 23:59:59.999 in UTC+8
      assert.strictEqual(codeOf(yield* push(4)), 90047)
      yield* TestClock.adjust(1) // midnight in UTC+8
      assert.strictEqual(codeOf(yield* push(5)), 0)
      assert.deepStrictEqual((yield* emu.pushes).map((p) => p.msgRandom), [1, 2, 5])
      yield* emu.setPushSettings({ dailyQuota: Infinity })
      yield* TestClock.adjust("2 seconds")
      assert.strictEqual(codeOf(yield* push(6)), 0)
      yield* TestClock.adjust("2 seconds")
      assert.strictEqual(codeOf(yield* push(7)), 0)
      assert.deepStrictEqual(yield* emu.pushSettings, { minIntervalMillis: 1000, dailyQuota: Infinity })
    }))

  it("the quota day turns at 16:00 UTC, midnight in UTC+8", () => {
    const utc = (iso: string) => Date.parse(iso)
    assert.strictEqual(quotaDay(utc("2026-03-01T15:59:59.999Z")), quotaDay(utc("2026-02-28T16:00:00.000Z")))
    assert.strictEqual(quotaDay(utc("2026-03-01T16:00:00.000Z")), quotaDay(utc("2026-03-01T15:59:59.999Z")) + 1)
  })
})

describe("MsgRandom de-duplication: within one second only (TestClock)", () => {
  it.effect("a resend within 1 s gets the first TaskId and delivers nothing; after 1 s it is a new push", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const push = pushWith(emu)
      const first = yield* push(42)
      yield* TestClock.adjust(999)
      const resent = yield* push(42, { OfflinePushInfo: { Title: "changed" } })
      assert.deepStrictEqual(resent.json, first.json)
      assert.strictEqual((yield* emu.pushes).length, 1)
      // a resend after a client timeout (more than the 3 s the server may take) is a second notification
      yield* TestClock.adjust(3001)
      const again = yield* push(42)
      assert.strictEqual(codeOf(again), 0)
      assert.notStrictEqual(again.json.TaskId, first.json.TaskId)
      assert.deepStrictEqual((yield* emu.pushes).map((p) => [p.msgRandom, p.at]), [[42, 0], [42, 4000]])
    }))

  it.effect("exactly 1 s later it is a new push too; a refused push is not remembered; channels are apart", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const push = pushWith(emu)
      assert.strictEqual(codeOf(yield* push(7)), 0)
      yield* TestClock.adjust(500)
      assert.strictEqual(codeOf(yield* push(8)), 90024) // refused: not remembered
      yield* TestClock.adjust(500)
      const later = yield* push(7) // t=1000: not a resend any more, and spaced enough
      assert.strictEqual(codeOf(later), 0)
      assert.strictEqual(codeOf(yield* push(8)), 90024) // still spaced, not answered as a duplicate
      const batch = batchWith(emu)
      const batched = yield* batch(7) // the same MsgRandom on batch is its own call
      assert.match(batched.json.TaskId, /^batch_/)
      yield* TestClock.adjust(999)
      assert.deepStrictEqual((yield* batch(7)).json, batched.json) // ErrorList and all
      assert.deepStrictEqual((yield* emu.pushes).map((p) => p.kind), ["all", "all", "batch"])
    }))
})
