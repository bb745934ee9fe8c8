/**
 * One worker process of the soak, started by the runner (`supervisor.ts`) with its spec in `TIMTAGS_SOAK_WORKER`
 * and the client's settings in the `TIM_*` variables, as an application would take them. It builds the client
 * with the Redis limiter, warms up, says "ready", and on "go" runs its reads and writes, sending a sample every
 * `sampleMillis`, until "stop"; then it sends its report and exits.
 */
import * as Client from "@timtags/core/Client"
import * as TimConfig from "@timtags/core/TimConfig"
import * as NodePlatform from "@timtags/platform-node/NodePlatform"
import * as RedisRateLimit from "@timtags/ratelimit-redis/RedisRateLimit"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import { specVariable, type WorkerSpec } from "../protocol.js"
import { awaitMessage, send } from "./ipc.js"
import * as Lookups from "./lookups.js"
import * as Recorder from "./recorder.js"
import * as Sampler from "./sampler.js"
import * as Writes from "./writes.js"

const spec = JSON.parse(process.env[specVariable] ?? "null") as WorkerSpec | null
if (spec === null || process.send === undefined) {
  console.error(`the soak's worker is started by its runner (needs ${specVariable} and an IPC channel)`)
  process.exit(2)
}

/** Warnings and errors the client logs (a Redis outage logs one), counted by message and shown on stderr. */
const warnings: Record<string, number> = {}
const countingLogger = Logger.make(({ logLevel, message }) => {
  if (!LogLevel.isGreaterThanOrEqualTo(logLevel, "Warn")) return
  const text = `${logLevel}: ${Array.isArray(message) ? message.join(" ") : String(message)}`
  warnings[text] = (warnings[text] ?? 0) + 1
  console.error(`[worker ${spec.id}] ${new Date().toISOString()} ${text}`)
})

const Live = Client.layer({
  rateLimit: RedisRateLimit.layer({ url: spec.redisUrl, prefix: spec.redisPrefix })
}).pipe(Layer.provide(TimConfig.layerConfig()), Layer.provide(NodePlatform.layer))

const program = Effect.gen(function*() {
  const recorder = Recorder.make()
  if (spec.warmUp) yield* Lookups.warmUp
  const sampler = Sampler.make(recorder)
  yield* send({ type: "ready" })
  yield* awaitMessage("go")
  const sampling = yield* Effect.forkChild(
    Effect.forever(Effect.andThen(
      Effect.sleep(spec.sampleMillis),
      Effect.suspend(() => send({ type: "sample", sample: sampler.sample() }))
    ))
  )
  const reading = yield* Effect.forkChild(Lookups.run(spec, recorder))
  const written = yield* Writes.run(spec, recorder, (round) => send({ type: "round", round }))
  yield* awaitMessage("stop")
  // Every read ends with the request it is in; one that never ends shows as pending.
  yield* Effect.timeoutOption(Fiber.join(reading), "60 seconds")
  yield* Fiber.interrupt(sampling)
  const { requests } = recorder.tally()
  yield* send({
    type: "done",
    sample: sampler.sample(),
    report: {
      ...written,
      pending: requests.issued - requests.resolved,
      lagP99Millis: sampler.lagP99(),
      warnings
    }
  })
})

Effect.runPromise(program.pipe(Effect.provide(Live), Effect.provide(Logger.layer([countingLogger]))))
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(`[worker ${spec.id}] failed: ${String(error)}`)
    process.exit(1)
  })
