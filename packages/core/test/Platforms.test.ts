import { describe, expect, it } from "@effect/vitest"
import * as PushTags from "@timtags/core/PushTags"
import { Emulator } from "@timtags/emulator"
import { FetchPlatform } from "@timtags/platform-fetch"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Harness from "./support/Harness.js"

for (
  const [name, platform] of [["NodePlatform (undici, node:crypto)", NodePlatform.layer], [
    "FetchPlatform (fetch, Web Crypto)",
    FetchPlatform.layer
  ]] as const
) {
  describe(`${name} end to end against the emulator`, () => {
    it.live("signs, sends and gets tags; every call passes the emulator's UserSig check", () =>
      Effect.gen(function*() {
        const tags = yield* PushTags.PushTags
        expect(yield* tags.getTags("alice")).toEqual(["gold", "beta"])
        const many = yield* tags.getTagsMany(["bob", "carol", "nobody"])
        expect(many.get("bob")).toMatchObject({ _tag: "Success", success: ["silver"] })
        expect(many.get("carol")).toMatchObject({ _tag: "Success", success: [] })
        expect(many.get("nobody")).toMatchObject({ _tag: "Failure", failure: { _tag: "TimAccountError", code: 70107 } })
        const calls = yield* Effect.flatMap(Emulator.Emulator, (emu) => emu.calls)
        expect(calls.length).toBe(2)
        expect(calls.every((c) => c.errorCode === 0)).toBe(true)
      }).pipe(Effect.provide(Harness.client({ platform }))))

    it.live("maps an API error to its typed error", () =>
      Effect.gen(function*() {
        const emu = yield* Emulator.Emulator
        yield* emu.injectFault({ fault: { _tag: "ErrorCode", code: 90009 }, times: 1 })
        const tags = yield* PushTags.PushTags
        const denied = yield* Effect.flip(tags.getTags("alice"))
        expect(denied).toMatchObject({ _tag: "TimApiError", code: 90009, reason: "Permission" })
      }).pipe(Effect.provide(Harness.client({ platform }))))

    it.live("the emulator's verifier rejects a UserSig signed with another key (70009)", () =>
      Effect.gen(function*() {
        const tags = yield* PushTags.PushTags
        const error = yield* Effect.flip(tags.getTags("alice"))
        expect(error).toMatchObject({ _tag: "TimApiError", code: 70009, reason: "Credentials" })
      }).pipe(Effect.provide(Harness.client({ platform, config: { secretKey: "wrong-key" } }))))
  })
}
