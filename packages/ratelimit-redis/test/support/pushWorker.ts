/**
 * A worker process that pushes (started by `MultiProcess.runWorkers` with `script: pushWorkerScript`): builds the
 * client with the Redis limiter, says "ready", waits for "go", sends `count` pushes to all users one after the
 * other (with the daily quota `limit`, when given) and reports: `found` pushes accepted, failures by error tag.
 */
import * as Client from "@timtags/core/Client"
import * as Push from "@timtags/core/Push"
import * as Target from "@timtags/core/Target"
import * as TimConfig from "@timtags/core/TimConfig"
import * as NodePlatform from "@timtags/platform-node/NodePlatform"
import * as RedisRateLimit from "@timtags/ratelimit-redis/RedisRateLimit"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { WorkerReport } from "./MultiProcess.js"
import { done, readyThenGo, runWorker, spec } from "./workerProtocol.js"

const Live = Client.layer({
  rateLimit: RedisRateLimit.layer({ url: spec.redisUrl, prefix: spec.prefix }),
  ...(spec.limit === undefined ? {} : { push: { dailyQuota: spec.limit } })
}).pipe(
  Layer.provide(TimConfig.layer({ sdkAppId: spec.sdkAppId, secretKey: spec.secretKey, baseUrl: spec.baseUrl })),
  Layer.provide(NodePlatform.layer)
)

const program = Effect.gen(function*() {
  const push = yield* Push.Push
  yield* readyThenGo
  const startedAt = Date.now()
  let found = 0
  const errors: Record<string, number> = {}
  for (let i = 0; i < spec.count; i++) {
    const sent = yield* Effect.result(push.send(Target.allUsers, { Title: `push ${spec.id}.${i}` }))
    if (sent._tag === "Success") found += 1
    else errors[sent.failure._tag] = (errors[sent.failure._tag] ?? 0) + 1
  }
  const report: WorkerReport = {
    id: spec.id,
    accounts: spec.count,
    found,
    errors,
    startedAt,
    endedAt: Date.now(),
    warnings: []
  }
  yield* done(report)
})

runWorker(program.pipe(Effect.provide(Live)))
