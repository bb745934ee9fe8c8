/**
 * Demo of push attributes: name the app's attributes, set values for one account and for many (a bad
 * one fails alone), read them back, remove one, and see that an attribute's account type can never
 * change.
 *
 * By default it runs against an emulator started in this process. `--real` runs it against the real
 * service instead (`TIM_SDKAPPID`, `TIM_SECRET_KEY`, `TIM_REGION` or `TIM_BASE_URL`), on the accounts
 * `timtags-example-1` to `-3`, and names attribute slots 8 and 9 of the app (`example_city`,
 * `example_tier`): only do that on a test app.
 *
 *   npx -y pnpm@10.34.9 example examples/attributes.ts
 */
import { AccountImport, Client, PushAttrs, TimConfig } from "@timtags/core"
import * as EmulatorClient from "@timtags/emulator/EmulatorClient"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"

const real = process.argv.includes("--real")

const MainLive: Layer.Layer<PushAttrs.PushAttrs | AccountImport.AccountImport, unknown> = real
  ? Client.layer().pipe(Layer.provide(TimConfig.layerConfig()), Layer.provide(NodePlatform.layer))
  : EmulatorClient.layer()

const [city, tier] = ["example_city", "example_tier"]
const accounts = ["timtags-example-1", "timtags-example-2", "timtags-example-3"]

const program = Effect.gen(function*() {
  const attrs = yield* PushAttrs.PushAttrs
  yield* (yield* AccountImport.AccountImport).importAccounts(accounts)

  const names = yield* attrs.setAttrNames([{ slot: 8, name: city }, { slot: 9, name: tier }])
  console.log("attribute names:", names.map((d) => `${d.slot}=${d.name} (${d.accountType})`).join(", "))

  yield* attrs.setAttrs(accounts[0]!, { [city]: "Lisbon", [tier]: "gold" })
  const outcomes = yield* attrs.setAttrsMany([
    { account: accounts[1]!, attrs: { [city]: "Porto" } },
    { account: accounts[2]!, attrs: { planet: "Mars" } }, // not a named attribute: refused before any call
    { account: accounts[2]!, attrs: { [tier]: "x".repeat(51) } } // merged with the line above, refused alike
  ])
  console.log("\nsetAttrsMany:")
  for (const [account, outcome] of outcomes) {
    console.log(`  ${account.padEnd(20)} ${Result.isSuccess(outcome) ? "ok" : outcome.failure.message}`)
  }

  yield* attrs.removeAttrs(accounts[0]!, [tier])
  console.log("\ngetAttrsMany after removing example_tier from the first:")
  for (const [account, outcome] of yield* attrs.getAttrsMany(accounts)) {
    console.log(
      `  ${account.padEnd(20)} ${Result.isSuccess(outcome) ? JSON.stringify(outcome.success) : outcome.failure.message}`
    )
  }

  const change = yield* Effect.flip(attrs.setAttrNames([{ slot: 8, name: city, accountType: "RegistrationID" }]))
  console.log(`\nchanging a type is refused before the call: ${change.message}`)
})

Effect.runPromise(program.pipe(Effect.provide(MainLive))).catch((error) => {
  console.error(String(error))
  process.exit(1)
})
