/**
 * `EmulatorClient.layer`: one layer gives a test the emulator and a client of `@timtags/core` pointed at it, over
 * `NodePlatform.layer` (real HTTP on loopback, real UserSigs).
 */
import { assert, describe, it } from "@effect/vitest"
import { PushTags } from "@timtags/core"
import * as Effect from "effect/Effect"
import * as Emulator from "../src/Emulator.js"
import * as EmulatorClient from "../src/EmulatorClient.js"

describe("EmulatorClient.layer", () => {
  it.live("gives a client of the seeded emulator, and the emulator itself", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      const emulator = yield* Emulator.Emulator
      assert.deepStrictEqual(yield* tags.getTags("alice"), ["vip"])
      yield* tags.addTags("bob", ["beta"])
      assert.deepStrictEqual(yield* emulator.tagsOf("bob"), ["beta"])
      const unknown = yield* Effect.flip(tags.getTags("nobody"))
      assert.strictEqual(unknown._tag, "TimAccountError")
      assert.strictEqual("code" in unknown ? unknown.code : undefined, 70107)
      const calls = yield* emulator.calls
      assert.deepStrictEqual(calls.map((c) => [c.command, c.errorCode]), [["get_tag", 0], ["add_tag", 0], [
        "get_tag",
        0
      ]])
      assert.match(emulator.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
    }).pipe(Effect.provide(EmulatorClient.layer({ seed: { alice: ["vip"], bob: [] } }))))

  it.live("uses the app and admin of the options on both sides", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      assert.deepStrictEqual(yield* tags.getTags("carol"), ["eu"])
      const [call] = yield* (yield* Emulator.Emulator).calls
      assert.strictEqual(call?.errorCode, 0)
    }).pipe(
      Effect.provide(EmulatorClient.layer({
        sdkAppId: 1400000077,
        secretKey: "another-test-key",
        admin: "boss",
        seed: { carol: ["eu"] }
      }))
    ))

  it.live("passes the client options on to Client.layer", () =>
    Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      yield* tags.getTagsMany(["a", "b", "c", "d", "e"])
      const calls = yield* (yield* Emulator.Emulator).calls
      assert.deepStrictEqual(calls.map((c) => c.accounts), [2, 2, 1])
    }).pipe(
      Effect.provide(EmulatorClient.layer({ seed: { a: [], b: [], c: [], d: [], e: [] }, client: { maxBatchSize: 2 } }))
    ))
})
