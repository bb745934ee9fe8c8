/**
 * `PushAttrs` through the emulator: attribute names (cached, refreshed by `setAttrNames`, account
 * types that never change), values set, read and removed for one account and for many, each account
 * with its own outcome, bad input refused before any call without losing the rest of the batch, and
 * lookups coalescing like tags.
 */
import { describe, expect, it } from "@effect/vitest"
import * as PushAttrs from "@timtags/core/PushAttrs"
import { Emulator } from "@timtags/emulator"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import * as Harness from "./support/Harness.js"

const callsOf = (command: string) =>
  Effect.map(Effect.flatMap(Emulator.Emulator, (emu) => emu.calls), (all) => all.filter((c) => c.command === command))

const named = Harness.client({
  emulator: {
    attrs: { names: { "0": "city", "1": "tier", "2": "device" }, types: { "2": 1 } },
    devices: ["reg-1"]
  }
})

describe("PushAttrs (through the emulator)", () => {
  it.live("getAttrNames reads the app's names and types, in slot order, and caches them", () =>
    Effect.gen(function*() {
      const attrs = yield* PushAttrs.PushAttrs
      const names = yield* attrs.getAttrNames
      expect(names).toEqual([
        { slot: 0, name: "city", accountType: "UserID" },
        { slot: 1, name: "tier", accountType: "UserID" },
        { slot: 2, name: "device", accountType: "RegistrationID" }
      ])
      yield* attrs.getAttrNames
      expect(yield* callsOf("get_attr_name")).toHaveLength(1)
    }).pipe(Effect.provide(named)))

  it.live("setAttrNames names new slots, refreshes the cache, and refuses a type change or a taken name before the call", () =>
    Effect.gen(function*() {
      const attrs = yield* PushAttrs.PushAttrs
      const emu = yield* Emulator.Emulator
      yield* attrs.getAttrNames
      const after = yield* attrs.setAttrNames([{ slot: 3, name: "lang" }, { slot: 0, name: "town" }])
      expect(after.map((d) => d.name)).toEqual(["town", "tier", "device", "lang"])
      expect((yield* emu.attrNames).names).toEqual({ "0": "town", "1": "tier", "2": "device", "3": "lang" })
      expect((yield* attrs.getAttrNames).map((d) => d.name)).toEqual(["town", "tier", "device", "lang"])
      const sets = (yield* callsOf("set_attr_name")).length
      const typeChange = yield* Effect.flip(attrs.setAttrNames([{ slot: 2, name: "device", accountType: "UserID" }]))
      expect(typeChange).toMatchObject({ _tag: "TimValidationError", field: "accountType" })
      expect(typeChange.message).toContain("can never change")
      const taken = yield* Effect.flip(attrs.setAttrNames([{ slot: 5, name: "tier" }]))
      expect(taken).toMatchObject({ _tag: "TimValidationError", field: "attribute name" })
      const badSlot = yield* Effect.flip(attrs.setAttrNames([{ slot: 10, name: "x" }]))
      expect(badSlot).toMatchObject({ _tag: "TimValidationError", field: "attribute slot" })
      expect(yield* callsOf("set_attr_name")).toHaveLength(sets)
    }).pipe(Effect.provide(named)))

  it.live("a type change Tencent refuses anyway (90033) is still mapped", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const attrs = yield* PushAttrs.PushAttrs
      yield* attrs.getAttrNames // cached: slot 2 applies to RegistrationIDs
      yield* emu.injectFault({ command: "set_attr_name", fault: { _tag: "ErrorCode", code: 90033 } })
      const error = yield* Effect.flip(attrs.setAttrNames([{ slot: 4, name: "plan" }]))
      expect(error).toMatchObject({ _tag: "TimApiError", code: 90033, reason: "InvalidRequest" })
    }).pipe(Effect.provide(named)))

  it.live("set, get and remove for one account; an account without attributes reads {}", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const attrs = yield* PushAttrs.PushAttrs
      yield* attrs.setAttrs("alice", { city: "Lisbon", tier: "gold" })
      expect(yield* emu.attrsOf("alice")).toEqual({ city: "Lisbon", tier: "gold" })
      expect(yield* attrs.getAttrs("alice")).toEqual({ city: "Lisbon", tier: "gold" })
      expect(yield* attrs.getAttrs("bob")).toEqual({})
      yield* attrs.removeAttrs("alice", ["tier"])
      expect(yield* attrs.getAttrs("alice")).toEqual({ city: "Lisbon" })
      const unknown = yield* Effect.flip(attrs.getAttrs("mallory"))
      expect(unknown).toMatchObject({ _tag: "TimAccountError", code: 70107, reason: "UnknownAccount" })
      const wrongKind = yield* Effect.flip(attrs.setAttrs("alice", { device: "ios" }))
      expect(wrongKind).toMatchObject({ _tag: "TimAccountError", code: 90035, reason: "AccountType" })
    }).pipe(Effect.provide(named)))

  it.live("bad input fails that account alone, before any call; the rest of the batch goes on", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const attrs = yield* PushAttrs.PushAttrs
      const outcomes = yield* attrs.setAttrsMany([
        { account: "alice", attrs: { city: "Porto" } },
        { account: "bob", attrs: { planet: "Mars" } },
        { account: "carol", attrs: { city: "x".repeat(51) } },
        { account: "", attrs: { city: "Faro" } },
        { account: "mallory", attrs: { tier: "silver" } },
        { account: "carol", attrs: { tier: "bronze" } },
        { account: "界面", attrs: { city: "東京" } }
      ])
      expect([...outcomes.keys()]).toEqual(["alice", "bob", "carol", "", "mallory", "界面"])
      expect(outcomes.get("alice")).toEqual(Result.succeed(undefined))
      expect(outcomes.get("bob")).toMatchObject({ failure: { _tag: "TimValidationError", field: "attribute name" } })
      expect(outcomes.get("carol")).toMatchObject({ failure: { _tag: "TimValidationError", field: "attribute value" } })
      expect(outcomes.get("")).toMatchObject({ failure: { _tag: "TimValidationError", field: "account" } })
      expect(outcomes.get("mallory")).toMatchObject({ failure: { _tag: "TimAccountError", code: 70107 } })
      expect(outcomes.get("界面")).toEqual(Result.succeed(undefined))
      expect(yield* emu.attrsOf("界面")).toEqual({ city: "東京" })
      // One call carried the three valid accounts; the refused ones were never sent.
      const calls = yield* callsOf("set_attr")
      expect(calls.map((c) => c.accounts)).toEqual([3])
      expect(yield* emu.attrsOf("carol")).toEqual({})
    }).pipe(Effect.provide(named)))

  it.live("removeAttrsMany: unknown names are refused before the call, the rest removed", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      yield* emu.seedAttrs({ alice: { city: "Lisbon", tier: "gold" }, bob: { city: "Oslo" } })
      const attrs = yield* PushAttrs.PushAttrs
      const outcomes = yield* attrs.removeAttrsMany([
        { account: "alice", names: ["tier"] },
        { account: "bob", names: ["planet"] },
        { account: "alice", names: ["city"] }
      ])
      expect(outcomes.get("alice")).toEqual(Result.succeed(undefined))
      expect(outcomes.get("bob")).toMatchObject({ failure: { _tag: "TimValidationError" } })
      expect(yield* emu.attrsOf("alice")).toEqual({})
      expect(yield* emu.attrsOf("bob")).toEqual({ city: "Oslo" })
    }).pipe(Effect.provide(named)))

  it.live("lookups from many fibers coalesce into calls of at most 100 accounts; the many and stream forms keep input order", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const accounts = Array.from({ length: 250 }, (_, i) => `a${i}`)
      yield* emu.seedAttrs(Object.fromEntries(accounts.map((a, i) => [a, { tier: `t${i % 3}` }])))
      const attrs = yield* PushAttrs.PushAttrs
      const fibers = yield* Effect.forEach(accounts, (a) => Effect.forkChild(attrs.getAttrs(a)))
      const single = yield* Fiber.joinAll(fibers)
      expect(single[7]).toEqual({ tier: "t1" })
      const many = yield* attrs.getAttrsMany(["ghost", ...accounts])
      expect([...many.keys()]).toEqual(["ghost", ...accounts])
      expect(many.get("a5")).toEqual(Result.succeed({ tier: "t2" }))
      const streamed = yield* Stream.runCollect(attrs.getAttrsStream(Stream.fromIterable(accounts)))
      expect(streamed.map((item) => item.account)).toEqual(accounts)
      const calls = yield* callsOf("get_attr")
      expect(Math.max(...calls.map((c) => c.accounts))).toBeLessThanOrEqual(100)
      // 250 single lookups in 3 calls, 251 in 3 (one of them partial), 250 streamed in 3.
      expect(calls.length).toBe(9)
    }).pipe(
      Effect.provide(
        Harness.client({ client: { window: "20 millis" }, emulator: { attrs: { names: { "1": "tier" } } } })
      )
    ))

  it.live("with no attribute named, setting one says so before any set_attr", () =>
    Effect.gen(function*() {
      const attrs = yield* PushAttrs.PushAttrs
      const error = yield* Effect.flip(attrs.setAttrs("alice", { city: "Lisbon" }))
      expect(error).toMatchObject({ _tag: "TimValidationError", field: "attribute name" })
      expect(error.message).toContain("the app has named none")
      expect(yield* callsOf("set_attr")).toHaveLength(0)
    }).pipe(Effect.provide(Harness.client())))
})
