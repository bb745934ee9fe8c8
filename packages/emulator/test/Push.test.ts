import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type { Service } from "../src/Emulator.js"
import { accounts, call, codeOf, emulator, offline } from "./helpers.js"

const stocks = {
  a: ["Stock A"],
  b: ["stock B", "Stock C"],
  c: ["Stock A", "Stock C", "Stock D"],
  d: ["Stock C", "Stock D"],
  e: []
}

const attrs = {
  names: { "0": "city", "1": "tier" },
  values: {
    alice: { city: "Shenzhen", tier: "gold" },
    bob: { city: "Beijing", tier: "gold" },
    carol: { city: "Shenzhen" }
  }
}

/** Pushes with a fresh MsgRandom (pushes may follow each other at once: the interval is off). */
const pusher = (emu: Service) => {
  let msgRandom = 1000
  return (fields: Record<string, unknown>) =>
    call(emu.baseUrl, "timpush/push", {
      From_Account: "admin",
      MsgRandom: msgRandom++,
      OfflinePushInfo: offline,
      ...fields
    })
}

/** The recipients of the push a condition makes. */
const recipientsOf = (emu: Service) => {
  const push = pusher(emu)
  return (Condition?: unknown) =>
    Effect.gen(function*() {
      const answer = yield* push(Condition === undefined ? {} : { Condition })
      assert.strictEqual(codeOf(answer), 0, JSON.stringify(answer.json))
      const record = (yield* emu.pushes).find((p) => p.taskId === answer.json.TaskId)
      return record?.recipients
    })
}

describe("push: recipients", () => {
  it.effect("no Condition reaches every account (kind all), recorded as sent", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: stocks, devices: ["reg-1"], push: { minIntervalMillis: 0 } })
      const answer = yield* pusher(emu)({})
      assert.deepStrictEqual(Object.keys(answer.json), ["ActionStatus", "ErrorCode", "ErrorInfo", "TaskId"])
      const [record] = yield* emu.pushes
      assert.deepStrictEqual(record, {
        taskId: answer.json.TaskId,
        kind: "all",
        msgRandom: 1000,
        at: 0,
        fromAccount: "admin",
        condition: undefined,
        recipients: ["reg-1", "a", "b", "c", "d", "e"], // creation order: devices before seed
        offlinePushInfo: offline,
        revoked: false
      })
    }))

  it.effect("TaskIds look like Tencent's: hex time, hex SDKAppID, …, hex MsgRandom; each push its own", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ push: { minIntervalMillis: 0 } })
      const push = pusher(emu)
      const first = (yield* push({})).json.TaskId as string
      const second = (yield* push({})).json.TaskId as string
      assert.match(first, /^00000000_53724e00_2[0-9a-f]{14}_[0-9a-f]{8}_3e8$/) // 1400000000, MsgRandom 1000
      assert.notStrictEqual(first, second)
    }))

  it.effect("tags: TagsAnd every tag, TagsOr any tag, both together, and TagsNot read literally", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: stocks, push: { minIntervalMillis: 0 } })
      const recipients = recipientsOf(emu)
      assert.deepStrictEqual(yield* recipients({ TagsAnd: ["Stock C", "Stock D"] }), ["c", "d"])
      assert.deepStrictEqual(yield* recipients({ TagsOr: ["Stock A", "stock B"] }), ["a", "b", "c"])
      assert.deepStrictEqual(yield* recipients({ TagsAnd: ["Stock C"], TagsOr: ["Stock A", "stock B"] }), ["b", "c"])
      // Tencent's sample: ("Stock A" or "stock B") and not ("Stock C" and "Stock D"): b holds C but not D, so stays
      const sample = { TagsOr: ["Stock A", "stock B"], TagsNot: ["Stock C", "Stock D"] }
      assert.deepStrictEqual(yield* recipients(sample), ["a", "b"])
      // alone, TagsNot narrows all users
      assert.deepStrictEqual(yield* recipients({ TagsNot: ["Stock C", "Stock D"] }), ["a", "b", "e"])
      assert.deepStrictEqual(yield* recipients({ TagsAnd: ["nobody has it"] }), [])
      const kinds = (yield* emu.pushes).map((p) => p.kind)
      assert.deepStrictEqual(kinds, ["tag", "tag", "tag", "tag", "tag", "tag"])
      assert.deepStrictEqual((yield* emu.pushes)[3]!.condition, sample)
    }))

  it.effect("attributes: AttrsAnd every value, AttrsOr any value, both together", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { dave: [] }, attrs, push: { minIntervalMillis: 0 } })
      const recipients = recipientsOf(emu)
      assert.deepStrictEqual(yield* recipients({ AttrsAnd: { city: "Shenzhen", tier: "gold" } }), ["alice"])
      assert.deepStrictEqual(yield* recipients({ AttrsOr: { city: "Beijing", tier: "gold" } }), ["alice", "bob"])
      assert.deepStrictEqual(
        yield* recipients({ AttrsAnd: { city: "Shenzhen" }, AttrsOr: { tier: "gold", city: "Beijing" } }),
        ["alice"]
      )
      assert.deepStrictEqual((yield* emu.pushes).map((p) => p.kind), ["attr", "attr", "attr"])
    }))

  it.effect("a Condition naming nothing ({} or empty lists) is an all-user push, as Tencent could take it", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: stocks, push: { minIntervalMillis: 0 } })
      const recipients = recipientsOf(emu)
      assert.deepStrictEqual(yield* recipients({}), ["a", "b", "c", "d", "e"])
      assert.deepStrictEqual(yield* recipients({ TagsAnd: [], AttrsOr: {} }), ["a", "b", "c", "d", "e"])
      assert.deepStrictEqual((yield* emu.pushes).map((p) => p.kind), ["all", "all"])
    }))
})

describe("push: refusals", () => {
  it.effect("every documented rule of a condition and body; a refused push is not recorded", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: stocks, attrs, push: { minIntervalMillis: 0 } })
      const push = pusher(emu)
      const codeOfPush = (fields: Record<string, unknown>) => Effect.map(push(fields), codeOf)
      const condition = (Condition: unknown) => codeOfPush({ Condition })
      assert.strictEqual(yield* condition({ TagsAnd: accounts(11, "t") }), 90032)
      assert.strictEqual(yield* condition({ TagsOr: accounts(11, "t") }), 90032)
      assert.strictEqual(yield* condition({ TagsNot: accounts(11, "t") }), 90032)
      assert.strictEqual(yield* condition({ TagsAnd: ["a", ""] }), 90040)
      assert.strictEqual(yield* condition({ TagsOr: ["x".repeat(51)] }), 90020)
      assert.strictEqual(yield* condition({ TagsNot: ["标".repeat(17)] }), 90020)
      assert.strictEqual(yield* condition({ TagsAnd: ["a", "b"], TagsOr: ["c", "b"] }), 90022)
      assert.strictEqual(yield* condition({ TagsAnd: ["a"], AttrsAnd: { city: "x" } }), 90039)
      assert.strictEqual(yield* condition({ TagsNot: ["a"], AttrsOr: { city: "x" } }), 90039)
      assert.strictEqual(yield* condition({ AttrsAnd: { nope: "x" } }), 90033)
      assert.strictEqual(yield* condition({ AttrsOr: { city: "" } }), 90030)
      assert.strictEqual(yield* condition({ TagsAnd: "a" }), 90001)
      assert.strictEqual(yield* condition({ AttrsAnd: { city: 1 } }), 90001)
      assert.strictEqual(yield* condition([]), 90001)
      for (const MsgRandom of [undefined, "1", -1, 1.5, 4294967296]) {
        assert.strictEqual(yield* codeOfPush({ MsgRandom }), 90005, String(MsgRandom))
      }
      assert.strictEqual(yield* codeOfPush({ OfflinePushInfo: undefined }), 90001)
      assert.strictEqual(yield* codeOfPush({ From_Account: 7 }), 90001)
      const failed = yield* push({ Condition: { TagsAnd: [""] } })
      assert.deepStrictEqual(failed.json, {
        ActionStatus: "FAIL",
        ErrorCode: 90040,
        ErrorInfo: "empty tag",
        TaskId: ""
      })
      assert.deepStrictEqual(yield* emu.pushes, [])
      // the limits themselves are fine: 10 tags of 50 bytes; 4294967295
      assert.strictEqual(yield* condition({ TagsAnd: accounts(10, "x".repeat(49)) }), 0)
      assert.strictEqual(yield* codeOfPush({ MsgRandom: 4294967295 }), 0)
    }))

  it.effect("a body over 10 KB (10240 bytes as sent) gets 90056", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ push: { minIntervalMillis: 0 } })
      const push = pusher(emu)
      const size = (desc: string) =>
        Buffer.byteLength(JSON.stringify({ From_Account: "admin", MsgRandom: 1000, OfflinePushInfo: { Desc: desc } }))
      const fits = "x".repeat(10240 - size(""))
      assert.strictEqual(codeOf(yield* push({ OfflinePushInfo: { Desc: fits } })), 0)
      assert.strictEqual(codeOf(yield* push({ OfflinePushInfo: { Desc: `${fits}x` } })), 90056)
      assert.strictEqual((yield* emu.pushes).length, 1)
    }))
})
