/**
 * Demo of pushing safely: tag some accounts, push by tag, and print whom the push reached (as the
 * emulator resolved it), then show the guards: an empty condition is refused instead of reaching
 * everyone, and a push whose answer is lost is not resent.
 *
 * By default it runs against an emulator started in this process and touches nothing real. Only
 * `--real` talks to the real service (`TIM_SDKAPPID`, `TIM_SECRET_KEY`, `TIM_REGION` or
 * `TIM_BASE_URL`): it then pushes one notification to the users tagged `timtags-example` (which this
 * example tags on `timtags-example-1` to `-3`), and nothing else. A push cannot be taken back.
 *
 *   npx -y pnpm@10.34.9 example examples/push-by-tag.ts
 */
import { AccountImport, Client, Push, PushTags, Target, TimConfig } from "@timtags/core"
import { Emulator } from "@timtags/emulator"
import * as EmulatorClient from "@timtags/emulator/EmulatorClient"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

const real = process.argv.includes("--real")
const tag = "timtags-example"
const accounts = ["timtags-example-1", "timtags-example-2", "timtags-example-3"]

type Services = Push.Push | PushTags.PushTags | AccountImport.AccountImport

const MainLive: Layer.Layer<Services, unknown> = real
  ? Client.layer().pipe(Layer.provide(TimConfig.layerConfig()), Layer.provide(NodePlatform.layer))
  : EmulatorClient.layer({ seed: { bystander: ["other"] } })

const program = Effect.gen(function*() {
  yield* (yield* AccountImport.AccountImport).importAccounts(accounts)
  yield* (yield* PushTags.PushTags).addTagsMany(accounts.map((account) => ({ account, tags: [tag] })))
  const push = yield* Push.Push

  const task = yield* push.send(Target.tags({ and: [tag] }), {
    Title: "Hello from timtags",
    Desc: "A push to the users tagged timtags-example",
    Ext: { from: "examples/push-by-tag.ts" }
  })
  console.log(`pushed: task ${task.taskId} (MsgRandom ${task.msgRandom})`)

  const emulator = yield* Effect.serviceOption(Emulator.Emulator)
  if (Option.isNone(emulator)) return
  const [recorded] = yield* emulator.value.pushes
  console.log(`the emulator resolved ${recorded?.recipients.length} recipients: ${recorded?.recipients.join(", ")}`)

  const empty = yield* Effect.flip(push.send(Target.tags({}), { Title: "To whom?" }))
  console.log(`\nan empty condition is refused, not sent to everyone: ${empty.message}`)

  yield* emulator.value.injectFault({ command: "push", fault: { _tag: "AcceptThenDrop" } })
  const lost = yield* Effect.flip(push.send(Target.tags({ and: [tag] }), { Title: "Once only" }))
  const pushes = yield* emulator.value.pushes
  console.log(
    `\nan answer lost after the push was taken: ${lost._tag}, not resent (${pushes.length - 1} more push recorded)`
  )
})

Effect.runPromise(program.pipe(Effect.provide(MainLive))).catch((error) => {
  console.error(String(error))
  process.exit(1)
})
