import { describe, expect, it } from "@effect/vitest"
import * as PushTags from "@timtags/core/PushTags"
import { Emulator } from "@timtags/emulator"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Result from "effect/Result"
import * as Harness from "./support/Harness.js"

const callsOf = (command: string) =>
  Effect.map(Effect.flatMap(Emulator.Emulator, (emu) => emu.calls), (all) => all.filter((c) => c.command === command))
const storedTags = (account: string) => Effect.flatMap(Emulator.Emulator, (emu) => emu.tagsOf(account))
const service = PushTags.PushTags
const numbered = (n: number, prefix = "t") => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

describe("addTags / removeTags / clearAllTags (through the emulator)", () => {
  it.live("add, then get sees the write; replace overwrites; remove and clear take tags away", () =>
    Effect.gen(function*() {
      const tags = yield* service
      yield* tags.addTags("bob", ["gold", "silver", "gold"])
      expect(yield* tags.getTags("bob")).toEqual(["silver", "gold"])
      yield* tags.addTags("bob", ["vip"], { replace: true })
      expect(yield* tags.getTags("bob")).toEqual(["vip"])
      yield* tags.addTags("bob", ["a", "b", "c"])
      yield* tags.removeTags("bob", ["a", "vip"])
      expect(yield* tags.getTags("bob")).toEqual(["b", "c"])
      yield* tags.clearAllTags("bob")
      expect(yield* tags.getTags("bob")).toEqual([])
      expect(yield* callsOf("add_tag")).toHaveLength(3)
      expect(yield* callsOf("remove_tag")).toHaveLength(1)
      expect(yield* callsOf("clear_all_tags")).toHaveLength(1)
    }).pipe(Effect.provide(Harness.client())))

  it.live("a read issued after a write completed never gets an earlier window's answer", () =>
    Effect.gen(function*() {
      const tags = yield* service
      // Readers keep the account's lookups in flight the whole time.
      const readers = yield* Effect.forEach(Array.from({ length: 8 }), () =>
        Effect.forkChild(Effect.forever(Effect.andThen(tags.getTags("alice"), Effect.sleep("1 millis")))))
      for (const round of numbered(20, "round")) {
        yield* tags.addTags("alice", [round])
        expect(yield* tags.getTags("alice")).toContain(round)
        yield* tags.removeTags("alice", [round])
        expect(yield* tags.getTags("alice")).not.toContain(round)
      }
      yield* Fiber.interruptAll(readers)
    }).pipe(Effect.provide(Harness.client({ client: { window: "3 millis" } }))))

  it.live("more than 10 tags without replace go out as requests of 10; a replace is one request", () =>
    Effect.gen(function*() {
      const tags = yield* service
      yield* tags.addTags("carol", numbered(25))
      expect(yield* storedTags("carol")).toEqual(numbered(25))
      expect(yield* callsOf("add_tag")).toHaveLength(3)
      yield* tags.addTags("carol", numbered(100, "r"), { replace: true })
      expect(yield* storedTags("carol")).toEqual(numbered(100, "r"))
      expect(yield* callsOf("add_tag")).toHaveLength(4)
    }).pipe(Effect.provide(Harness.client())))

  it.live("bad input is refused before the network, naming the value", () =>
    Effect.gen(function*() {
      const tags = yield* service
      const empty = yield* Effect.flip(tags.addTags("alice", ["ok", ""]))
      expect(empty).toMatchObject({ _tag: "TimValidationError", field: "tag", value: "\"\"" })
      const long = yield* Effect.flip(tags.addTags("alice", ["é".repeat(26)]))
      expect(long).toMatchObject({ _tag: "TimValidationError", field: "tag" })
      expect(long.message).toContain("52")
      const tooMany = yield* Effect.flip(tags.addTags("alice", numbered(101), { replace: true }))
      expect(tooMany).toMatchObject({ _tag: "TimValidationError", field: "tags", value: "101 tags" })
      const tooManyAdd = yield* Effect.flip(tags.addTags("alice", numbered(101)))
      expect(tooManyAdd).toMatchObject({ _tag: "TimValidationError", field: "tags" })
      const none = yield* Effect.flip(tags.removeTags("alice", []))
      expect(none.message).toContain("at least one tag")
      const account = yield* Effect.flip(tags.clearAllTags(""))
      expect(account).toMatchObject({ _tag: "TimValidationError", field: "account" })
      const calls = yield* Effect.flatMap(Emulator.Emulator, (emu) => emu.calls)
      expect(calls).toHaveLength(0)
    }).pipe(Effect.provide(Harness.client())))

  it.live("an unknown account fails with 70107 on every write", () =>
    Effect.gen(function*() {
      const tags = yield* service
      for (const write of [tags.addTags("ghost", ["x"]), tags.removeTags("ghost", ["x"]), tags.clearAllTags("ghost")]) {
        const error = yield* Effect.flip(write)
        expect(error).toMatchObject({
          _tag: "TimAccountError",
          account: "ghost",
          code: 70107,
          reason: "UnknownAccount"
        })
      }
    }).pipe(Effect.provide(Harness.client())))

  it.live("the server's per-user (100) and per-app (1000) tag limits fail only the account over them", () =>
    Effect.gen(function*() {
      const tags = yield* service
      const emu = yield* Emulator.Emulator
      yield* emu.seed({ full: numbered(95, "f"), other: [] })
      const overUser = yield* tags.addTagsMany([{ account: "full", tags: numbered(6, "n") }, {
        account: "other",
        tags: ["fine"]
      }])
      expect(overUser.get("full")).toMatchObject({ _tag: "Failure", failure: { _tag: "TimAccountError", code: 90036 } })
      expect(overUser.get("other")).toEqual(Result.succeed(undefined))
      expect(yield* storedTags("full")).toHaveLength(95)
      // Fill the app to 1000 distinct tags (counting what is there already), then one more.
      const used = new Set<string>()
      for (const account of ["alice", "bob", "carol", "界面", "full", "other"]) {
        for (const t of (yield* storedTags(account)) ?? []) used.add(t)
      }
      const fillers = Array.from({ length: 1000 - used.size }, (_, i) => `app${i}`)
      const holders = Array.from({ length: Math.ceil(fillers.length / 100) }, (_, i) => `holder${i}`)
      yield* emu.seed(Object.fromEntries(holders.map((h) => [h, []])))
      const filled = yield* tags.addTagsMany(
        holders.map((h, i) => ({ account: h, tags: fillers.slice(i * 100, i * 100 + 100) })),
        { replace: true }
      )
      expect([...filled.values()].every(Result.isSuccess)).toBe(true)
      const overApp = yield* Effect.flip(tags.addTags("other", ["one-too-many"]))
      expect(overApp).toMatchObject({ _tag: "TimAccountError", code: 90037 })
    }).pipe(Effect.provide(Harness.client())))
})

describe("many-account writes (through the emulator)", () => {
  it.live("chunk at 100 per call with a per-account outcome; an account listed twice gets the union", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const accounts = numbered(230, "w")
      yield* emu.seed(Object.fromEntries(accounts.map((a) => [a, []])))
      const tags = yield* service
      const result = yield* tags.addTagsMany([
        ...accounts.map((account) => ({ account, tags: ["base"] })),
        { account: "w0", tags: ["extra"] },
        { account: "ghost", tags: ["x"] },
        { account: "w1", tags: [""] }
      ])
      expect(result.size).toBe(231)
      expect(result.get("w0")).toEqual(Result.succeed(undefined))
      expect(result.get("ghost")).toMatchObject({ _tag: "Failure", failure: { code: 70107 } })
      expect(result.get("w1")).toMatchObject({ _tag: "Failure", failure: { _tag: "TimValidationError" } })
      expect(yield* storedTags("w0")).toEqual(["base", "extra"])
      expect(yield* storedTags("w1")).toEqual([])
      expect(yield* storedTags("w229")).toEqual(["base"])
      const calls = yield* callsOf("add_tag")
      expect(calls.map((c) => c.accounts).sort((a, b) => b - a)).toEqual([100, 100, 30])

      const removed = yield* tags.removeTagsMany(accounts.map((account) => ({ account, tags: ["base"] })))
      expect([...removed.values()].every(Result.isSuccess)).toBe(true)
      expect(yield* storedTags("w0")).toEqual(["extra"])
      const cleared = yield* tags.clearAllTagsMany([...accounts, "w0", "ghost"])
      expect(cleared.get("ghost")).toMatchObject({ _tag: "Failure", failure: { code: 70107 } })
      expect(yield* storedTags("w0")).toEqual([])
      expect((yield* callsOf("clear_all_tags")).map((c) => c.accounts).sort((a, b) => b - a)).toEqual([100, 100, 31])
    }).pipe(Effect.provide(Harness.client())))

  it.live("a whole-call failure fails only the accounts of that call", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const accounts = numbered(150, "c")
      yield* emu.seed(Object.fromEntries(accounts.map((a) => [a, []])))
      yield* emu.injectFault({ command: "add_tag", fault: { _tag: "ErrorCode", code: 90009 }, times: 1 })
      const tags = yield* service
      const result = yield* tags.addTagsMany(accounts.map((account) => ({ account, tags: ["x"] })))
      const failed = [...result].filter(([, r]) => Result.isFailure(r))
      expect([50, 100]).toContain(failed.length)
      for (const [account, outcome] of failed) {
        expect(outcome).toMatchObject({ _tag: "Failure", failure: { _tag: "TimApiError", code: 90009 } })
        expect(yield* storedTags(account)).toEqual([])
      }
      const ok = [...result].filter(([, r]) => Result.isSuccess(r))
      for (const [account] of ok) expect(yield* storedTags(account)).toEqual(["x"])
    }).pipe(Effect.provide(Harness.client({ client: { concurrency: 1 } }))))

  it.live("writes for different users from independent fibers coalesce into shared calls", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const accounts = numbered(150, "p")
      yield* emu.seed(Object.fromEntries(accounts.map((a) => [a, []])))
      const tags = yield* service
      const fibers = yield* Effect.forEach(accounts, (a) => Effect.forkChild(tags.addTags(a, [`tag-${a}`])))
      yield* Fiber.joinAll(fibers)
      expect(yield* callsOf("add_tag")).toHaveLength(2)
      for (const a of accounts) expect(yield* storedTags(a)).toEqual([`tag-${a}`])
    }).pipe(Effect.provide(Harness.client({ client: { window: "20 millis" } }))))

  it.live("two writes for the same account in one window go out in separate calls, both applied", () =>
    Effect.gen(function*() {
      const tags = yield* service
      const first = yield* Effect.forkChild(tags.addTags("carol", ["one"]))
      const second = yield* Effect.forkChild(tags.addTags("carol", ["two"]))
      yield* Fiber.join(first)
      yield* Fiber.join(second)
      expect([...(yield* storedTags("carol")) ?? []].sort()).toEqual(["one", "two"])
      const calls = yield* callsOf("add_tag")
      expect(calls).toHaveLength(2)
      expect(calls.every((c) => c.accounts === 1)).toBe(true)
    }).pipe(Effect.provide(Harness.client({ client: { window: "20 millis" } }))))
})
