// @ts-check
/**
 * Runs inside a fresh npm application (see ../test/Packaging.test.ts), against the packed packages.
 * The README's "Use it in an Effect application" as written: `TimConfig.layerConfig()` reads
 * `TIM_SDKAPPID`, `TIM_SECRET_KEY` and `TIM_BASE_URL`, which the test points at a
 * `timtags-emulator` started from the app's `node_modules/.bin`. Prints one JSON report.
 */
import { Client, PushTags, TimConfig } from "@timtags/core"
import { NodePlatform } from "@timtags/platform-node"
import { Effect, Layer, Result } from "effect"

const accounts = ["alice", "nobody", "bob"]

const TagsLive = Client.layer().pipe(
  Layer.provide(TimConfig.layerConfig()),
  Layer.provide(NodePlatform.layer)
)

const program = Effect.gen(function*() {
  const tags = yield* PushTags.PushTags
  const mine = yield* tags.getTags("alice")
  const many = yield* tags.getTagsMany(accounts)
  return {
    mine,
    many: Object.fromEntries(
      [...many].map(([account, result]) => [
        account,
        Result.isSuccess(result)
          ? { tags: result.success }
          : { error: { _tag: result.failure._tag, code: "code" in result.failure ? result.failure.code : undefined } }
      ])
    )
  }
})

const report = await program.pipe(Effect.provide(TagsLive), Effect.runPromise)
console.log(JSON.stringify(report))
