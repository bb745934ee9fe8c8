/**
 * The worker's side of the IPC channel: sending messages to the runner, and the runner's "go" and "stop" as
 * Effects (each resolves at once if the message already came).
 */
import * as Effect from "effect/Effect"
import type { RunnerMessage, WorkerMessage } from "../protocol.js"

const received = new Set<RunnerMessage["type"]>()
const waiting = new Map<RunnerMessage["type"], Set<() => void>>()

process.on("message", (message: RunnerMessage) => {
  received.add(message.type)
  for (const resume of waiting.get(message.type) ?? []) resume()
  waiting.delete(message.type)
})

/** Sends a message; resolves once it is written. */
export const send = (message: WorkerMessage): Effect.Effect<void> =>
  Effect.callback<void>((resume) => {
    process.send!(message, () => resume(Effect.void))
  })

/** Resolves when the runner has sent `type`. */
export const awaitMessage = (type: RunnerMessage["type"]): Effect.Effect<void> =>
  Effect.callback<void>((resume) => {
    if (received.has(type)) return resume(Effect.void)
    const done = () => resume(Effect.void)
    const set = waiting.get(type) ?? new Set()
    set.add(done)
    waiting.set(type, set)
    return Effect.sync(() => set.delete(done))
  })

/** Whether the runner asked this worker to stop. */
export const stopRequested = (): boolean => received.has("stop")
