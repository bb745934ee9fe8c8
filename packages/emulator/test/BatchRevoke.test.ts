import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"
import type { Service } from "../src/Emulator.js"
import { accounts, call, codeOf, emulator, listed, offline } from "./helpers.js"

const batchBody = (To_Account: ReadonlyArray<string>, fields?: Record<string, unknown>) => ({
  From_Account: "admin",
  To_Account,
  MsgRandom: 9,
  OfflinePushInfo: offline,
  ...fields
})

describe("batch", () => {
  it.effect("a mixed batch: existing accounts (each once) receive, unknown ones come back in ErrorList (70107)", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [], bob: [] }, devices: ["reg-1"] })
      const answer = yield* call(emu.baseUrl, "timpush/batch", batchBody(["alice", "mary", "reg-1", "alice", "bob"]))
      assert.strictEqual(codeOf(answer), 0)
      assert.match(answer.json.TaskId, /^batch_[0-9a-f]{8}_53724e00_/)
      assert.deepStrictEqual(answer.json.ErrorList, [listed("mary", 70107, "account does not exist")])
      const [record] = yield* emu.pushes
      assert.deepStrictEqual(
        [record?.kind, record?.taskId, record?.recipients, record?.condition, record?.fromAccount],
        ["batch", answer.json.TaskId, ["alice", "reg-1", "bob"], undefined, "admin"]
      )
    }))

  it.effect("1 to 500 accounts (501: 90018; none: 90001); DataId over 64 bytes 90057; bad MsgRandom 90001", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const batch = (body: unknown) => call(emu.baseUrl, "timpush/batch", body)
      assert.strictEqual(codeOf(yield* batch(batchBody(accounts(501)))), 90018)
      const full = yield* batch(batchBody(accounts(500), { MsgRandom: 1 }))
      assert.deepStrictEqual([codeOf(full), full.json.ErrorList.length], [0, 500])
      assert.strictEqual(codeOf(yield* batch(batchBody([]))), 90001)
      const longId = yield* batch(batchBody(["alice"], { DataId: "x".repeat(65) }))
      assert.deepStrictEqual(longId.json, {
        ActionStatus: "FAIL",
        ErrorCode: 90057,
        ErrorInfo: "DataId exceeds 64 bytes",
        TaskId: ""
      })
      assert.strictEqual(codeOf(yield* batch(batchBody(["alice"], { DataId: "x".repeat(64), MsgRandom: 2 }))), 0)
      const badRandom = yield* batch(batchBody(["alice"], { MsgRandom: "9" }))
      assert.deepStrictEqual(badRandom.json, {
        ActionStatus: "FAIL",
        ErrorCode: 90001,
        ErrorInfo: "Invalid format of MsgRandom",
        TaskId: ""
      })
      for (const missing of ["From_Account", "OfflinePushInfo", "To_Account"]) {
        const body: Record<string, unknown> = batchBody(["alice"])
        delete body[missing]
        assert.strictEqual(codeOf(yield* batch(body)), 90001, missing)
      }
      assert.strictEqual((yield* emu.pushes).length, 2)
    }))

  it.effect("10 calls per second (the free edition's limit), 60007 beyond; setCommandRateLimits changes it", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const batch = (i: number) =>
        Effect.map(call(emu.baseUrl, "timpush/batch", batchBody(["alice"], { MsgRandom: i })), codeOf)
      const codes = yield* Effect.forEach(accounts(11, ""), (_, i) => batch(i))
      assert.deepStrictEqual(codes, [...Array(10).fill(0), 60007])
      assert.strictEqual((yield* emu.pushes).length, 10)
      yield* emu.setCommandRateLimits({ batch: 30 }) // the Standard edition
      yield* TestClock.adjust("1 second")
      const more = yield* Effect.forEach(accounts(30, ""), (_, i) => batch(100 + i))
      assert.deepStrictEqual(more, Array(30).fill(0))
      assert.strictEqual(yield* batch(200), 60007)
    }))
})

const revokeWith = (emu: Service) => (TaskId: unknown, fields?: Record<string, unknown>) =>
  Effect.map(call(emu.baseUrl, "timpush/revoke", { TaskId, OfflinePushInfo: offline, ...fields }), codeOf)

const pushed = (emu: Service, MsgRandom = 1) =>
  Effect.map(
    call(emu.baseUrl, "timpush/push", { MsgRandom, OfflinePushInfo: offline }),
    (answer) => answer.json.TaskId as string
  )

describe("revoke (TestClock)", () => {
  it.effect("takes back a push of the last 24 hours, once; the record says so", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const revoke = revokeWith(emu)
      const taskId = yield* pushed(emu)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* revoke(taskId), 0)
      assert.deepStrictEqual((yield* emu.pushes).map((p) => p.revoked), [true])
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* revoke(taskId), 90050)
    }))

  it.effect("codes: unknown or batch TaskId 90049, no OfflinePushInfo 90053, 24 hours after the start 90052", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const revoke = revokeWith(emu)
      const first = yield* pushed(emu, 1)
      const batched = yield* call(emu.baseUrl, "timpush/batch", batchBody(["alice"]))
      const second = yield* Effect.andThen(TestClock.adjust("1 second"), pushed(emu, 2))
      const step = (code: number, effect: Effect.Effect<number>) =>
        Effect.andThen(TestClock.adjust("1 second"), Effect.map(effect, (got) => assert.strictEqual(got, code)))
      yield* step(90049, revoke("00000000_53724e00_nope"))
      yield* step(90049, revoke(batched.json.TaskId)) // batch tasks: refused (the sources disagree)
      yield* step(90053, revoke(first, { OfflinePushInfo: undefined }))
      yield* step(90001, revoke(42))
      // first was pushed at t=0, second at t=1000; now is t=5000
      yield* TestClock.setTime(24 * 3_600_000 - 1)
      assert.strictEqual(yield* revoke(first), 0) // 1 ms left
      yield* TestClock.setTime(24 * 3_600_000 + 1000)
      assert.strictEqual(yield* revoke(second), 90052) // exactly 24 hours: too late
      assert.deepStrictEqual((yield* emu.pushes).map((p) => p.revoked), [true, false, false])
    }))

  it.effect("one call per second: the next within the second gets 90051", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const revoke = revokeWith(emu)
      const first = yield* pushed(emu, 1)
      yield* TestClock.adjust("1 second")
      const second = yield* pushed(emu, 2)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* revoke(first), 0)
      const refused = yield* call(emu.baseUrl, "timpush/revoke", { TaskId: second, OfflinePushInfo: offline })
      assert.deepStrictEqual(refused.json, {
        ActionStatus: "FAIL",
        ErrorCode: 90051,
        ErrorInfo: "revoke too frequent, at most 1 call per second"
      })
      yield* TestClock.adjust(999)
      assert.strictEqual(yield* revoke(second), 90051) // the refused call counts too (strict limiter)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* revoke(second), 0)
    }))
})
