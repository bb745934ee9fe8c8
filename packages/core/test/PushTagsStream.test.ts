import { describe, expect, it } from "@effect/vitest"
import * as PushTags from "@timtags/core/PushTags"
import { Emulator } from "@timtags/emulator"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import * as Harness from "./support/Harness.js"

describe("PushTags.getTagsStream (through the emulator)", () => {
  it.live("streams per-account outcomes in input order, 100 accounts per call, with progress", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const known = Array.from({ length: 1000 }, (_, i) => `s${i}`)
      yield* emu.seed(Object.fromEntries(known.map((a, i) => [a, i % 3 === 0 ? [] : [`t${i % 7}`]])))
      const input = [...known.slice(0, 500), "ghost", "", ...known.slice(500)]
      const progress: Array<PushTags.Progress> = []
      const tags = yield* PushTags.PushTags
      const items = yield* Stream.runCollect(
        tags.getTagsStream(Stream.fromIterable(input).pipe(Stream.rechunk(7)), {
          onProgress: (p) => {
            progress.push(p)
          }
        })
      )
      expect(items.map((i) => i.account)).toEqual(input)
      expect(items[0]!.result).toEqual(Result.succeed([]))
      expect(items[1]!.result).toEqual(Result.succeed(["t1"]))
      expect(items[500]!.result).toMatchObject({ _tag: "Failure", failure: { _tag: "TimAccountError", code: 70107 } })
      expect(items[501]!.result).toMatchObject({ _tag: "Failure", failure: { _tag: "TimValidationError" } })
      expect(items.filter((i) => Result.isSuccess(i.result))).toHaveLength(1000)
      const calls = (yield* emu.calls).filter((c) => c.command === "get_tag")
      expect(calls).toHaveLength(11)
      expect(Math.max(...calls.map((c) => c.accounts))).toBeLessThanOrEqual(100)
      expect(progress.at(-1)).toMatchObject({ accounts: 1002, failed: 2 })
      expect(progress.map((p) => p.accounts)).toEqual([...progress.map((p) => p.accounts)].sort((a, b) => a - b))
    }).pipe(Effect.provide(Harness.client())))

  it.live("pulls lazily: a stream cut short makes only the calls it needs", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      yield* emu.seed(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`lazy${i}`, ["x"]])))
      const tags = yield* PushTags.PushTags
      const endless = Stream.iterate(0, (n) => n + 1).pipe(Stream.map((n) => `lazy${n % 50}`))
      const first = yield* Stream.runCollect(tags.getTagsStream(endless, { concurrency: 1 }).pipe(Stream.take(250)))
      expect(first).toHaveLength(250)
      const calls = (yield* emu.calls).filter((c) => c.command === "get_tag")
      // 250 items need 3 chunks; with one call in flight the stream reads at most one chunk ahead.
      expect(calls.length).toBeGreaterThanOrEqual(3)
      expect(calls.length).toBeLessThanOrEqual(4)
    }).pipe(Effect.provide(Harness.client())))
})
