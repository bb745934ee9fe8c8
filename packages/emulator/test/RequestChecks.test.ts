import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"
import { accounts, app, call, codeOf, emulator, sign } from "./helpers.js"

const getTag = { To_Account: ["alice"] }

describe("request checks", () => {
  it.effect("a valid admin call succeeds with HTTP 200 and an OK envelope", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator({ seed: { alice: ["vip"] } })
      const answer = yield* call(baseUrl, "timpush/get_tag", getTag)
      assert.strictEqual(answer.status, 200)
      assert.deepStrictEqual(answer.json, {
        ActionStatus: "OK",
        ErrorCode: 0,
        ErrorInfo: "",
        UserTags: [{ To_Account: "alice", Tags: ["vip"] }]
      })
    }))

  it.effect("routing: unknown path 60009, non-POST 60002", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator()
      const unknown = yield* call(baseUrl, "timpush/get_tags", getTag)
      assert.strictEqual(unknown.status, 200)
      assert.strictEqual(unknown.json.ActionStatus, "FAIL")
      assert.strictEqual(codeOf(unknown), 60009)
      assert.strictEqual(codeOf(yield* call(baseUrl, "im_open_login_svc/get_tag", getTag)), 60009)
      assert.strictEqual(codeOf(yield* call(baseUrl, "timpush/get_tag", getTag, { method: "GET" })), 60002)
    }))

  it.effect("query parameters: contenttype 60002, sdkappid 60012 / 70020, usersig 70002, random 60002", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator()
      const codeWith = (query: Record<string, string | undefined>) =>
        Effect.map(call(baseUrl, "timpush/get_tag", getTag, { query }), codeOf)
      assert.strictEqual(yield* codeWith({ contenttype: "xml" }), 60002)
      assert.strictEqual(yield* codeWith({ contenttype: undefined }), 60002)
      assert.strictEqual(yield* codeWith({ sdkappid: undefined }), 60012)
      assert.strictEqual(yield* codeWith({ sdkappid: "abc" }), 60012)
      assert.strictEqual(yield* codeWith({ sdkappid: "1400000001" }), 70020)
      assert.strictEqual(yield* codeWith({ usersig: undefined }), 70002)
      assert.strictEqual(yield* codeWith({ usersig: "" }), 70002)
      for (const random of [undefined, "", "-1", "1.5", "4294967296", "abc"]) {
        assert.strictEqual(yield* codeWith({ random }), 60002, `random=${random}`)
      }
      for (const random of ["0", "4294967295"]) {
        assert.strictEqual(yield* codeWith({ random }), 0, `random=${random}`)
      }
    }))

  it.effect("checks run in the documented order", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator()
      const codeWith = (query: Record<string, string | undefined>, rawBody = JSON.stringify(getTag)) =>
        Effect.map(call(baseUrl, "timpush/get_tag", undefined, { query, rawBody }), codeOf)
      const garbage = { usersig: "garbage" }
      assert.strictEqual(yield* codeWith({ contenttype: "xml", sdkappid: "x" }), 60002)
      assert.strictEqual(yield* codeWith({ sdkappid: "x", usersig: undefined }), 60012)
      assert.strictEqual(yield* codeWith({ sdkappid: "1", usersig: undefined }), 70020)
      assert.strictEqual(yield* codeWith({ usersig: undefined, random: undefined }), 70002)
      assert.strictEqual(yield* codeWith({ ...garbage, random: "x" }), 60002)
      assert.strictEqual(yield* codeWith({ ...garbage, identifier: "someone" }, "{"), 70003)
      assert.strictEqual(yield* codeWith({ identifier: "someone" }, "{"), 70013)
      const userSig = yield* sign({ identifier: "someone" })
      assert.strictEqual(yield* codeWith({ identifier: "someone", usersig: userSig }, "{"), 90009)
      assert.strictEqual(yield* codeWith({}, JSON.stringify({ To_Account: accounts(101).concat([1 as any]) })), 90001)
    }))

  it.effect("UserSig codes: 70003 garbage, 70009 wrong key, 70013 identifier, 70014 sdkappid, 70001 expired", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator()
      const codeWith = (usersig: string, identifier: string = app.admin) =>
        Effect.map(call(baseUrl, "timpush/get_tag", getTag, { query: { usersig, identifier } }), codeOf)
      assert.strictEqual(yield* codeWith("eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80o"), 70003)
      assert.strictEqual(yield* codeWith(yield* sign({ secretKey: "wrong-key" })), 70009)
      assert.strictEqual(yield* codeWith(yield* sign(), "administrator2"), 70013)
      assert.strictEqual(yield* codeWith(yield* sign({ sdkAppId: 1400000001 })), 70014)
      // a UserSig issued at t=0 for 100 s, checked with the emulator's TestClock
      const shortLived = yield* sign({ time: 0, expire: 100 })
      assert.strictEqual(yield* codeWith(shortLived), 0)
      yield* TestClock.adjust("100 seconds")
      assert.strictEqual(yield* codeWith(shortLived), 0)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* codeWith(shortLived), 70001)
    }))

  it.effect("a non-admin with a valid UserSig gets 90009 on timpush, 60010 elsewhere", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator({ admin: "boss" })
      const query = (identifier: string) => Effect.map(sign({ identifier }), (usersig) => ({ identifier, usersig }))
      const asAdministrator = yield* query("administrator")
      assert.strictEqual(codeOf(yield* call(baseUrl, "timpush/get_tag", getTag, { query: asAdministrator })), 90009)
      assert.strictEqual(
        codeOf(yield* call(baseUrl, "im_open_login_svc/account_import", { UserID: "x" }, { query: asAdministrator })),
        60010
      )
      assert.strictEqual(codeOf(yield* call(baseUrl, "timpush/get_tag", getTag, { query: yield* query("boss") })), 0)
    }))

  it.effect("body: 90001 for invalid JSON or a wrong shape, 90018 for more than 100 accounts", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator()
      const codeOfBody = (path: string, rawBody: string) =>
        Effect.map(call(baseUrl, path, undefined, { rawBody }), codeOf)
      for (const rawBody of ["", "{", "[]", "null", "{}", "{\"To_Account\":\"alice\"}", "{\"To_Account\":[1]}"]) {
        assert.strictEqual(yield* codeOfBody("timpush/get_tag", rawBody), 90001, rawBody)
      }
      for (
        const body of [
          { UserTags: [{ To_Account: "a" }] },
          { UserTags: [{ To_Account: "a", Tags: "x" }] },
          { Replace: 2, UserTags: [] },
          { Replace: "1", UserTags: [] }
        ]
      ) {
        assert.strictEqual(yield* codeOfBody("timpush/add_tag", JSON.stringify(body)), 90001, JSON.stringify(body))
      }
      const tooMany = JSON.stringify({ To_Account: accounts(101) })
      assert.strictEqual(yield* codeOfBody("timpush/get_tag", tooMany), 90018)
      assert.strictEqual(yield* codeOfBody("timpush/clear_all_tags", tooMany), 90018)
      assert.strictEqual(yield* codeOfBody("timpush/get_tag", JSON.stringify({ To_Account: accounts(100) })), 0)
      const userTags = JSON.stringify({ UserTags: accounts(101).map((a) => ({ To_Account: a, Tags: ["t"] })) })
      assert.strictEqual(yield* codeOfBody("timpush/add_tag", userTags), 90018)
      assert.strictEqual(yield* codeOfBody("timpush/remove_tag", userTags), 90018)
    }))
})
