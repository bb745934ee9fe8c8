import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"
import type { Service } from "../src/Emulator.js"
import { accounts, call, codeOf, emulator, offline } from "./helpers.js"

/** An emulator with two pushes: one to all users (alice, bob) at t=0, a batch to alice and a ghost at t=1 s. */
const withPushes = Effect.gen(function*() {
  const emu = yield* emulator({ seed: { alice: [], bob: [] }, rateLimit: Infinity })
  const pushed = yield* call(emu.baseUrl, "timpush/push", { MsgRandom: 1, OfflinePushInfo: offline })
  yield* TestClock.adjust("1 second")
  const batched = yield* call(emu.baseUrl, "timpush/batch", {
    From_Account: "admin",
    To_Account: ["alice", "ghost"],
    MsgRandom: 2,
    OfflinePushInfo: offline
  })
  return { emu, push: pushed.json.TaskId as string, batch: batched.json.TaskId as string }
})

const ask = (emu: Service, command: string, body: unknown) => call(emu.baseUrl, `timpush/${command}`, body)

const counts = (TotalCount: number, sent: number) => ({
  TotalCount,
  SentCount: sent,
  DeliveredCount: sent,
  ClickCount: 0,
  PlatformStatistics: [{
    EventType: 2,
    PushPlatform: 0,
    TotalCount,
    SentCount: sent,
    DeliveredCount: sent,
    ClickCount: 0
  }]
})

describe("all_member_push_statistics / _loss / _trace", () => {
  it.effect("statistics: overall, or per TaskID (0 for an unknown one); ErrorInfo \"sucess\" as Tencent spells it", () =>
    Effect.gen(function*() {
      const { batch, emu, push } = yield* withPushes
      const overall = yield* ask(emu, "all_member_push_statistics", { StartTime: 0, EndTime: 10 })
      assert.deepStrictEqual(overall.json, {
        ActionStatus: "OK",
        ErrorCode: 0,
        ErrorInfo: "sucess",
        Results: [counts(4, 3)]
      })
      const perTask = yield* ask(emu, "all_member_push_statistics", {
        StartTime: 0,
        EndTime: 10,
        TaskID: [push, batch, "unknown"]
      })
      assert.deepStrictEqual(perTask.json.Results, [
        { TaskID: push, ...counts(2, 2) },
        { TaskID: batch, ...counts(2, 1) },
        { TaskID: "unknown", ...counts(0, 0) }
      ])
      const before = yield* ask(emu, "all_member_push_statistics", { StartTime: 0, EndTime: 0, TaskID: [batch] })
      assert.deepStrictEqual(before.json.Results, [{ TaskID: batch, ...counts(0, 0) }]) // the batch came at t=1 s
    }))

  it.effect("loss: ErrCode is a String; trace: one instance with last_active_terminal, for recipients of the last 7 days", () =>
    Effect.gen(function*() {
      const { batch, emu, push } = yield* withPushes
      const loss = yield* ask(emu, "all_member_push_loss", { StartTime: 0, EndTime: 10 })
      assert.deepStrictEqual(loss.json, {
        ActionStatus: "OK",
        ErrorCode: 0,
        ErrorInfo: "sucess",
        ReadyToSendLoss: [{ ErrCode: "70107", ErrCount: 1, ErrInfo: "account does not exist" }],
        PostSendDeliveredLoss: [],
        PlatformLoss: []
      })
      const noLoss = yield* ask(emu, "all_member_push_loss", { StartTime: 0, EndTime: 10, TaskID: [push] })
      assert.deepStrictEqual(noLoss.json.ReadyToSendLoss, [])
      const trace = yield* ask(emu, "all_member_push_trace", { TaskID: push, UserID: "bob" })
      assert.strictEqual(trace.json.ErrorInfo, "sucess")
      const [instance] = trace.json.InstanceTrace
      assert.strictEqual(instance.last_active_terminal, "emulator")
      assert.strictEqual(instance.PushTime, 0)
      assert.deepStrictEqual(instance.OfflinePushStat.ClickStat, {
        PushStatus: 1,
        ErrorCode: 0,
        ErrorInfo: "",
        EventTime: 0
      })
      assert.deepStrictEqual(
        (yield* ask(emu, "all_member_push_trace", { TaskID: batch, UserID: "bob" })).json.InstanceTrace,
        []
      )
      yield* TestClock.adjust("7 days")
      assert.strictEqual(
        (yield* ask(emu, "all_member_push_trace", { TaskID: batch, UserID: "alice" })).json.InstanceTrace.length,
        1
      )
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(
        (yield* ask(emu, "all_member_push_trace", { TaskID: batch, UserID: "alice" })).json.InstanceTrace,
        []
      )
    }))

  it.effect("bad requests get 90001: > 5 TaskIDs, a window over 30 days (7 for loss), Start after End, not numbers", () =>
    Effect.gen(function*() {
      const { emu } = yield* withPushes
      const code = (command: string, body: unknown) => Effect.map(ask(emu, command, body), codeOf)
      const day = 86400
      assert.strictEqual(
        yield* code("all_member_push_statistics", { StartTime: 0, EndTime: 1, TaskID: accounts(6) }),
        90001
      )
      assert.strictEqual(
        yield* code("all_member_push_statistics", { StartTime: 0, EndTime: 1, TaskID: accounts(5) }),
        0
      )
      assert.strictEqual(yield* code("all_member_push_statistics", { StartTime: 0, EndTime: 30 * day }), 90001)
      assert.strictEqual(yield* code("all_member_push_statistics", { StartTime: 0, EndTime: 30 * day - 1 }), 0)
      assert.strictEqual(yield* code("all_member_push_loss", { StartTime: 0, EndTime: 7 * day }), 90001)
      assert.strictEqual(yield* code("all_member_push_loss", { StartTime: 0, EndTime: 7 * day - 1 }), 0)
      assert.strictEqual(yield* code("normal_push_statistics", { StartTime: 5, EndTime: 4 }), 90001)
      assert.strictEqual(yield* code("normal_push_loss", { StartTime: "0", EndTime: 4 }), 90001)
      assert.strictEqual(yield* code("all_member_push_trace", { TaskID: "x" }), 90001)
      assert.strictEqual(yield* code("normal_push_trace", { UserID: "x" }), 90001)
      const refused = yield* ask(emu, "all_member_push_statistics", { StartTime: 0, EndTime: 1, TaskID: "x" })
      assert.strictEqual(refused.json.ErrorInfo, "TaskID must be an Array of at most 5 Strings")
    }))
})

describe("normal_push_statistics / _loss / _trace", () => {
  it.effect("chat-message pushes, which the emulator never makes: zero counts, empty lists", () =>
    Effect.gen(function*() {
      const { emu } = yield* withPushes
      const statistics = yield* ask(emu, "normal_push_statistics", { StartTime: 0, EndTime: 10 })
      assert.deepStrictEqual(statistics.json, {
        ActionStatus: "OK",
        ErrorCode: 0,
        ErrorInfo: "sucess",
        ...counts(0, 0)
      })
      const loss = yield* ask(emu, "normal_push_loss", { StartTime: 0, EndTime: 10 })
      assert.deepStrictEqual(loss.json.ReadyToSendLoss, [])
      const trace = yield* ask(emu, "normal_push_trace", { PushID: "msg-1", UserID: "alice" })
      assert.deepStrictEqual(trace.json.InstanceTrace, [])
    }))

  it.effect("one call per second per statistics command, 60007 beyond", () =>
    Effect.gen(function*() {
      const emu = yield* emulator()
      const statistics = Effect.map(ask(emu, "normal_push_statistics", { StartTime: 0, EndTime: 1 }), codeOf)
      assert.deepStrictEqual([yield* statistics, yield* statistics], [0, 60007])
      assert.strictEqual(codeOf(yield* ask(emu, "normal_push_loss", { StartTime: 0, EndTime: 1 })), 0)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* statistics, 0)
    }))
})
