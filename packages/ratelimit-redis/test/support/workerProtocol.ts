/**
 * What every worker process of `MultiProcess.runWorkers` shares: its spec (the `TIMTAGS_WORKER` environment
 * variable), the messages to its parent ("ready", then waiting for "go", then "done" with its report), and how
 * it ends (exit 0 once the report is sent, 1 with the error otherwise).
 */
import * as Effect from "effect/Effect"
import type { WorkerMessage, WorkerReport, WorkerSpec } from "./MultiProcess.js"

const parsed = JSON.parse(process.env.TIMTAGS_WORKER ?? "null") as WorkerSpec | null
if (parsed === null || process.send === undefined) {
  console.error("a worker is started by MultiProcess.runWorkers (needs TIMTAGS_WORKER and an IPC channel)")
  process.exit(2)
}

/** This worker's spec. */
export const spec: WorkerSpec = parsed

const send = (message: WorkerMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()))

/** Tells the parent this worker is ready, and waits for its "go". */
export const readyThenGo: Effect.Effect<void> = Effect.andThen(
  Effect.promise(() => send({ type: "ready", id: spec.id })),
  Effect.callback<void>((resume) => {
    const onMessage = (message: unknown) => {
      if ((message as WorkerMessage | undefined)?.type === "go") resume(Effect.void)
    }
    process.on("message", onMessage)
    return Effect.sync(() => process.off("message", onMessage))
  })
)

/** Sends the report. */
export const done = (report: WorkerReport): Effect.Effect<void> => Effect.promise(() => send({ type: "done", report }))

/** Runs the worker's program and exits: 0 once it ends, 1 with its error. */
export const runWorker = <E>(program: Effect.Effect<void, E>): void => {
  Effect.runPromise(program)
    .then(() => process.exit(0))
    .catch((error) => {
      console.error(`[worker ${spec.id}] failed: ${String(error)}`)
      process.exit(1)
    })
}
