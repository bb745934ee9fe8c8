/** `PushStats` through the emulator: the funnel, the loss and one account's trace of a push; windows checked. */
import { describe, expect, it } from "@effect/vitest"
import * as Push from "@timtags/core/Push"
import * as PushStats from "@timtags/core/PushStats"
import * as Target from "@timtags/core/Target"
import * as Effect from "effect/Effect"
import * as Harness from "./support/Harness.js"

const day = 24 * 60 * 60 * 1000

describe("PushStats (through the emulator)", () => {
  it.live("statistics, loss and trace of a push to listed accounts", () =>
    Effect.gen(function*() {
      const push = yield* Push.Push
      const receipt = yield* push.send(Target.accounts(["alice", "bob", "ghost"]), { Title: "Hi" })
      const taskId = receipt.tasks[0]!.taskId
      const stats = yield* PushStats.PushStats
      const window = { from: new Date(Date.now() - day), to: new Date(Date.now() + 60_000) }
      const [funnel] = yield* stats.statistics({ ...window, taskIds: [taskId] })
      expect(funnel).toMatchObject({ TaskID: taskId, TotalCount: 3, SentCount: 2, DeliveredCount: 2 })
      const loss = yield* stats.loss(window)
      expect(loss.readyToSend).toEqual([{ ErrCode: "70107", ErrCount: 1, ErrInfo: "account does not exist" }])
      expect(yield* stats.trace(taskId, "alice")).toHaveLength(1)
      expect(yield* stats.trace(taskId, "ghost")).toHaveLength(0)
      expect(yield* stats.messageStatistics(window)).toMatchObject({ TotalCount: 0 })
    }).pipe(Effect.provide(Harness.client())), 10_000)

  it.live("windows and task ids are checked before the call", () =>
    Effect.gen(function*() {
      const stats = yield* PushStats.PushStats
      const now = Date.now()
      const long = yield* Effect.flip(stats.statistics({ from: new Date(now - 31 * day), to: new Date(now) }))
      expect(long).toMatchObject({ _tag: "TimValidationError", field: "window" })
      const lossWindow = yield* Effect.flip(stats.loss({ from: new Date(now - 8 * day), to: new Date(now) }))
      expect(lossWindow._tag).toBe("TimValidationError")
      const six = Array.from({ length: 6 }, (_, i) => `t${i}`)
      const tooMany = yield* Effect.flip(
        stats.statistics({ from: new Date(now - day), to: new Date(now), taskIds: six })
      )
      expect(tooMany).toMatchObject({ _tag: "TimValidationError", field: "taskIds" })
      const backwards = yield* Effect.flip(stats.statistics({ from: new Date(now), to: new Date(now - day) }))
      expect(backwards._tag).toBe("TimValidationError")
    }).pipe(Effect.provide(Harness.client())))
})
