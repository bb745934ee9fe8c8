/**
 * Demo: look up the push tags of a few hundred users from many independent fibers.
 *
 * It starts the emulator in-process, seeds 300 users with tags and runs against it, whatever the
 * environment holds. Only `--real` calls the real service instead (`TIM_SDKAPPID`, `TIM_SECRET_KEY` and
 * `TIM_REGION` or `TIM_BASE_URL`), for the accounts listed in `TIM_ACCOUNTS` (comma-separated).
 *
 *   npx -y pnpm@10.34.9 demo
 *   npx -y pnpm@10.34.9 demo --real
 */
import { Client, Metrics, PushTags, TimConfig } from "@timtags/core"
import { Emulator } from "@timtags/emulator"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Result from "effect/Result"

/** Credentials in the environment are not enough: the real service takes the explicit flag. */
const useRealService = process.argv.includes("--real")

const demoApp = { sdkAppId: 1400000000, secretKey: "demo-secret-key-not-a-real-one" } as const
const tagPool = ["vip", "beta", "android", "ios", "cn", "eu", "gold", "silver", "night-owl", "newsletter"]
const demoAccounts = Array.from({ length: 300 }, (_, i) => `user${String(i).padStart(3, "0")}`)
// Seeded accounts get 0-3 tags. Every 50th account is deliberately never imported, so the demo shows how one
// unknown account (70107) fails on its own while the rest of its call succeeds.
const notImported = new Set(demoAccounts.filter((_, i) => i % 50 === 7))
const seed = Object.fromEntries(
  demoAccounts.filter((account) => !notImported.has(account)).map((
    a,
    i
  ) => [a, tagPool.filter((_, t) => (i * 7 + t * 3) % 10 < (i % 4))])
)

/** A row's note: the failures of accounts the demo never imported are on purpose. */
const deliberate = (account: string) =>
  useRealService || !notImported.has(account) ? "" : " (on purpose: never imported)"

/** Where the client points: the emulator (started here) or the real service. */
const ConfigLive = useRealService
  ? TimConfig.layerConfig()
  : Layer.unwrap(Effect.map(Emulator.Emulator, (emu) => TimConfig.layer({ ...demoApp, baseUrl: emu.baseUrl }))).pipe(
    Layer.provide(Emulator.layer({ ...demoApp, seed }))
  )

const MainLive = Client.layer().pipe(Layer.provide(ConfigLive), Layer.provide(NodePlatform.layer))

/** HTTP calls made so far, summed over the `calls` counter's attribute sets. */
const httpCalls = Effect.map(
  Metric.snapshot,
  (snapshots) =>
    snapshots.reduce(
      (sum, s) => sum + (s.id === Metrics.calls.id && s.type === "Counter" ? Number(s.state.count) : 0),
      0
    )
)

const program = Effect.gen(function*() {
  const tags = yield* PushTags.PushTags
  const accounts = useRealService
    ? (process.env.TIM_ACCOUNTS ?? "").split(",").map((a) => a.trim()).filter((a) => a !== "")
    : demoAccounts
  console.log(
    useRealService ? `Calling the real service for ${accounts.length} accounts` : "Emulator started in-process"
  )

  const started = performance.now()
  // One fiber per account, as independent request handlers would be: the client coalesces them.
  const fibers = yield* Effect.forEach(accounts, (account) => Effect.forkChild(Effect.result(tags.getTags(account))))
  const results = yield* Fiber.joinAll(fibers)
  const elapsed = performance.now() - started

  const rows = accounts.map((account, i) => ({ account, result: results[i]! }))
  console.log("\naccount    tags")
  for (const { account, result } of rows.slice(0, 8)) {
    console.log(
      `${account.padEnd(10)} ${
        Result.isSuccess(result)
          ? result.success.join(", ") || "(none)"
          : `${result.failure._tag} ${"code" in result.failure ? result.failure.code : result.failure.message}${
            deliberate(account)
          }`
      }`
    )
  }
  const failed = rows.filter((r) => Result.isFailure(r.result))
  console.log(`... (${rows.length - 8} more)`)
  const calls = yield* httpCalls
  console.log(
    `\n${accounts.length} accounts (${
      rows.length - failed.length
    } found, ${failed.length} failed), ${calls} HTTP calls, ${elapsed.toFixed(0)} ms`
  )
  if (!useRealService && failed.every(({ account }) => notImported.has(account))) {
    console.log(
      `The ${failed.length} failures are deliberate: the demo never imported ${[...notImported].join(", ")},\n` +
        "and the service answers 70107 (account not found) for an account never imported. Each failed on its own."
    )
  }
})

Effect.runPromise(program.pipe(Effect.provide(MainLive))).catch((error) => {
  console.error(String(error))
  process.exit(1)
})
