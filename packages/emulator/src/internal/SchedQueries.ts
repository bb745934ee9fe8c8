/**
 * The scheduled-task queries, `v4/timpush/get_sched_task` (one task's `TaskInfo`) and `list_sched_task` (a page
 * of tasks whose `SchedAt` lies in `[BeginTime, EndTime]`, at most 30 days apart, optionally with a `Keyword`
 * in the title or description, ordered by `createAt` or `schedAt`, either spelling's case).
 */
import type { ScheduledTaskRecord } from "../Pushes.js"
import { type Command, isObject } from "./Command.js"
import { ok } from "./Envelope.js"
import { invalid, noSuchTask, schedCommand, taskOf } from "./SchedCommands.js"
import * as SchedTime from "./SchedTime.js"

const text = (info: unknown, key: string) => {
  const value = isObject(info) ? info[key] : undefined
  return typeof value === "string" ? value : ""
}

/** A task as `get_sched_task` and `list_sched_task` show it. */
const taskInfo = (task: ScheduledTaskRecord, sdkAppId: number) => {
  const offlinePushInfo = isObject(task.content) ? task.content.OfflinePushInfo : undefined
  return {
    TaskID: task.taskId,
    Sdkappid: sdkAppId,
    CreateAt: SchedTime.format(task.createdAt),
    Type: task.type,
    SchedAt: SchedTime.format(task.schedAt),
    Content: task.content,
    Title: text(offlinePushInfo, "Title"),
    Desc: text(offlinePushInfo, "Desc"),
    Status: task.status,
    DispatchSuccess: task.status === "dispatched" ? 1 : 0,
    DispatchErr: task.dispatchError ?? "",
    PushTaskID: task.pushTaskId ?? ""
  }
}

/** `get_sched_task`: `{Sdkappid, TaskID}` → `TaskInfo`. */
export const getSchedTask: Command = schedCommand("get_sched_task", (body, { schedule, sdkAppId }) => {
  const task = taskOf(body, schedule)
  return task === undefined ? invalid(noSuchTask) : ok({ TaskInfo: taskInfo(task, sdkAppId) })
})

/** The longest `[BeginTime, EndTime]` span `list_sched_task` takes (Tencent: "the system's maximum", not given). */
export const maxListSpanMillis = 30 * 86_400_000

const orders: Record<string, (task: ScheduledTaskRecord) => number> = {
  createat: (task) => task.createdAt,
  schedat: (task) => task.schedAt
}

interface ListRequest {
  readonly offset: number
  readonly want: number
  readonly order: (task: ScheduledTaskRecord) => number
  readonly asc: boolean
  readonly begin: number
  readonly end: number
  readonly keyword: string
}

/** The request a `list_sched_task` body makes, or what is wrong with it. */
const listRequest = (body: Readonly<Record<string, unknown>>): ListRequest | string => {
  const { Asc, Keyword, Offset, OrderBy, Want } = body
  if (!Number.isInteger(Offset) || (Offset as number) < 0) return "Offset must be an Integer >= 0"
  if (!Number.isInteger(Want) || (Want as number) <= 0) return "Want must be an Integer > 0"
  const order = typeof OrderBy === "string" ? orders[OrderBy.toLowerCase()] : undefined
  if (order === undefined) return "OrderBy must be createAt or schedAt"
  if (typeof Asc !== "boolean") return "Asc must be a Boolean"
  if (Keyword !== undefined && typeof Keyword !== "string") return "Keyword must be a String"
  const begin = SchedTime.parse(body.BeginTime)
  const end = SchedTime.parse(body.EndTime)
  if (begin === undefined || end === undefined) return "BeginTime and EndTime must be \"YYYY-MM-DD HH:MM:SS\" (UTC)"
  if (begin > end) return "BeginTime is later than EndTime"
  if (end - begin > maxListSpanMillis) return "the time range exceeds 30 days"
  return { offset: Offset as number, want: Want as number, order, asc: Asc, begin, end, keyword: Keyword ?? "" }
}

/** `list_sched_task`: `{Sdkappid, Offset, Want, OrderBy, Asc, BeginTime, EndTime, Keyword?}` → `{Total, Tasks}`. */
export const listSchedTask: Command = schedCommand("list_sched_task", (body, { schedule, sdkAppId }) => {
  const request = listRequest(body)
  if (typeof request === "string") return invalid(request)
  const { asc, begin, end, keyword, offset, order, want } = request
  const tasks = schedule.all()
    .filter((task) => task.schedAt >= begin && task.schedAt <= end)
    .sort((a, b) => (order(a) - order(b) || a.taskId - b.taskId) * (asc ? 1 : -1))
    .map((task) => taskInfo(task, sdkAppId))
    .filter((info) => info.Title.includes(keyword) || info.Desc.includes(keyword))
  return ok({ Total: tasks.length, Tasks: tasks.slice(offset, offset + want) })
})
