import { describe, expect, it } from "@effect/vitest"
import * as Client from "@timtags/core/Client"
import * as PushTags from "@timtags/core/PushTags"
import * as TimConfig from "@timtags/core/TimConfig"
import { Emulator } from "@timtags/emulator"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const sdkAppId = 1400000003
const secretKey = "node-platform-test-key"

const stack = (key = secretKey) =>
  Client.layer().pipe(
    Layer.provide(Layer.unwrapEffect(
      Effect.map(Emulator.Emulator, (emu) => TimConfig.layer({ sdkAppId, secretKey: key, baseUrl: emu.baseUrl }))
    )),
    Layer.provide(NodePlatform.layer),
    Layer.provideMerge(Emulator.layer({ sdkAppId, secretKey, seed: { ana: ["node", "undici"], ben: [] } }))
  )

describe("NodePlatform end to end against the emulator", () => {
  it.live("signs with node:crypto/zlib, sends with undici, and gets tags", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      expect(yield* tags.getTags("ana")).toEqual(["node", "undici"])
      const many = yield* tags.getTagsMany(["ana", "ben", "nobody"])
      expect(many.get("ben")).toMatchObject({ _tag: "Right", right: [] })
      expect(many.get("nobody")).toMatchObject({ _tag: "Left", left: { code: 70107 } })
    }).pipe(Effect.provide(stack())))

  it.live("the emulator's verifier rejects a UserSig signed with another key (70009)", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      const error = yield* Effect.flip(tags.getTags("ana"))
      expect(error).toMatchObject({ _tag: "TimApiError", code: 70009 })
    }).pipe(Effect.provide(stack("wrong-key"))))
})
