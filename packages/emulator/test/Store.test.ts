import { describe, expect, it } from "@effect/vitest"
import * as Store from "../src/Store.js"
import { accounts } from "./helpers.js"

describe("Store", () => {
  it("accounts exist only once imported or seeded", () => {
    const store = Store.make()
    expect(store.exists("alice")).toBe(false)
    expect(store.tagsOf("alice")).toBeUndefined()
    expect(store.addTags("alice", ["a"], false)).toBe("UnknownAccount")
    store.importAccounts(["alice"])
    expect(store.tagsOf("alice")).toEqual([])
    store.seed({ bob: ["x", "y"] })
    expect(store.tagsOf("bob")).toEqual(["x", "y"])
  })

  it("keeps tags ordered and de-duplicated; importing again keeps them", () => {
    const store = Store.make()
    store.seed({ alice: ["b", "a"] })
    expect(store.addTags("alice", ["c", "a", "c", "d"], false)).toBe("Changed")
    expect(store.tagsOf("alice")).toEqual(["b", "a", "c", "d"])
    store.importAccounts(["alice"])
    expect(store.tagsOf("alice")).toEqual(["b", "a", "c", "d"])
    expect(store.addTags("alice", ["z", "b"], true)).toBe("Changed")
    expect(store.tagsOf("alice")).toEqual(["z", "b"])
  })

  it("removes and clears tags, counting distinct tags across the app", () => {
    const store = Store.make()
    store.seed({ alice: ["a", "b"], bob: ["b", "c"] })
    expect(store.distinctTags()).toBe(3)
    expect(store.removeTags("alice", ["b", "not-there"])).toBe(true)
    expect(store.tagsOf("alice")).toEqual(["a"])
    expect(store.distinctTags()).toBe(3)
    expect(store.clearTags("bob")).toBe(true)
    expect(store.distinctTags()).toBe(1)
    expect(store.removeTags("carol", ["a"])).toBe(false)
    expect(store.clearTags("carol")).toBe(false)
  })

  it("refuses a change that would leave a user with more than 100 tags, changing nothing", () => {
    const store = Store.make()
    store.seed({ alice: accounts(95, "t") })
    expect(store.addTags("alice", accounts(5, "new"), false)).toBe("Changed")
    expect(store.addTags("alice", ["one-more"], false)).toBe("UserTagLimit")
    expect(store.tagsOf("alice")).toHaveLength(100)
    expect(store.addTags("alice", ["t0"], false)).toBe("Changed") // already held: still 100
  })

  it("refuses a change that would give the app more than 1000 distinct tags, counting tags a replace frees", () => {
    const store = Store.make()
    store.seed(Object.fromEntries(accounts(10).map((user, i) => [user, accounts(100, `u${i}-`)])))
    store.importAccounts(["newcomer"])
    expect(store.distinctTags()).toBe(1000)
    expect(store.addTags("newcomer", ["brand-new"], false)).toBe("AppTagLimit")
    expect(store.addTags("newcomer", ["u0-1", "u9-99"], false)).toBe("Changed") // existing tags are fine
    // user0 replaces its 100 tags with 1 new one: 99 freed + 1 new
    expect(store.addTags("user0", ["fresh"], true)).toBe("Changed")
    expect(store.distinctTags()).toBe(902)
    expect(store.addTags("newcomer", accounts(10, "more"), false)).toBe("Changed")
  })

  it("accounts have a kind; a tag serves the kind of the accounts that hold it, until none does", () => {
    const store = Store.make()
    store.importAccounts(["alice"])
    store.registerDevices(["reg-1", "alice"])
    expect([store.kindOf("alice"), store.kindOf("reg-1"), store.kindOf("nobody")]).toEqual([
      "UserID",
      "RegistrationID",
      undefined
    ])
    expect(store.accounts()).toEqual(["alice", "reg-1"])
    expect(store.addTags("alice", ["vip"], false)).toBe("Changed")
    expect(store.addTags("reg-1", ["vip"], false)).toBe("WrongKind")
    expect(store.addTags("reg-1", ["ios", "vip"], true)).toBe("WrongKind") // all or nothing
    expect(store.tagsOf("reg-1")).toEqual([])
    expect(() => store.seed({ "reg-1": ["vip"] })).toThrow(/another kind/)
    expect(store.clearTags("alice")).toBe(true)
    expect(store.addTags("reg-1", ["vip"], false)).toBe("Changed")
    expect(store.addTags("alice", ["vip"], false)).toBe("WrongKind")
  })
})
