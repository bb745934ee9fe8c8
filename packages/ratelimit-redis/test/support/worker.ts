/**
 * One worker process of the multi-process test and benchmark (started by `MultiProcess.runWorkers`): builds the
 * client with the Redis limiter, says "ready", waits for "go", looks up its accounts with `getTagsMany` and
 * reports. The spec comes in the `TIMTAGS_WORKER` environment variable (JSON `WorkerSpec`).
 */
import * as Client from "@timtags/core/Client"
import * as PushTags from "@timtags/core/PushTags"
import * as TimConfig from "@timtags/core/TimConfig"
import * as NodePlatform from "@timtags/platform-node/NodePlatform"
import * as RedisRateLimit from "@timtags/ratelimit-redis/RedisRateLimit"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Result from "effect/Result"
import type { WorkerMessage, WorkerReport, WorkerSpec } from "./MultiProcess.js"

const spec = JSON.parse(process.env.TIMTAGS_WORKER ?? "null") as WorkerSpec | null
if (spec === null || process.send === undefined) {
  console.error("worker.ts is started by MultiProcess.runWorkers (needs TIMTAGS_WORKER and an IPC channel)")
  process.exit(2)
}
const send = (message: WorkerMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()))

const warnings: Array<string> = []
const countingLogger = Logger.make(({ logLevel, message }) => {
  if (LogLevel.isGreaterThanOrEqualTo(logLevel, "Warn")) {
    warnings.push(`${logLevel}: ${Array.isArray(message) ? message.join(" ") : String(message)}`)
  }
})

const Live = Client.layer({
  rateLimit: RedisRateLimit.layer({
    url: spec.redisUrl,
    prefix: spec.prefix,
    limit: spec.limit,
    margin: spec.marginMillis === undefined ? undefined : `${spec.marginMillis} millis`
  })
}).pipe(
  Layer.provide(TimConfig.layer({ sdkAppId: spec.sdkAppId, secretKey: spec.secretKey, baseUrl: spec.baseUrl })),
  Layer.provide(NodePlatform.layer)
)

const go = Effect.callback<void>((resume) => {
  const onMessage = (message: unknown) => {
    if ((message as WorkerMessage | undefined)?.type === "go") resume(Effect.void)
  }
  process.on("message", onMessage)
  return Effect.sync(() => process.off("message", onMessage))
})

const accounts = Array.from({ length: spec.count }, (_, i) => `${spec.accountPrefix}${spec.from + i}`)

const program = Effect.gen(function*() {
  const tags = yield* PushTags.PushTags
  // Warm the process up (JIT, connections) so that the measured run is not dominated by start-up stalls.
  if (spec.warmUp !== undefined && spec.warmUp > 0) yield* tags.getTagsMany(accounts.slice(0, spec.warmUp))
  yield* Effect.promise(() => send({ type: "ready", id: spec.id }))
  yield* go
  const startedAt = Date.now()
  const results = yield* tags.getTagsMany(accounts)
  const endedAt = Date.now()
  let found = 0
  const errors: Record<string, number> = {}
  for (const outcome of results.values()) {
    if (Result.isSuccess(outcome)) found += 1
    else errors[outcome.failure._tag] = (errors[outcome.failure._tag] ?? 0) + 1
  }
  const report: WorkerReport = { id: spec.id, accounts: accounts.length, found, errors, startedAt, endedAt, warnings }
  yield* Effect.promise(() => send({ type: "done", report }))
})

Effect.runPromise(program.pipe(Effect.provide(Live), Effect.provide(Logger.layer([countingLogger]))))
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(`[worker ${spec.id}] failed: ${String(error)}`)
    process.exit(1)
  })
