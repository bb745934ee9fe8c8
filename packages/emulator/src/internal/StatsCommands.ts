/**
 * The read-only statistics commands (1 call/s each): `all_member_push_statistics`, `_loss` and `_trace` over
 * the emulator's pushes (every kind: Tencent's `Push.AllMemberPush` callback covers all, tag and single
 * pushes), and `normal_push_statistics`, `_loss` and `_trace` for chat-message pushes, which the emulator
 * never makes (zero counts, empty lists). Times are unix seconds; a window is at most 30 days (7 for loss), at
 * most 5 `TaskID`s are asked at once, and traces go back 7 days. A success says `ErrorInfo: "sucess"` (sic),
 * as Tencent's samples do; a bad request gets 90001 naming the problem.
 */
import { ErrorCode } from "../ErrorCodes.js"
import { type Command, type CommandContext, declare, isObject, isStringArray } from "./Command.js"
import { type Envelope, fail, ok } from "./Envelope.js"
import type { Entry } from "./PushBook.js"
import * as PushFigures from "./PushFigures.js"

type Body = Readonly<Record<string, unknown>>

const dayMillis = 86_400_000

/** At most this many `TaskID`s per statistics or loss call. */
export const maxTaskIds = 5

/** A statistics answer: `ErrorInfo` is "sucess", as Tencent spells it. */
const sucess = (fields: Readonly<Record<string, unknown>>): Envelope => ({ ...ok(fields), ErrorInfo: "sucess" })

const statsCommand = (name: string, run: (body: Body, context: CommandContext) => Envelope): Command =>
  declare({ name, rateLimit: 1, parse: (body) => (isObject(body) ? body : undefined), run })

/** The pushes a `{StartTime, EndTime, TaskID?}` body asks about, or what is wrong with it. */
const windowed = (body: Body, maxDays: number, entries: ReadonlyArray<Entry>): ReadonlyArray<Entry> | string => {
  const { EndTime, StartTime } = body
  if (!Number.isInteger(StartTime) || !Number.isInteger(EndTime)) return "StartTime and EndTime must be unix seconds"
  const [start, end] = [(StartTime as number) * 1000, (EndTime as number) * 1000 + 999]
  if (start > end) return "StartTime is later than EndTime"
  if (end - start > maxDays * dayMillis) return `the time range exceeds ${maxDays} days`
  return entries.filter((entry) => entry.record.at >= start && entry.record.at <= end)
}

/** The `TaskID` list of a body (absent: none), or what is wrong with it. */
const taskIds = (body: Body): ReadonlyArray<string> | string =>
  body.TaskID === undefined
    ? []
    : isStringArray(body.TaskID) && body.TaskID.length <= maxTaskIds
    ? body.TaskID
    : `TaskID must be an Array of at most ${maxTaskIds} Strings`

/** The pushes the body asks about, grouped by the `TaskID`s it names (one group of all when it names none). */
const groups = (body: Body, maxDays: number, { pushes }: CommandContext) => {
  const ids = taskIds(body)
  const entries = windowed(body, maxDays, pushes.entries())
  if (typeof ids === "string") return ids
  if (typeof entries === "string") return entries
  return ids.length === 0
    ? [{ taskId: undefined, entries }]
    : ids.map((taskId) => ({ taskId, entries: entries.filter((entry) => entry.record.taskId === taskId) }))
}

/** `all_member_push_statistics`: `{StartTime, EndTime, TaskID?}` → `Results` (one per TaskID, or one overall). */
export const allMemberPushStatistics: Command = statsCommand("all_member_push_statistics", (body, context) => {
  const found = groups(body, 30, context)
  return typeof found === "string"
    ? fail(ErrorCode.BodyInvalid, found)
    : sucess({
      Results: found.map(({ entries, taskId }) => ({
        ...(taskId === undefined ? {} : { TaskID: taskId }),
        ...PushFigures.statistics(entries)
      }))
    })
})

/** `all_member_push_loss`: `{StartTime, EndTime, TaskID?}` → the loss lists, over the tasks asked. */
export const allMemberPushLoss: Command = statsCommand("all_member_push_loss", (body, context) => {
  const found = groups(body, 7, context)
  return typeof found === "string"
    ? fail(ErrorCode.BodyInvalid, found)
    : sucess(PushFigures.loss(found.flatMap((group) => group.entries)))
})

/** A trace body: `{[taskKey]: String, UserID: String}`. */
const traceOf = (body: Body, taskKey: string): { readonly task: string; readonly user: string } | string =>
  typeof body[taskKey] === "string" && typeof body.UserID === "string"
    ? { task: body[taskKey], user: body.UserID }
    : `${taskKey} and UserID must be Strings`

/** `all_member_push_trace`: `{TaskID, UserID}` → `InstanceTrace` (empty for a push older than 7 days). */
export const allMemberPushTrace: Command = statsCommand("all_member_push_trace", (body, { pushes, timer }) => {
  const request = traceOf(body, "TaskID")
  if (typeof request === "string") return fail(ErrorCode.BodyInvalid, request)
  const entry = pushes.find(request.task)
  const recent = entry !== undefined && timer.now() - entry.record.at <= 7 * dayMillis ? entry : undefined
  return sucess({ InstanceTrace: PushFigures.trace(recent, request.user) })
})

/** `normal_push_statistics`: `{StartTime, EndTime}` → zero counts (the emulator sends no chat messages). */
export const normalPushStatistics: Command = statsCommand("normal_push_statistics", (body) => {
  const entries = windowed(body, 30, [])
  return typeof entries === "string"
    ? fail(ErrorCode.BodyInvalid, entries)
    : sucess(PushFigures.statistics(entries))
})

/** `normal_push_loss`: `{StartTime, EndTime}` → empty loss lists. */
export const normalPushLoss: Command = statsCommand("normal_push_loss", (body) => {
  const entries = windowed(body, 7, [])
  return typeof entries === "string" ? fail(ErrorCode.BodyInvalid, entries) : sucess(PushFigures.loss(entries))
})

/** `normal_push_trace`: `{PushID, UserID}` → an empty `InstanceTrace`. */
export const normalPushTrace: Command = statsCommand("normal_push_trace", (body) => {
  const request = traceOf(body, "PushID")
  return typeof request === "string"
    ? fail(ErrorCode.BodyInvalid, request)
    : sucess({ InstanceTrace: PushFigures.trace(undefined, request.user) })
})
