import { describe, expect, it } from "@effect/vitest"
import * as PushTags from "@timtags/core/PushTags"
import { Emulator } from "@timtags/emulator"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Result from "effect/Result"
import * as Harness from "./support/Harness.js"

const calls = (command = "get_tag") =>
  Effect.map(Effect.flatMap(Emulator.Emulator, (emu) => emu.calls), (all) => all.filter((c) => c.command === command))

describe("PushTags.getTags (through the emulator)", () => {
  it.live("returns an account's tags", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      expect(yield* tags.getTags("alice")).toEqual(["gold", "beta"])
      expect(yield* tags.getTags("界面")).toEqual(["unicode"])
    }).pipe(Effect.provide(Harness.client())))

  it.live("an existing account without tags gets [] when the server sends Tags: []", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      expect(yield* tags.getTags("carol")).toEqual([])
    }).pipe(Effect.provide(Harness.client())))

  it.live("an existing account without tags gets [] when the server leaves Tags out", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      expect(yield* tags.getTags("carol")).toEqual([])
    }).pipe(Effect.provide(Harness.client({ emulator: { omitEmptyTags: true } }))))

  it.live("an account in ErrorList (70107) fails with a TimAccountError, not an empty list", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      const error = yield* Effect.flip(tags.getTags("mallory"))
      expect(error).toMatchObject({
        _tag: "TimAccountError",
        account: "mallory",
        code: 70107,
        reason: "UnknownAccount"
      })
    }).pipe(Effect.provide(Harness.client())))

  it.live("bad input fails before any network call, naming the value", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      const empty = yield* Effect.flip(tags.getTags(""))
      expect(empty).toMatchObject({ _tag: "TimValidationError", field: "account", value: "\"\"" })
      const long = yield* Effect.flip(tags.getTags("x".repeat(33)))
      expect(long._tag).toBe("TimValidationError")
      expect(long.message).toContain("x".repeat(20))
      const notString = yield* Effect.flip(tags.getTags(42 as unknown as string))
      expect(notString.message).toContain("got number")
      expect(yield* calls()).toHaveLength(0)
    }).pipe(Effect.provide(Harness.client())))

  it.live("lookups from 250 independent fibers coalesce into 3 calls of at most 100 distinct accounts", () =>
    Effect.gen(function*() {
      const accounts = Array.from({ length: 230 }, (_, i) => `user${i}`)
      const emu = yield* Emulator.Emulator
      yield* emu.seed(Object.fromEntries(accounts.map((a) => [a, [`t-${a}`]])))
      const tags = yield* PushTags.PushTags
      // 250 lookups: the first 20 accounts are asked for twice, by fibers of the same window.
      const wanted = accounts.flatMap((a, i) => i < 20 ? [a, a] : [a])
      const fibers = yield* Effect.forEach(wanted, (a) => Effect.forkChild(tags.getTags(a)))
      const results = yield* Fiber.joinAll(fibers)
      expect(results).toEqual(wanted.map((a) => [`t-${a}`]))
      const log = yield* calls()
      expect(log.map((c) => c.accounts).reduce((a, b) => a + b, 0)).toBe(230)
      expect(log.length).toBe(3)
      expect(Math.max(...log.map((c) => c.accounts))).toBeLessThanOrEqual(100)
    }).pipe(Effect.provide(Harness.client({ client: { window: "20 millis" } }))))
})

describe("PushTags.getTagsMany (through the emulator)", () => {
  it.live("chunks at 100, sends duplicates once, and matches by To_Account even when the answer is shuffled", () =>
    Effect.gen(function*() {
      const accounts = Array.from({ length: 250 }, (_, i) => `m${i}`)
      const emu = yield* Emulator.Emulator
      yield* emu.seed(Object.fromEntries(accounts.map((a) => [a, [`tag-${a}`, "all"]])))
      const tags = yield* PushTags.PushTags
      const result = yield* tags.getTagsMany([...accounts, ...accounts.slice(0, 50)])
      expect(result.size).toBe(250)
      for (const a of accounts) expect(result.get(a)).toEqual(Result.succeed([`tag-${a}`, "all"]))
      const log = yield* calls()
      expect(log.map((c) => c.accounts).sort()).toEqual([100, 100, 50].sort())
    }).pipe(Effect.provide(Harness.client({ emulator: { shuffleResponse: true } }))))

  it.live("reports unknown accounts and bad input per account, without losing the others", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      const result = yield* tags.getTagsMany(["alice", "", "mallory", "bob", "y".repeat(40), "carol"])
      expect(result.get("alice")).toEqual(Result.succeed(["gold", "beta"]))
      expect(result.get("bob")).toEqual(Result.succeed(["silver"]))
      expect(result.get("carol")).toEqual(Result.succeed([]))
      expect(result.get("mallory")).toMatchObject({
        _tag: "Failure",
        failure: { _tag: "TimAccountError", code: 70107 }
      })
      expect(result.get("")).toMatchObject({ _tag: "Failure", failure: { _tag: "TimValidationError" } })
      expect(result.get("y".repeat(40))).toMatchObject({ _tag: "Failure", failure: { _tag: "TimValidationError" } })
      const log = yield* calls()
      expect(log).toHaveLength(1)
      expect(log[0]!.accounts).toBe(4)
    }).pipe(Effect.provide(Harness.client())))

  it.live("keys outcomes by the input value: an input that is not a string never shadows the account it prints as", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      yield* emu.seed({ "user-1": ["one"] })
      const tags = yield* PushTags.PushTags
      const notAString = ["user-1"]
      const result = yield* tags.getTagsMany([notAString as unknown as string, "user-1"])
      expect(result.size).toBe(2)
      expect(result.get("user-1")).toEqual(Result.succeed(["one"]))
      expect(result.get(notAString as unknown as string)).toMatchObject({
        _tag: "Failure",
        failure: { _tag: "TimValidationError", field: "account" }
      })
      const log = yield* calls()
      expect(log).toHaveLength(1)
      expect(log[0]!.accounts).toBe(1)
    }).pipe(Effect.provide(Harness.client())))

  it.live("makes no call when every account is invalid", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      const result = yield* tags.getTagsMany(["", "z".repeat(33)])
      expect([...result.values()].every(Result.isFailure)).toBe(true)
      expect(yield* calls()).toHaveLength(0)
    }).pipe(Effect.provide(Harness.client())))

  it.live("a failed call fails only the accounts of that call", () =>
    Effect.gen(function*() {
      const accounts = Array.from({ length: 150 }, (_, i) => `f${i}`)
      const emu = yield* Emulator.Emulator
      yield* emu.seed(Object.fromEntries(accounts.map((a) => [a, ["x"]])))
      yield* emu.injectFault({ fault: { _tag: "ErrorCode", code: 90009 }, times: 1 })
      const tags = yield* PushTags.PushTags
      const result = yield* tags.getTagsMany(accounts)
      const failed = [...result.values()].filter(Result.isFailure)
      const ok = [...result.values()].filter(Result.isSuccess)
      expect(failed.length + ok.length).toBe(150)
      expect([50, 100]).toContain(failed.length)
      for (const f of failed) {
        expect(f.failure).toMatchObject({ _tag: "TimApiError", code: 90009, reason: "Permission" })
      }
    }).pipe(Effect.provide(Harness.client({ client: { concurrency: 1 } }))))

  it.live("sends a fresh uint32 random with every call", () =>
    Effect.gen(function*() {
      const accounts = Array.from({ length: 500 }, (_, i) => `r${i}`)
      const emu = yield* Emulator.Emulator
      yield* emu.seed(Object.fromEntries(accounts.map((a) => [a, []])))
      const tags = yield* PushTags.PushTags
      yield* tags.getTagsMany(accounts)
      const randoms = (yield* calls()).map((c) => c.random)
      expect(randoms).toHaveLength(5)
      expect(new Set(randoms).size).toBe(5)
      for (const r of randoms) {
        expect(Number.isInteger(r)).toBe(true)
        expect(r).toBeGreaterThanOrEqual(0)
        expect(r).toBeLessThan(2 ** 32)
      }
    }).pipe(Effect.provide(Harness.client())))
})

describe("single-account lookups run together (Effect-level concurrency)", () => {
  it.live("share one call, each account with its own outcome", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      const results = yield* Effect.forEach(
        ["alice", "bob", "mallory"],
        (account) => Effect.result(tags.getTags(account)),
        { concurrency: "unbounded" }
      )
      expect(results[0]).toEqual(Result.succeed(["gold", "beta"]))
      expect(results[1]).toEqual(Result.succeed(["silver"]))
      expect(results[2]).toMatchObject({ _tag: "Failure", failure: { _tag: "TimAccountError", code: 70107 } })
      expect(yield* calls()).toHaveLength(1)
    }).pipe(Effect.provide(Harness.client())))
})
