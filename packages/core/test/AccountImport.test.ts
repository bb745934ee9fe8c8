/** `AccountImport` through the emulator: accounts come to exist, batched, each with its own outcome. */
import { describe, expect, it } from "@effect/vitest"
import * as AccountImport from "@timtags/core/AccountImport"
import * as PushTags from "@timtags/core/PushTags"
import { Emulator } from "@timtags/emulator"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Harness from "./support/Harness.js"

const imports = Effect.map(
  Effect.flatMap(Emulator.Emulator, (emu) => emu.calls),
  (all) => all.filter((c) => c.command === "multiaccount_import")
)

describe("AccountImport (through the emulator)", () => {
  it.live("an account imported can be tagged; before, it was 70107", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      const before = yield* Effect.flip(tags.addTags("newcomer", ["vip"]))
      expect(before).toMatchObject({ _tag: "TimAccountError", code: 70107 })
      const accounts = yield* AccountImport.AccountImport
      yield* accounts.importAccount("newcomer")
      yield* tags.addTags("newcomer", ["vip"])
      expect(yield* tags.getTags("newcomer")).toEqual(["vip"])
    }).pipe(Effect.provide(Harness.client())))

  it.live("importAccounts: 250 accounts in 3 calls, invalid ones refused in place, existing ones fine", () =>
    Effect.gen(function*() {
      const accounts = yield* AccountImport.AccountImport
      const emu = yield* Emulator.Emulator
      const wanted = ["alice", "", ...Array.from({ length: 249 }, (_, i) => `imp${i}`)]
      const outcomes = yield* accounts.importAccounts(wanted)
      expect([...outcomes.keys()]).toEqual(wanted)
      expect(outcomes.get("")).toMatchObject({ failure: { _tag: "TimValidationError" } })
      expect([...outcomes.values()].filter(Result.isSuccess)).toHaveLength(250)
      expect(yield* emu.tagsOf("imp248")).toEqual([])
      expect((yield* imports).map((c) => c.accounts)).toEqual([100, 100, 50])
    }).pipe(Effect.provide(Harness.client())))
})
