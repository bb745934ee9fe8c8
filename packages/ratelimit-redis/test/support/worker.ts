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
import type { WorkerReport } from "./MultiProcess.js"
import { done, readyThenGo, runWorker, spec } from "./workerProtocol.js"

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

const accounts = Array.from({ length: spec.count }, (_, i) => `${spec.accountPrefix}${spec.from + i}`)

const program = Effect.gen(function*() {
  const tags = yield* PushTags.PushTags
  // Warm the process up (JIT, connections) so that the measured run is not dominated by start-up stalls.
  if (spec.warmUp !== undefined && spec.warmUp > 0) yield* tags.getTagsMany(accounts.slice(0, spec.warmUp))
  yield* readyThenGo
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
  yield* done(report)
})

runWorker(program.pipe(Effect.provide(Live), Effect.provide(Logger.layer([countingLogger]))))
