/**
 * Dispatching a due scheduled task: it becomes a push (`kind: "scheduled"`) to the recipients its content
 * resolves to at that moment. An All or Tag task counts against the daily quota (it fails, `90047`, when the
 * quota is used up) and as the last push for the interval, but is not refused by the interval itself: the
 * service chose its time. A User task is a `batch`: no quota, a `batch_` TaskId, not revocable.
 */
import { info } from "../ErrorCodes.js"
import type { ScheduledTaskRecord } from "../Pushes.js"
import type { CommandContext } from "./Command.js"
import * as Condition from "./Condition.js"
import { listed } from "./PushCommands.js"
import type { Dispatched, TaskContent } from "./SchedTasks.js"

/** Dispatches the task in the app `context` describes. */
export const dispatch = (context: CommandContext, task: ScheduledTaskRecord, content: TaskContent): Dispatched => {
  const now = context.timer.now()
  const toUsers = task.type === "User"
  if (!toUsers) {
    const code = context.pacing.refusal(now, false)
    if (code !== undefined) return { error: `${code} ${info(code)}` }
    context.pacing.count(now)
  }
  const { missing, recipients } = toUsers
    ? listed(context.store, content.accounts)
    : { missing: [], recipients: Condition.resolve(content.condition, context.store, context.attrs) }
  const record = context.pushes.add({
    kind: "scheduled",
    msgRandom: content.msgRandom,
    at: now,
    fromAccount: content.fromAccount,
    condition: content.raw.Condition,
    recipients,
    offlinePushInfo: content.offlinePushInfo,
    batchId: toUsers,
    missing,
    revocable: !toUsers
  })
  return { pushTaskId: record.taskId }
}
