/**
 * `PushSchedule` through the emulator: add, get, list page by page, modify and cancel pending tasks;
 * UTC times and Integer task ids; what Tencent refuses checked before the call; an add whose outcome is
 * unknown is not resent.
 */
import { describe, expect, it } from "@effect/vitest"
import * as PushSchedule from "@timtags/core/PushSchedule"
import * as Target from "@timtags/core/Target"
import { Emulator } from "@timtags/emulator"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Harness from "./support/Harness.js"

const hour = 60 * 60 * 1000
const inHours = (n: number) => new Date(Math.floor((Date.now() + n * hour) / 1000) * 1000)
const notice = { Title: "Reminder", Desc: "Your trial ends tomorrow" }
const tasks = Effect.flatMap(Emulator.Emulator, (emu) => emu.scheduledTasks)
const calls = (command: string) =>
  Effect.map(Effect.flatMap(Emulator.Emulator, (emu) => emu.calls), (all) => all.filter((c) => c.command === command))

describe("PushSchedule (through the emulator)", () => {
  it.live("add, get, list page by page, modify, cancel", () =>
    Effect.gen(function*() {
      const schedule = yield* PushSchedule.PushSchedule
      const at = inHours(2)
      const task = yield* schedule.add(at, Target.tags({ or: ["gold", "silver"] }), notice)
      expect(task.type).toBe("Tag")
      expect(Number.isInteger(task.taskId)).toBe(true)
      yield* schedule.add(inHours(3), Target.allUsers, { Title: "Two" })
      yield* schedule.add(inHours(4), Target.accounts(["alice", "bob"]), { Title: "Three" })
      const info = yield* schedule.get(task.taskId)
      expect(info).toMatchObject({ taskId: task.taskId, type: "Tag", status: "pending", title: "Reminder" })
      expect(info.schedAt.getTime()).toBe(at.getTime())
      expect((yield* tasks)[0]!.content).toMatchObject({ Condition: { TagsOr: ["gold", "silver"] } })
      const listed = yield* Stream.runCollect(schedule.list({ from: inHours(1), to: inHours(5), pageSize: 2 }))
      expect(listed.map((t) => t.title)).toEqual(["Reminder", "Two", "Three"])
      expect(yield* calls("list_sched_task")).toHaveLength(2)
      const later = inHours(6)
      yield* schedule.modify(task, { at: later })
      expect((yield* schedule.get(task.taskId)).schedAt.getTime()).toBe(later.getTime())
      yield* schedule.modify(task, { notification: { Title: "New" }, target: Target.tags({ and: ["gold"] }) })
      expect((yield* schedule.get(task.taskId)).title).toBe("New")
      yield* schedule.cancel(task)
      const gone = yield* Effect.flip(schedule.get(task.taskId))
      expect(gone).toMatchObject({ _tag: "TimApiError", code: 90104 })
      expect((yield* tasks).map((t) => t.taskId)).not.toContain(task.taskId)
    }).pipe(Effect.provide(Harness.client())))

  it.live("refused before the call: a time in the past, attributes, 501 accounts, a new notification without its target", () =>
    Effect.gen(function*() {
      const schedule = yield* PushSchedule.PushSchedule
      const past = yield* Effect.flip(schedule.add(new Date(Date.now() - 1000), Target.allUsers, notice))
      expect(past).toMatchObject({ _tag: "TimValidationError", field: "at" })
      const byAttr = yield* Effect.flip(schedule.add(inHours(1), Target.attrs({ and: { city: "x" } }) as never, notice))
      expect(byAttr._tag).toBe("TimValidationError")
      const many = Array.from({ length: 501 }, (_, i) => `s${i}`)
      const tooMany = yield* Effect.flip(schedule.add(inHours(1), Target.accounts(many), notice))
      expect(tooMany._tag).toBe("TimValidationError")
      const empty = yield* Effect.flip(schedule.add(inHours(1), Target.tags({}), notice))
      expect(empty._tag).toBe("TimValidationError")
      const task = yield* schedule.add(inHours(1), Target.tags({ and: ["gold"] }), notice)
      const noTarget = yield* Effect.flip(schedule.modify(task, { notification: { Title: "x" } }))
      expect(noTarget).toMatchObject({ _tag: "TimValidationError", field: "target" })
      const invalid = yield* Effect.flip(Stream.runCollect(schedule.list({ from: new Date("x"), to: inHours(1) })))
      expect(invalid).toMatchObject({ _tag: "TimValidationError", field: "from" })
      expect(yield* calls("list_sched_task")).toHaveLength(0)
      expect(yield* calls("modify_sched_task")).toHaveLength(0)
      expect(yield* calls("add_sched_task")).toHaveLength(1)
    }).pipe(Effect.provide(Harness.client())))

  it.live("an add refused for its frequency is resent up to push.maxAttempts, as a push is", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      yield* emu.injectFault({ command: "add_sched_task", fault: { _tag: "ErrorCode", code: 60007 }, times: 5 })
      const schedule = yield* PushSchedule.PushSchedule
      const error = yield* Effect.flip(schedule.add(inHours(1), Target.allUsers, notice))
      expect(error).toMatchObject({ _tag: "TimApiError", code: 60007 })
      expect(yield* calls("add_sched_task")).toHaveLength(2)
      expect(yield* tasks).toHaveLength(0)
    }).pipe(Effect.provide(Harness.client({ client: { push: { maxAttempts: 2 } } }))))

  it.live("an add whose answer is lost is not resent: one task, and a typed outcome-unknown error", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      yield* emu.injectFault({ command: "add_sched_task", fault: { _tag: "AcceptThenDrop" } })
      const schedule = yield* PushSchedule.PushSchedule
      const error = yield* Effect.flip(schedule.add(inHours(1), Target.allUsers, notice))
      expect(error).toMatchObject({ _tag: "TimOutcomeUnknownError", command: "timpush/add_sched_task" })
      expect(yield* tasks).toHaveLength(1)
      expect(yield* calls("add_sched_task")).toHaveLength(1)
    }).pipe(Effect.provide(Harness.client())))
})
