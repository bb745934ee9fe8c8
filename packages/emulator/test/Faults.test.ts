import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { call, codeOf, emulator } from "./helpers.js"

const getTag = { To_Account: ["alice"] }
const seed = { alice: ["a"] }

describe("faults", () => {
  it.effect("HttpStatus answers that status and body instead of an envelope, once by default", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      yield* emu.injectFault({ fault: { _tag: "HttpStatus", status: 502, body: "Bad Gateway" } })
      const faulted = yield* call(emu.baseUrl, "timpush/get_tag", getTag)
      assert.strictEqual(faulted.status, 502)
      assert.strictEqual(faulted.text, "Bad Gateway")
      assert.strictEqual((yield* call(emu.baseUrl, "timpush/get_tag", getTag)).status, 200)
      const [first] = yield* emu.calls
      assert.deepStrictEqual([first?.httpStatus, first?.errorCode], [502, -1])
    }))

  it.effect("ErrorCode answers FAIL with that code, before any request check", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      yield* emu.injectFault({ times: 2, fault: { _tag: "ErrorCode", code: 91000, info: "Internal Server Error" } })
      const faulted = yield* call(emu.baseUrl, "timpush/get_tag", getTag, { query: { usersig: "garbage" } })
      assert.deepStrictEqual(faulted.json, {
        ActionStatus: "FAIL",
        ErrorCode: 91000,
        ErrorInfo: "Internal Server Error"
      })
      assert.strictEqual(codeOf(yield* call(emu.baseUrl, "timpush/get_tag", getTag)), 91000)
      assert.strictEqual(codeOf(yield* call(emu.baseUrl, "timpush/get_tag", getTag)), 0)
    }))

  it.effect("a fault for one command leaves other commands alone; Infinity repeats until cleared", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      yield* emu.injectFault({ command: "add_tag", times: Infinity, fault: { _tag: "ErrorCode", code: 70169 } })
      const addTag = call(emu.baseUrl, "timpush/add_tag", { UserTags: [{ To_Account: "alice", Tags: ["b"] }] })
      assert.strictEqual(codeOf(yield* call(emu.baseUrl, "timpush/get_tag", getTag)), 0)
      for (let i = 0; i < 5; i++) assert.strictEqual(codeOf(yield* addTag), 70169)
      yield* emu.clearFaults
      assert.strictEqual(codeOf(yield* addTag), 0)
    }))

  it.effect("faults are taken in queue order", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      yield* emu.injectFault({ fault: { _tag: "ErrorCode", code: 1 } })
      yield* emu.injectFault({ command: "get_tag", fault: { _tag: "ErrorCode", code: 2 } })
      const getTagCode = Effect.map(call(emu.baseUrl, "timpush/get_tag", getTag), codeOf)
      const codes = yield* Effect.all([getTagCode, getTagCode, getTagCode])
      assert.deepStrictEqual(codes, [1, 2, 0])
    }))

  it.live("Delay waits, then answers normally", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      yield* emu.injectFault({ fault: { _tag: "Delay", millis: 300 } })
      const started = Date.now()
      const answer = yield* call(emu.baseUrl, "timpush/get_tag", getTag)
      assert.isAtLeast(Date.now() - started, 290)
      assert.deepStrictEqual(answer.json.UserTags, [{ To_Account: "alice", Tags: ["a"] }])
      const quick = Date.now()
      yield* call(emu.baseUrl, "timpush/get_tag", getTag)
      assert.isBelow(Date.now() - quick, 250)
    }))

  it.live("Drop closes the connection without an answer; the server keeps serving", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      yield* emu.injectFault({ fault: { _tag: "Drop" } })
      const dropped = yield* Effect.exit(Effect.tryPromise(() =>
        fetch(`${emu.baseUrl}/v4/timpush/get_tag`, { method: "POST", body: JSON.stringify(getTag) })
      ))
      assert.isTrue(Exit.isFailure(dropped))
      assert.strictEqual(codeOf(yield* call(emu.baseUrl, "timpush/get_tag", getTag)), 0)
      const [first] = yield* emu.calls
      assert.deepStrictEqual([first?.httpStatus, first?.errorCode], [0, -1])
    }))
})
