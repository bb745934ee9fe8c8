import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/testing/TestClock"
import type { Service } from "../src/Emulator.js"
import { call, codeOf, emulator, offline, realDelay, restUrl } from "./helpers.js"

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

  it.effect("a fault with a probability hits about that share of calls; the calls it spares reach the next fault", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed, rateLimit: 0 })
      yield* emu.injectFault({ probability: 0.25, times: Infinity, fault: { _tag: "ErrorCode", code: 91000 } })
      yield* emu.injectFault({ times: Infinity, fault: { _tag: "ErrorCode", code: 60008 } })
      const codes = yield* Effect.forEach(
        Array.from({ length: 400 }),
        () => Effect.map(call(emu.baseUrl, "timpush/get_tag", getTag), codeOf),
        { concurrency: 16 }
      )
      const busy = codes.filter((code) => code === 91000).length
      // 400 draws at 25 %: 100 expected; outside 55..145 has a chance far below one in a million.
      assert.isTrue(busy > 55 && busy < 145, `${busy} of 400`)
      assert.strictEqual(codes.filter((code) => code === 60008).length, 400 - busy)
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

  it.effect("Delay: a client that hangs up ends the call (logged unanswered); with runsAnyway the write lands when the delay ends (TestClock)", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      const url = yield* restUrl(emu.baseUrl, "timpush/add_tag")
      /** Sends add_tag of `tag`, hangs up once it waits in the delay (200 ms, real time), then lets 5 s pass. */
      const hangUp = (tag: string) =>
        Effect.gen(function*() {
          const controller = new AbortController()
          const body = JSON.stringify({ UserTags: [{ To_Account: "alice", Tags: [tag] }] })
          const sent = fetch(url, { method: "POST", body, signal: controller.signal }).then((r) => r.text())
          yield* realDelay(200)
          controller.abort()
          assert.isTrue(Exit.isFailure(yield* Effect.exit(Effect.tryPromise(() => sent))))
          yield* realDelay(50)
          yield* TestClock.adjust(5000)
          yield* realDelay(50)
        })
      yield* emu.injectFault({ fault: { _tag: "Delay", millis: 5000 } })
      yield* hangUp("b")
      assert.deepStrictEqual(yield* emu.tagsOf("alice"), ["a"])
      // Counted on arrival, so logged although it ended unanswered (as a dropped call is).
      const [abandoned] = yield* emu.calls
      assert.deepStrictEqual([abandoned?.command, abandoned?.httpStatus, abandoned?.errorCode], ["add_tag", 0, -1])
      yield* emu.injectFault({ fault: { _tag: "Delay", millis: 5000, runsAnyway: true } })
      yield* hangUp("c")
      assert.deepStrictEqual(yield* emu.tagsOf("alice"), ["a", "c"])
      assert.strictEqual((yield* emu.calls).length, 2)
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

const pushBody = { MsgRandom: 5, OfflinePushInfo: offline }

/** Waits (in real time) until the emulator has recorded `n` pushes. */
const untilPushes = (emu: Service, n: number) =>
  Effect.gen(function*() {
    for (let i = 0; i < 200 && (yield* emu.pushes).length < n; i++) yield* realDelay(5)
    assert.strictEqual((yield* emu.pushes).length, n)
  })

describe("faults after the call ran", () => {
  it.effect("AcceptThenDrop: the push is recorded and delivered once; the client gets no answer", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      yield* emu.injectFault({ command: "push", fault: { _tag: "AcceptThenDrop" } })
      const url = yield* restUrl(emu.baseUrl, "timpush/push")
      const dropped = yield* Effect.exit(
        Effect.tryPromise(() =>
          fetch(url, { method: "POST", body: JSON.stringify(pushBody) }).then((response) => response.text())
        )
      )
      assert.isTrue(Exit.isFailure(dropped))
      const pushes = yield* emu.pushes
      assert.deepStrictEqual(pushes.map((p) => [p.kind, p.recipients]), [["all", ["alice"]]])
      const [logged] = yield* emu.calls
      assert.deepStrictEqual([logged?.command, logged?.httpStatus, logged?.errorCode], ["push", 0, -1])
      // the fault is used up: a resend within the second is answered with the first TaskId, and delivers nothing
      const resent = yield* call(emu.baseUrl, "timpush/push", pushBody)
      assert.strictEqual(resent.json.TaskId, pushes[0]!.taskId)
      assert.strictEqual((yield* emu.pushes).length, 1)
    }))

  it.effect("AcceptThenDrop works for any command: the tag is added, the answer lost", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      yield* emu.injectFault({ fault: { _tag: "AcceptThenDrop" } })
      const url = yield* restUrl(emu.baseUrl, "timpush/add_tag")
      const body = JSON.stringify({ UserTags: [{ To_Account: "alice", Tags: ["b"] }] })
      const dropped = yield* Effect.exit(Effect.tryPromise(() => fetch(url, { method: "POST", body })))
      assert.isTrue(Exit.isFailure(dropped))
      assert.deepStrictEqual(yield* emu.tagsOf("alice"), ["a", "b"])
    }))

  it.effect("AcceptThenDelay: the push is recorded at once; the answer comes only after millis (TestClock)", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      yield* emu.injectFault({ command: "push", fault: { _tag: "AcceptThenDelay", millis: 5000 } })
      const answer = yield* Effect.forkChild(call(emu.baseUrl, "timpush/push", pushBody))
      yield* untilPushes(emu, 1)
      const [record] = yield* emu.pushes
      assert.strictEqual(record?.at, 0)
      yield* realDelay(50)
      assert.isUndefined(answer.pollUnsafe())
      yield* TestClock.adjust(4999)
      yield* realDelay(50)
      assert.isUndefined(answer.pollUnsafe())
      yield* TestClock.adjust(1)
      const late = yield* Fiber.join(answer)
      assert.deepStrictEqual([late.status, codeOf(late), late.json.TaskId], [200, 0, record?.taskId])
      assert.strictEqual((yield* emu.pushes).length, 1)
    }))

  it.effect("AcceptThenDelay answers a refused call late too: the answer is the call's own", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      yield* emu.injectFault({ command: "push", fault: { _tag: "AcceptThenDelay", millis: 100 } })
      const answer = yield* Effect.forkChild(call(emu.baseUrl, "timpush/push", { ...pushBody, MsgRandom: -1 }))
      for (let i = 0; i < 200 && (yield* emu.calls).length === 0; i++) yield* realDelay(5)
      yield* realDelay(20)
      yield* TestClock.adjust(100)
      assert.strictEqual(codeOf(yield* Fiber.join(answer)), 90005)
      assert.deepStrictEqual(yield* emu.pushes, [])
    }))
})
