/**
 * The `Content` of a scheduled task, checked against its `Type` (spec beyond-tags §3.4): shaped like a push
 * body for `All` (no `Condition`) and `Tag` (a `Condition` naming tags, under the push rules), like a `batch`
 * body for `User` (`To_Account`, 1 to 500 accounts). `OfflinePushInfo` is required; `MsgRandom` is optional
 * and filled in when missing. A refusal is the `ErrorInfo` of a 90104.
 */
import type { ScheduledTaskType } from "../Pushes.js"
import type { Attributes } from "./Attributes.js"
import { isObject, isStringArray, isUint32 } from "./Command.js"
import * as Condition from "./Condition.js"
import type { TaskContent } from "./SchedTasks.js"

/** The task types. */
export const taskTypes: ReadonlyArray<ScheduledTaskType> = ["All", "Tag", "User"]

/** Accounts a `User` task may list. */
export const maxTaskAccounts = 500

/** A `MsgRandom` for a task that has none, derived from the task count so that tasks differ. */
const filledMsgRandom = (seed: number) => Math.imul(seed + 1, 2246822519) >>> 0

/** What is wrong with the content's target for its type, or the condition / accounts it names. */
const targetOf = (type: ScheduledTaskType, content: Readonly<Record<string, unknown>>, attrs: Attributes) => {
  if (type !== "User" && content.To_Account !== undefined) return `a ${type} task takes no Content.To_Account`
  if (type !== "Tag" && content.Condition !== undefined) return `a ${type} task takes no Content.Condition`
  if (type === "User") {
    const accounts = content.To_Account
    return isStringArray(accounts) && accounts.length > 0 && accounts.length <= maxTaskAccounts
      ? { condition: undefined, accounts }
      : "Content.To_Account must list 1 to 500 accounts"
  }
  if (type === "All") return { condition: undefined, accounts: [] }
  const condition = Condition.parse(content.Condition)
  if (condition === undefined || Condition.kindOf(condition) !== "tag") {
    return "a Tag task needs a Content.Condition of tags"
  }
  const refused = Condition.check(condition, attrs)
  return refused === undefined ? { condition, accounts: [] } : `invalid Content.Condition: ${refused.info}`
}

/** The checked content, or what is wrong with it. */
export const check = (
  type: ScheduledTaskType,
  content: unknown,
  attrs: Attributes,
  seed: number
): TaskContent | string => {
  if (!isObject(content)) return "Content must be an object"
  if (!isObject(content.OfflinePushInfo)) return "Content.OfflinePushInfo is required"
  if (content.From_Account !== undefined && typeof content.From_Account !== "string") {
    return "Content.From_Account must be a string"
  }
  if (content.MsgRandom !== undefined && !isUint32(content.MsgRandom)) {
    return "Content.MsgRandom must be a 32-bit unsigned integer"
  }
  const target = targetOf(type, content, attrs)
  if (typeof target === "string") return target
  const msgRandom = (content.MsgRandom as number | undefined) ?? filledMsgRandom(seed)
  return {
    raw: { ...content, MsgRandom: msgRandom },
    msgRandom,
    fromAccount: content.From_Account as string | undefined,
    offlinePushInfo: content.OfflinePushInfo,
    ...target
  }
}
