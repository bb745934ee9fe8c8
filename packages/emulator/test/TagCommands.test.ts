import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { accounts, call, codeOf, emulator } from "./helpers.js"

const notFound = (To_Account: string) => ({ To_Account, ErrorCode: 70107, ErrorInfo: "account does not exist" })

/** `UserTags` entries from a record of account → tags (in the record's order). */
const userTags = (record: Record<string, Array<string>>) =>
  Object.entries(record).map(([To_Account, Tags]) => ({ To_Account, Tags }))

const tagsOfAll = (userTags: ReadonlyArray<{ To_Account: string; Tags?: Array<string> }>) =>
  Object.fromEntries(userTags.map((u) => [u.To_Account, u.Tags]))

describe("get_tag", () => {
  it.effect("returns existing accounts in request order, unknown ones in ErrorList with 70107", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator({ seed: { alice: ["a", "b"], bob: [], carol: ["c"] } })
      const answer = yield* call(baseUrl, "timpush/get_tag", { To_Account: ["carol", "mary", "alice", "bob"] })
      assert.deepStrictEqual(answer.json, {
        ActionStatus: "OK",
        ErrorCode: 0,
        ErrorInfo: "",
        UserTags: [
          { To_Account: "carol", Tags: ["c"] },
          { To_Account: "alice", Tags: ["a", "b"] },
          { To_Account: "bob", Tags: [] }
        ],
        ErrorList: [notFound("mary")]
      })
    }))

  it.effect("omits ErrorList when every account exists", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator({ seed: { alice: ["a"] } })
      const answer = yield* call(baseUrl, "timpush/get_tag", { To_Account: ["alice"] })
      assert.isFalse("ErrorList" in answer.json)
    }))

  it.effect("omitEmptyTags leaves Tags out for accounts without tags", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator({ omitEmptyTags: true, seed: { alice: ["a"], bob: [] } })
      const answer = yield* call(baseUrl, "timpush/get_tag", { To_Account: ["alice", "bob"] })
      assert.deepStrictEqual(answer.json.UserTags, [{ To_Account: "alice", Tags: ["a"] }, { To_Account: "bob" }])
    }))

  it.effect("shuffleResponse moves every entry away from its request position, keeping the pairs", () =>
    Effect.gen(function*() {
      const names = accounts(50)
      const seed = Object.fromEntries(names.map((n) => [n, [`tag-${n}`]]))
      const { baseUrl } = yield* emulator({ shuffleResponse: true, seed })
      const answer = yield* call(baseUrl, "timpush/get_tag", { To_Account: names })
      const order: Array<string> = answer.json.UserTags.map((u: { To_Account: string }) => u.To_Account)
      assert.sameMembers(order, names)
      order.forEach((name, i) => assert.notStrictEqual(name, names[i]))
      assert.deepStrictEqual(tagsOfAll(answer.json.UserTags), seed)
    }))
})

describe("add_tag", () => {
  it.effect("appends by default and overwrites with Replace: 1; unknown accounts get 70107", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: ["a"], bob: ["b"] } })
      const added = yield* call(emu.baseUrl, "timpush/add_tag", {
        UserTags: userTags({ alice: ["x", "a"], mary: ["x"], bob: ["y"] })
      })
      assert.deepStrictEqual(added.json, {
        ActionStatus: "OK",
        ErrorCode: 0,
        ErrorInfo: "",
        ErrorList: [notFound("mary")]
      })
      assert.deepStrictEqual(yield* emu.tagsOf("alice"), ["a", "x"])
      assert.deepStrictEqual(yield* emu.tagsOf("bob"), ["b", "y"])
      const replaced = yield* call(emu.baseUrl, "timpush/add_tag", { Replace: 1, UserTags: userTags({ alice: ["z"] }) })
      assert.deepStrictEqual(replaced.json, { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" })
      assert.deepStrictEqual(yield* emu.tagsOf("alice"), ["z"])
      yield* call(emu.baseUrl, "timpush/add_tag", { Replace: 0, UserTags: userTags({ alice: ["w"] }) })
      assert.deepStrictEqual(yield* emu.tagsOf("alice"), ["z", "w"])
    }))

  it.effect("refuses the whole request for too many tags in an entry (90032), empty (90040) or long tags (90020)", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const codeOfAdd = (tags: Array<string>, Replace?: 0 | 1) => {
        const body = { ...(Replace === undefined ? {} : { Replace }), UserTags: userTags({ alice: tags }) }
        return Effect.map(call(emu.baseUrl, "timpush/add_tag", body), codeOf)
      }
      assert.strictEqual(yield* codeOfAdd(accounts(11, "t")), 90032)
      assert.strictEqual(yield* codeOfAdd(accounts(11, "t"), 0), 90032)
      assert.strictEqual(yield* codeOfAdd(accounts(101, "t"), 1), 90032)
      assert.strictEqual(yield* codeOfAdd(["ok", ""]), 90040)
      assert.strictEqual(yield* codeOfAdd(["x".repeat(51)]), 90020)
      assert.strictEqual(yield* codeOfAdd(["标".repeat(17)]), 90020) // 51 UTF-8 bytes
      assert.deepStrictEqual(yield* emu.tagsOf("alice"), [])
      assert.strictEqual(yield* codeOfAdd(["标".repeat(16), "x".repeat(50)]), 0) // 48 and 50 bytes
      assert.strictEqual(yield* codeOfAdd(accounts(10, "t")), 0)
      assert.strictEqual(yield* codeOfAdd(accounts(100, "r"), 1), 0)
      assert.strictEqual((yield* emu.tagsOf("alice"))?.length, 100)
    }))

  it.effect("per-account limits in ErrorList: over 100 stored tags (90036), over 1000 distinct app tags (90037)", () =>
    Effect.gen(function*() {
      const seed = Object.fromEntries(accounts(10).map((user, i) => [user, accounts(i === 0 ? 95 : 100, `u${i}-`)]))
      const emu = yield* emulator({ seed: { ...seed, newcomer: [] } })
      // user0 holds 95 tags; the app holds 995 distinct tags
      const answer = yield* call(emu.baseUrl, "timpush/add_tag", {
        UserTags: userTags({ user0: accounts(6, "more"), newcomer: accounts(6, "n"), user1: ["u2-0"] })
      })
      assert.deepStrictEqual(answer.json.ErrorList, [
        { To_Account: "user0", ErrorCode: 90036, ErrorInfo: "the account would hold more than 100 tags" },
        { To_Account: "newcomer", ErrorCode: 90037, ErrorInfo: "the app would hold more than 1000 distinct tags" },
        { To_Account: "user1", ErrorCode: 90036, ErrorInfo: "the account would hold more than 100 tags" }
      ])
      assert.strictEqual(codeOf(answer), 0)
      assert.strictEqual((yield* emu.tagsOf("user0"))?.length, 95)
      assert.deepStrictEqual(yield* emu.tagsOf("newcomer"), [])
      const fits = yield* call(emu.baseUrl, "timpush/add_tag", { UserTags: userTags({ newcomer: accounts(5, "n") }) })
      assert.isFalse("ErrorList" in fits.json)
    }))
})

describe("remove_tag and clear_all_tags", () => {
  it.effect("remove_tag removes the listed tags; unknown accounts get 70107", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: ["a", "b", "c"] } })
      const answer = yield* call(emu.baseUrl, "timpush/remove_tag", {
        UserTags: userTags({ alice: ["b", "zz"], xiaohong: ["a"] })
      })
      assert.deepStrictEqual(answer.json.ErrorList, [notFound("xiaohong")])
      assert.deepStrictEqual(yield* emu.tagsOf("alice"), ["a", "c"])
      const empty = yield* call(emu.baseUrl, "timpush/remove_tag", { UserTags: userTags({ alice: [""] }) })
      assert.strictEqual(codeOf(empty), 90040)
    }))

  it.effect("clear_all_tags removes every tag; unknown accounts get 70107", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: ["a", "b"], bob: ["b"] } })
      const answer = yield* call(emu.baseUrl, "timpush/clear_all_tags", { To_Account: ["alice", "mary"] })
      assert.deepStrictEqual(answer.json.ErrorList, [notFound("mary")])
      assert.deepStrictEqual(yield* emu.tagsOf("alice"), [])
      assert.deepStrictEqual(yield* emu.tagsOf("bob"), ["b"])
    }))
})

describe("account import", () => {
  it.effect("account_import and multiaccount_import create accounts the tag commands then know", () =>
    Effect.gen(function*() {
      const emu = yield* emulator()
      const before = yield* call(emu.baseUrl, "timpush/get_tag", { To_Account: ["alice", "bob"] })
      assert.strictEqual(before.json.ErrorList.length, 2)
      const single = yield* call(emu.baseUrl, "im_open_login_svc/account_import", { UserID: "alice", Nick: "A" })
      assert.deepStrictEqual(single.json, { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" })
      const multi = yield* call(emu.baseUrl, "im_open_login_svc/multiaccount_import", {
        Accounts: ["bob", "", "carol"]
      })
      assert.deepStrictEqual(multi.json, { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", FailAccounts: [""] })
      const after = yield* call(emu.baseUrl, "timpush/get_tag", { To_Account: ["alice", "bob", "carol"] })
      assert.deepStrictEqual(after.json.UserTags, [
        { To_Account: "alice", Tags: [] },
        { To_Account: "bob", Tags: [] },
        { To_Account: "carol", Tags: [] }
      ])
    }))

  it.effect("importing an existing account keeps its tags; bad bodies get 60003 / 70402", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: ["a"] } })
      yield* call(emu.baseUrl, "im_open_login_svc/account_import", { UserID: "alice" })
      assert.deepStrictEqual(yield* emu.tagsOf("alice"), ["a"])
      const raw = (path: string, rawBody: string) => Effect.map(call(emu.baseUrl, path, undefined, { rawBody }), codeOf)
      assert.strictEqual(yield* raw("im_open_login_svc/account_import", "{"), 60003)
      assert.strictEqual(yield* raw("im_open_login_svc/account_import", "{\"UserID\":\"\"}"), 70402)
      assert.strictEqual(yield* raw("im_open_login_svc/multiaccount_import", "{\"Accounts\":\"a\"}"), 70402)
      const tooMany = JSON.stringify({ Accounts: accounts(101) })
      assert.strictEqual(yield* raw("im_open_login_svc/multiaccount_import", tooMany), 70402)
      assert.isFalse(yield* Effect.map(emu.tagsOf("user0"), (tags) => tags !== undefined))
    }))
})
