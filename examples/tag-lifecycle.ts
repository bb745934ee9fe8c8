/**
 * Demo of the whole tag family against the emulator: add → get → replace → remove → clear, printed
 * step by step, plus a many-account add with a per-account outcome.
 *
 *   npx -y pnpm@10.34.9 example examples/tag-lifecycle.ts
 */
import { Client, PushTags, TimConfig } from "@timtags/core"
import { Emulator } from "@timtags/emulator"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"

const app = { sdkAppId: 1400000000, secretKey: "demo-secret-key-not-a-real-one" } as const

const MainLive = Client.layer().pipe(
  Layer.provide(
    Layer.unwrap(Effect.map(Emulator.Emulator, (emu) => TimConfig.layer({ ...app, baseUrl: emu.baseUrl })))
  ),
  Layer.provide(NodePlatform.layer),
  Layer.provideMerge(Emulator.layer({ ...app, seed: { alice: [], bob: [], carol: [] } }))
)

const program = Effect.gen(function*() {
  const tags = yield* PushTags.PushTags
  const show = (step: string) =>
    Effect.flatMap(
      tags.getTags("alice"),
      (current) => Effect.sync(() => console.log(`${step.padEnd(48)} alice: [${current.join(", ")}]`))
    )

  yield* show("start")
  yield* tags.addTags("alice", ["vip", "beta", "android"])
  yield* show("addTags(alice, [vip, beta, android])")
  yield* tags.addTags("alice", ["night-owl"])
  yield* show("addTags(alice, [night-owl])")
  yield* tags.addTags("alice", ["gold", "ios"], { replace: true })
  yield* show("addTags(alice, [gold, ios], { replace: true })")
  yield* tags.removeTags("alice", ["ios"])
  yield* show("removeTags(alice, [ios])")
  yield* tags.clearAllTags("alice")
  yield* show("clearAllTags(alice)")

  const outcome = yield* tags.addTagsMany([
    { account: "bob", tags: ["eu"] },
    { account: "carol", tags: ["eu", "beta"] },
    { account: "mallory", tags: ["eu"] },
    { account: "dave", tags: ["x".repeat(51)] }
  ])
  console.log("\naddTagsMany([bob, carol, mallory, dave]):")
  for (const [account, result] of outcome) {
    console.log(
      `  ${account.padEnd(8)} ${Result.isSuccess(result) ? "ok" : `${result.failure._tag}: ${result.failure.message}`}`
    )
  }
})

Effect.runPromise(program.pipe(Effect.provide(MainLive))).catch((error) => {
  console.error(String(error))
  process.exit(1)
})
