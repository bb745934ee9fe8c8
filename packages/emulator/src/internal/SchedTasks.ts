/**
 * The scheduled tasks: each waits, `pending`, until the emulator's `Clock` reaches its `SchedAt`, and is then
 * dispatched (it becomes a push, or fails). A timer is set for every due time a task is given; one that fires
 * for a task deleted, moved or no longer pending does nothing. Only pending tasks change.
 */
import type { ScheduledTaskRecord, ScheduledTaskType } from "../Pushes.js"
import type { Condition } from "./Condition.js"
import type { Timer } from "./Timer.js"

/** A task's `Content`, checked: as sent (with a `MsgRandom`), and the parts a dispatch needs. */
export interface TaskContent {
  readonly raw: Readonly<Record<string, unknown>>
  readonly msgRandom: number
  readonly fromAccount: string | undefined
  readonly condition: Condition | undefined
  readonly accounts: ReadonlyArray<string>
  readonly offlinePushInfo: unknown
}

/** What dispatching a task gave: the push it became, or why it failed. */
export type Dispatched = { readonly pushTaskId: string } | { readonly error: string }

/** The tasks. */
export interface SchedTasks {
  readonly add: (type: ScheduledTaskType, schedAt: number, content: TaskContent) => ScheduledTaskRecord
  readonly find: (taskId: number) => ScheduledTaskRecord | undefined
  /** Changes a pending task's due time and/or content. */
  readonly modify: (taskId: number, change: { readonly schedAt?: number; readonly content?: TaskContent }) => void
  readonly remove: (taskId: number) => void
  readonly all: () => ReadonlyArray<ScheduledTaskRecord>
}

/** No tasks yet; `dispatch` turns a due task into a push. */
export const make = (
  timer: Timer,
  dispatch: (task: ScheduledTaskRecord, content: TaskContent) => Dispatched
): SchedTasks => {
  let lastId = 100000
  const tasks = new Map<number, { record: ScheduledTaskRecord; content: TaskContent }>()

  const due = (taskId: number, schedAt: number) =>
    timer.at(schedAt, () => {
      const task = tasks.get(taskId)
      if (task === undefined || task.record.status !== "pending" || task.record.schedAt !== schedAt) return
      const result = dispatch(task.record, task.content)
      task.record = "error" in result
        ? { ...task.record, status: "failed", dispatchError: result.error }
        : { ...task.record, status: "dispatched", pushTaskId: result.pushTaskId }
    })

  return {
    add: (type, schedAt, content) => {
      const record: ScheduledTaskRecord = {
        taskId: ++lastId,
        type,
        createdAt: timer.now(),
        schedAt,
        content: content.raw,
        status: "pending",
        pushTaskId: undefined,
        dispatchError: undefined
      }
      tasks.set(record.taskId, { record, content })
      due(record.taskId, schedAt)
      return record
    },
    find: (taskId) => tasks.get(taskId)?.record,
    modify: (taskId, change) => {
      const task = tasks.get(taskId)!
      const content = change.content ?? task.content
      task.content = content
      task.record = { ...task.record, schedAt: change.schedAt ?? task.record.schedAt, content: content.raw }
      if (change.schedAt !== undefined) due(taskId, change.schedAt)
    },
    remove: (taskId) => {
      tasks.delete(taskId)
    },
    all: () => Array.from(tasks.values(), (task) => task.record)
  }
}
