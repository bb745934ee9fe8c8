import { describe, expect, it } from "@effect/vitest"
import * as Client from "@timtags/core/Client"
import * as PushTags from "@timtags/core/PushTags"
import * as TimConfig from "@timtags/core/TimConfig"
import { Emulator } from "@timtags/emulator"
import { FetchPlatform } from "@timtags/platform-fetch"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const sdkAppId = 1400000002
const secretKey = "fetch-platform-test-key"

const stack = (key = secretKey) =>
  Client.layer().pipe(
    Layer.provide(Layer.unwrapEffect(
      Effect.map(Emulator.Emulator, (emu) => TimConfig.layer({ sdkAppId, secretKey: key, baseUrl: emu.baseUrl }))
    )),
    Layer.provide(FetchPlatform.layer),
    Layer.provideMerge(Emulator.layer({ sdkAppId, secretKey, seed: { ana: ["edge", "fetch"], ben: [] } }))
  )

describe("FetchPlatform end to end against the emulator", () => {
  it.live("signs with Web Crypto, sends with fetch, and gets tags", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      expect(yield* tags.getTags("ana")).toEqual(["edge", "fetch"])
      expect(yield* tags.getTags("ben")).toEqual([])
      const emu = yield* Emulator.Emulator
      const calls = yield* emu.calls
      expect(calls.every((c) => c.errorCode === 0)).toBe(true)
    }).pipe(Effect.provide(stack())))

  it.live("maps an API error to its typed error", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      const unknown = yield* Effect.flip(tags.getTags("nobody"))
      expect(unknown).toMatchObject({ _tag: "TimAccountError", code: 70107 })
      const emu = yield* Emulator.Emulator
      yield* emu.injectFault({ fault: { _tag: "ErrorCode", code: 90009 }, times: 1 })
      const denied = yield* Effect.flip(tags.getTags("ana"))
      expect(denied).toMatchObject({ _tag: "TimApiError", code: 90009, reason: "Permission" })
    }).pipe(Effect.provide(stack())))

  it.live("the emulator's verifier rejects a UserSig signed with another key (70009)", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      const error = yield* Effect.flip(tags.getTags("ana"))
      expect(error).toMatchObject({ _tag: "TimApiError", code: 70009 })
    }).pipe(Effect.provide(stack("wrong-key"))))
})
