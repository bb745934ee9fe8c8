// @ts-check
/**
 * Runs inside a fresh npm application (see ../test/Packaging.test.ts), against the packed packages.
 * The README's "Use it in an Effect application": `Client.layer()` over `TimConfig.layer` and
 * `NodePlatform.layer`, `PushTags.PushTags`, `getTags`/`getTagsMany`; the server is `Emulator.layer`
 * from `@timtags/emulator`, seeded, and `TimConfig` points at its `baseUrl`. Prints one JSON report.
 */
import { Client, PushTags, TimConfig, TimError } from "@timtags/core"
import { Emulator } from "@timtags/emulator"
import { NodePlatform } from "@timtags/platform-node"
import { Effect, Layer, Result } from "effect"

const sdkAppId = 1400000042
const secretKey = "packaging-test-key"

const EmulatorLive = Emulator.layer({
  sdkAppId,
  secretKey,
  seed: { alice: ["vip", "beta"], bob: [], carol: ["eu"] }
})

const TagsLive = Layer.unwrap(
  Effect.map(Emulator.Emulator, ({ baseUrl }) =>
    Client.layer().pipe(
      Layer.provide(TimConfig.layer({ sdkAppId, secretKey, baseUrl })),
      Layer.provide(NodePlatform.layer)
    ))
).pipe(Layer.provideMerge(EmulatorLive))

/** @param {PushTags.Failure} error */
const describeError = (error) => ({
  _tag: error._tag,
  code: "code" in error ? error.code : undefined,
  account: "account" in error ? error.account : undefined,
  reason: error.reason,
  isTimAccountError: error instanceof TimError.TimAccountError
})

/** @param {Result.Result<ReadonlyArray<string>, PushTags.Failure>} result */
const describeResult = (result) =>
  Result.isSuccess(result) ? { tags: result.success } : { error: describeError(result.failure) }

const program = Effect.gen(function*() {
  const tags = yield* PushTags.PushTags
  const alice = yield* tags.getTags("alice")
  const bob = yield* tags.getTags("bob")
  const nobody = yield* Effect.result(tags.getTags("nobody"))
  const many = yield* tags.getTagsMany(["alice", "carol", "nobody", "bob", "alice"])
  const emulator = yield* Emulator.Emulator
  const calls = yield* emulator.calls
  return {
    getTags: { alice, bob, nobody: describeResult(nobody) },
    getTagsMany: Object.fromEntries([...many].map(([account, result]) => [account, describeResult(result)])),
    calls: calls.map(({ command, accounts, errorCode }) => ({ command, accounts, errorCode }))
  }
})

const report = await program.pipe(Effect.provide(TagsLive), Effect.runPromise)
console.log(JSON.stringify(report))
