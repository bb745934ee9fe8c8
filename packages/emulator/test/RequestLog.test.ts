/**
 * The `requestLog` option: one line per REST call as it is answered (time, command, accounts, error code, HTTP
 * status, duration), and never the query, which carries the UserSig.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"
import { app, call, emulator, sign } from "./helpers.js"

const noon = Date.parse("2026-12-07T12:00:00.000Z")

describe("requestLog", () => {
  it.effect("hands over one line per call: time, command, accounts, code, status, duration; never the query", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(noon)
      const lines: Array<string> = []
      const emu = yield* emulator({ seed: { alice: ["vip"] }, requestLog: (line) => lines.push(line) })
      yield* call(emu.baseUrl, "timpush/get_tag", { To_Account: ["alice", "nobody"] })
      yield* emu.injectFault({ command: "add_tag", fault: { _tag: "HttpStatus", status: 502 } })
      yield* call(emu.baseUrl, "timpush/add_tag", { UserTags: [{ To_Account: "alice", Tags: ["x"] }] })
      yield* emu.injectFault({ fault: { _tag: "Drop" } })
      yield* Effect.exit(call(emu.baseUrl, "timpush/clear_all_tags", { To_Account: ["alice"] }))
      yield* call(emu.baseUrl, "timpush/get_tag", { To_Account: ["alice"] }, { query: { usersig: "not-a-usersig" } })
      yield* call(emu.baseUrl, "timpush/nope", {})
      assert.deepStrictEqual(lines, [
        "2026-12-07T12:00:00.000Z get_tag accounts=2 code=0 http=200 0ms",
        "2026-12-07T12:00:00.000Z add_tag accounts=1 code=- http=502 0ms",
        "2026-12-07T12:00:00.000Z clear_all_tags accounts=1 code=- http=dropped 0ms",
        "2026-12-07T12:00:00.000Z get_tag accounts=1 code=70003 http=200 0ms",
        "2026-12-07T12:00:00.000Z /v4/timpush/nope accounts=0 code=60009 http=200 0ms"
      ])
      assert.strictEqual((yield* emu.calls).length, lines.length)
      const usersig = yield* sign()
      for (const secret of [usersig, "not-a-usersig", "usersig", String(app.sdkAppId)]) {
        assert.isFalse(lines.some((line) => line.includes(secret)), secret)
      }
    }))

  it.live("times a call from its stamp to its answer", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const emu = yield* emulator({ requestLog: (line) => lines.push(line) })
      yield* emu.injectFault({ fault: { _tag: "Delay", millis: 200 } })
      yield* call(emu.baseUrl, "timpush/get_tag", { To_Account: [] })
      assert.lengthOf(lines, 1)
      const millis = Number(/ (\d+)ms$/.exec(lines[0]!)?.[1])
      assert.isAtLeast(millis, 200, lines[0])
    }))
})
