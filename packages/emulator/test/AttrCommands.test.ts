import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { accounts, call, codeOf, codeOfCall, emulator, listed } from "./helpers.js"

const attrsOf = (record: Record<string, Record<string, string>>) =>
  Object.entries(record).map(([To_Account, Attrs]) => ({ To_Account, Attrs }))

const names = { "0": "city", "1": "tier" }

describe("set_attr_name and get_attr_name", () => {
  it.effect("names slots, types default to 0 (UserID), and get_attr_name reads them back", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator()
      const empty = yield* call(baseUrl, "timpush/get_attr_name", {})
      assert.deepStrictEqual(empty.json, {
        ActionStatus: "OK",
        ErrorCode: 0,
        ErrorInfo: "",
        AttrNames: {},
        AttrTypes: {}
      })
      const set = yield* call(baseUrl, "timpush/set_attr_name", { AttrNames: names, AttrTypes: { "1": 1 } })
      assert.deepStrictEqual(set.json, { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" })
      const got = yield* call(baseUrl, "timpush/get_attr_name", {})
      assert.deepStrictEqual([got.json.AttrNames, got.json.AttrTypes], [names, { "0": 0, "1": 1 }])
      // more slots later, and a slot renamed: the others stay
      assert.strictEqual(
        yield* codeOfCall(baseUrl, "timpush/set_attr_name", { AttrNames: { "1": "level", "9": "lang" } }),
        0
      )
      const after = yield* call(baseUrl, "timpush/get_attr_name", {})
      assert.deepStrictEqual(after.json.AttrNames, { "0": "city", "1": "level", "9": "lang" })
      assert.deepStrictEqual(after.json.AttrTypes, { "0": 0, "1": 1, "9": 0 })
    }))

  it.effect("refuses the whole call: a name another slot has, a type change, a bad slot or type (90033), a bad length (90030)", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ attrs: { names, types: { "1": 1 } } })
      const setNames = (body: unknown) => call(emu.baseUrl, "timpush/set_attr_name", body)
      const duplicate = yield* setNames({ AttrNames: { "2": "city" } })
      assert.deepStrictEqual(duplicate.json, {
        ActionStatus: "FAIL",
        ErrorCode: 90033,
        ErrorInfo: "attrName:city already exists at index:0"
      })
      const twice = yield* setNames({ AttrNames: { "2": "lang", "3": "lang" } })
      assert.strictEqual(codeOf(twice), 90033)
      assert.strictEqual(codeOf(yield* setNames({ AttrNames: {}, AttrTypes: { "1": 0 } })), 90033)
      assert.strictEqual(codeOf(yield* setNames({ AttrNames: {}, AttrTypes: { "0": 1 } })), 90033) // 0 by default
      assert.strictEqual(codeOf(yield* setNames({ AttrNames: { "2": "x" }, AttrTypes: { "2": 2 } })), 90033)
      assert.strictEqual(codeOf(yield* setNames({ AttrNames: {}, AttrTypes: { "5": 0 } })), 90033) // slot not named
      assert.strictEqual(codeOf(yield* setNames({ AttrNames: { "10": "x" } })), 90033)
      assert.strictEqual(codeOf(yield* setNames({ AttrNames: { "a": "x" } })), 90033)
      assert.strictEqual(codeOf(yield* setNames({ AttrNames: { "2": "" } })), 90030)
      assert.strictEqual(codeOf(yield* setNames({ AttrNames: { "2": "x".repeat(51) } })), 90030)
      assert.strictEqual(codeOf(yield* setNames({ AttrNames: { "2": 5 } })), 90001)
      assert.strictEqual(codeOf(yield* setNames({})), 90001)
      assert.deepStrictEqual(yield* emu.attrNames, { names, types: { "0": 0, "1": 1 } }) // nothing changed
      // the same type again is no change; a name of exactly 50 bytes fits
      assert.strictEqual(codeOf(yield* setNames({ AttrNames: { "2": "x".repeat(50) }, AttrTypes: { "1": 1 } })), 0)
    }))
})

describe("set_attr, get_attr and remove_attr", () => {
  it.effect("a mixed batch: each account succeeds or fails alone (70107, 90033, 90035, 90030)", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({
        seed: { alice: [], bob: [], carol: [], dave: [] },
        devices: ["reg-1"],
        attrs: { names: { "0": "city", "1": "device" }, types: { "1": 1 } }
      })
      const answer = yield* call(emu.baseUrl, "timpush/set_attr", {
        UserAttrs: attrsOf({
          alice: { city: "Shenzhen" },
          mary: { city: "Beijing" },
          bob: { city: "Beijing", nope: "x" },
          carol: { device: "ios" },
          dave: { city: "标".repeat(17) },
          "reg-1": { device: "android" },
          eve: {}
        })
      })
      assert.deepStrictEqual(answer.json, {
        ActionStatus: "OK",
        ErrorCode: 0,
        ErrorInfo: "",
        ErrorList: [
          listed("mary", 70107, "account does not exist"),
          listed("bob", 90033, "invalid attribute"),
          listed("carol", 90035, "the tag or attribute serves another account type"),
          listed("dave", 90030, "attribute length is 0 bytes or exceeds 50 bytes"),
          listed("eve", 70107, "account does not exist")
        ]
      })
      assert.deepStrictEqual(yield* emu.attrsOf("alice"), { city: "Shenzhen" })
      assert.deepStrictEqual(yield* emu.attrsOf("bob"), {}) // all or nothing
      assert.deepStrictEqual(yield* emu.attrsOf("reg-1"), { device: "android" })
      assert.isUndefined(yield* emu.attrsOf("mary"))
    }))

  it.effect("names must be set before values: every name is unknown until then (90033)", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const before = yield* call(emu.baseUrl, "timpush/set_attr", { UserAttrs: attrsOf({ alice: { city: "x" } }) })
      assert.deepStrictEqual(before.json.ErrorList, [listed("alice", 90033, "invalid attribute")])
      yield* emu.setAttrNames({ "0": "city" })
      const after = yield* call(emu.baseUrl, "timpush/set_attr", { UserAttrs: attrsOf({ alice: { city: "x" } }) })
      assert.isFalse("ErrorList" in after.json)
    }))

  it.effect("get_attr: values by name, {} for an account without any, 70107 for an unknown one", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({
        seed: { xiaohua: [] },
        attrs: { names, values: { alice: { city: "Shenzhen", tier: "gold" } } }
      })
      const answer = yield* call(emu.baseUrl, "timpush/get_attr", { To_Account: ["alice", "Mary", "xiaohua"] })
      assert.deepStrictEqual(answer.json, {
        ActionStatus: "OK",
        ErrorCode: 0,
        ErrorInfo: "",
        UserAttrs: [
          { To_Account: "alice", Attrs: { city: "Shenzhen", tier: "gold" } },
          { To_Account: "xiaohua", Attrs: {} }
        ],
        ErrorList: [listed("Mary", 70107, "account does not exist")]
      })
      // a renamed slot keeps its values under the new name
      yield* emu.setAttrNames({ "1": "level" })
      const renamed = yield* call(emu.baseUrl, "timpush/get_attr", { To_Account: ["alice"] })
      assert.deepStrictEqual(renamed.json.UserAttrs, [{
        To_Account: "alice",
        Attrs: { city: "Shenzhen", level: "gold" }
      }])
    }))

  it.effect("remove_attr takes names only; unknown accounts 70107, unknown names 90033", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({
        seed: { bob: [] },
        attrs: { names, values: { alice: { city: "Shenzhen", tier: "gold" } } }
      })
      const answer = yield* call(emu.baseUrl, "timpush/remove_attr", {
        UserAttrs: [
          { To_Account: "alice", Attrs: ["tier"] },
          { To_Account: "xiaohong", Attrs: ["city"] },
          { To_Account: "bob", Attrs: ["nope"] },
          { To_Account: "bob", Attrs: ["city"] }
        ]
      })
      assert.deepStrictEqual(answer.json.ErrorList, [
        listed("xiaohong", 70107, "account does not exist"),
        listed("bob", 90033, "invalid attribute")
      ])
      assert.deepStrictEqual(yield* emu.attrsOf("alice"), { city: "Shenzhen" })
      const pairs = { UserAttrs: [{ To_Account: "alice", Attrs: { city: "x" } }] }
      assert.strictEqual(yield* codeOfCall(emu.baseUrl, "timpush/remove_attr", pairs), 90001) // key-value pairs
    }))

  it.effect("at most 100 accounts per call (90018); bodies of the wrong shape get 90001", () =>
    Effect.gen(function*() {
      const { baseUrl } = yield* emulator({ attrs: { names } })
      const many = accounts(101)
      assert.strictEqual(yield* codeOfCall(baseUrl, "timpush/get_attr", { To_Account: many }), 90018)
      const setMany = { UserAttrs: many.map((To_Account) => ({ To_Account, Attrs: { city: "x" } })) }
      assert.strictEqual(yield* codeOfCall(baseUrl, "timpush/set_attr", setMany), 90018)
      const removeMany = { UserAttrs: many.map((To_Account) => ({ To_Account, Attrs: ["city"] })) }
      assert.strictEqual(yield* codeOfCall(baseUrl, "timpush/remove_attr", removeMany), 90018)
      assert.strictEqual(yield* codeOfCall(baseUrl, "timpush/get_attr", { To_Account: accounts(100) }), 0)
      const numeric = { UserAttrs: [{ To_Account: "a", Attrs: { city: 5 } }] }
      assert.strictEqual(yield* codeOfCall(baseUrl, "timpush/set_attr", numeric), 90001)
      assert.strictEqual(yield* codeOfCall(baseUrl, "timpush/get_attr", { To_Account: "a" }), 90001)
    }))
})

describe("account kinds", () => {
  it.effect("a tag serves one account kind: add_tag gives 90035 for an account of the other kind", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: ["vip"], bob: [] }, devices: ["reg-1", "reg-2"] })
      const answer = yield* call(emu.baseUrl, "timpush/add_tag", {
        UserTags: [
          { To_Account: "reg-1", Tags: ["vip"] },
          { To_Account: "reg-2", Tags: ["android"] },
          { To_Account: "bob", Tags: ["vip", "android"] }
        ]
      })
      assert.deepStrictEqual(answer.json.ErrorList, [
        listed("reg-1", 90035, "the tag or attribute serves another account type"),
        listed("bob", 90035, "the tag or attribute serves another account type")
      ])
      assert.deepStrictEqual(yield* emu.tagsOf("reg-2"), ["android"])
      assert.deepStrictEqual(yield* emu.tagsOf("bob"), [])
      // once no account of the other kind holds it, the tag is free again
      yield* call(emu.baseUrl, "timpush/clear_all_tags", { To_Account: ["alice"] })
      const freed = yield* call(emu.baseUrl, "timpush/add_tag", { UserTags: [{ To_Account: "reg-1", Tags: ["vip"] }] })
      assert.isFalse("ErrorList" in freed.json)
    }))
})
