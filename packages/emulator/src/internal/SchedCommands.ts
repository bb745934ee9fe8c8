/**
 * The scheduled-task commands that change tasks, `v4/timpush/{add,modify,delete}_sched_task`, and what every
 * scheduled-task command shares (5 calls/s each): the body's `Sdkappid` must equal the URL's, `TaskID` is an
 * Integer, times are `"YYYY-MM-DD HH:MM:SS"` UTC, and only pending tasks change (90107). Every other refusal is
 * 90104 with an `ErrorInfo` naming the problem.
 */
import { ErrorCode } from "../ErrorCodes.js"
import type { ScheduledTaskRecord, ScheduledTaskType } from "../Pushes.js"
import { type Command, type CommandContext, declare, isObject } from "./Command.js"
import { type Envelope, fail, ok } from "./Envelope.js"
import * as SchedContent from "./SchedContent.js"
import type { SchedTasks } from "./SchedTasks.js"
import * as SchedTime from "./SchedTime.js"

type Body = Readonly<Record<string, unknown>>

/** A 90104 naming the problem. */
export const invalid = (text: string) => fail(ErrorCode.SchedInvalid, text)

/** How many accounts a body's `Content.To_Account` lists. */
const contentAccounts = (body: Body) =>
  isObject(body.Content) && Array.isArray(body.Content.To_Account) ? body.Content.To_Account.length : 0

/** A scheduled-task command: an object body whose `Sdkappid` is checked before `run`. */
export const schedCommand = (name: string, run: (body: Body, context: CommandContext) => Envelope): Command =>
  declare({
    name,
    rateLimit: 5,
    maxAccounts: SchedContent.maxTaskAccounts,
    parse: (body) => (isObject(body) ? body : undefined),
    accounts: contentAccounts,
    run: (body, context) =>
      body.Sdkappid === context.sdkAppId ? run(body, context) : invalid("Sdkappid must equal the sdkappid of the URL")
  })

const typeOf = (u: unknown): ScheduledTaskType | undefined => SchedContent.taskTypes.find((type) => type === u)

/** The due time a body gives, or what is wrong with it. */
const schedAtOf = (u: unknown, { timer }: CommandContext): number | string => {
  const at = SchedTime.parse(u)
  return at === undefined
    ? "SchedAt must be \"YYYY-MM-DD HH:MM:SS\" (UTC)"
    : at < timer.now()
    ? "SchedAt is in the past"
    : at
}

/** `add_sched_task`: `{Sdkappid, Type, SchedAt, Content}` → `{TaskID}`. */
export const addSchedTask: Command = schedCommand("add_sched_task", (body, context) => {
  const type = typeOf(body.Type)
  if (type === undefined) return invalid("Type must be All, Tag or User")
  const schedAt = schedAtOf(body.SchedAt, context)
  if (typeof schedAt === "string") return invalid(schedAt)
  const content = SchedContent.check(type, body.Content, context.attrs, context.schedule.all().length)
  if (typeof content === "string") return invalid(content)
  return ok({ TaskID: context.schedule.add(type, schedAt, content).taskId })
})

/** The refusal of a `TaskID` no task has. */
export const noSuchTask = "no task has this TaskID"

/** The task the body's `TaskID` names, if any. */
export const taskOf = (body: Body, schedule: SchedTasks): ScheduledTaskRecord | undefined =>
  Number.isInteger(body.TaskID) ? schedule.find(body.TaskID as number) : undefined

/** The task a body names, checked to exist, be of the body's `Type` and be pending; or the refusal. */
const pendingTask = (body: Body, { schedule }: CommandContext, verb: string): ScheduledTaskRecord | Envelope => {
  const task = taskOf(body, schedule)
  if (task === undefined) return invalid(noSuchTask)
  if (body.Type !== task.type) return invalid("Type must be the task's type")
  return task.status === "pending" ? task : fail(ErrorCode.SchedNotPending, `${verb} failed: task ${task.status}`)
}

const isTask = (u: ScheduledTaskRecord | Envelope): u is ScheduledTaskRecord => "taskId" in u

/** `modify_sched_task`: `{Sdkappid, TaskID, Type, SchedAt?, Content?}` changes a pending task. */
export const modifySchedTask: Command = schedCommand("modify_sched_task", (body, context) => {
  const task = pendingTask(body, context, "modify")
  if (!isTask(task)) return task
  const schedAt = body.SchedAt === undefined ? undefined : schedAtOf(body.SchedAt, context)
  if (typeof schedAt === "string") return invalid(schedAt)
  const content = body.Content === undefined
    ? undefined
    : SchedContent.check(task.type, body.Content, context.attrs, context.schedule.all().length)
  if (typeof content === "string") return invalid(content)
  context.schedule.modify(task.taskId, {
    ...(schedAt === undefined ? {} : { schedAt }),
    ...(content === undefined ? {} : { content })
  })
  return ok({ TaskID: task.taskId })
})

/** `delete_sched_task`: `{Sdkappid, TaskID, Type}` deletes a pending task → `{TaskID}`. */
export const deleteSchedTask: Command = schedCommand("delete_sched_task", (body, context) => {
  const task = pendingTask(body, context, "delete")
  if (!isTask(task)) return task
  context.schedule.remove(task.taskId)
  return ok({ TaskID: task.taskId })
})
