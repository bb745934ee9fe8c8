/**
 * The push commands: `v4/timpush/push` (all users, by tag, by attribute), `batch` (listed accounts) and
 * `revoke`. A push is checked (`MsgRandom`, body size, condition), then de-duplicated within one second, then
 * held to the daily quota and the interval; an accepted push is recorded with the recipients it resolves to.
 * A failed push or batch answers `TaskId: ""`, as Tencent's sample does.
 */
import { ErrorCode, info } from "../ErrorCodes.js"
import type { Recipients } from "../Pushes.js"
import type { Store } from "../Store.js"
import { type Command, type CommandContext, declare, isObject, isStringArray, isUint32, utf8Bytes } from "./Command.js"
import * as Condition from "./Condition.js"
import { accountError, type Envelope, fail, ok, partial } from "./Envelope.js"
import type { Channel } from "./PushPacing.js"

/** The largest `push` body Tencent accepts ("10K"; 90056). */
export const maxPushBytes = 10 * 1024

/** The longest `DataId` `batch` accepts, in UTF-8 bytes (90057). */
export const maxDataIdBytes = 64

/** How long after its start a push can be revoked. */
export const revokeWindowMillis = 24 * 3_600_000

/** A failed push or batch: `TaskId` is empty. */
const failTask = (code: number, errorInfo: string = info(code)): Envelope => ({ ...fail(code, errorInfo), TaskId: "" })

/** The existing accounts among those listed (each once, in order), and the missing ones. */
export const listed = (store: Store, accounts: ReadonlyArray<string>) => {
  const unique = Array.from(new Set(accounts))
  return { recipients: unique.filter(store.exists), missing: unique.filter((a) => !store.exists(a)) }
}

/**
 * Whom a `push` or `batch` body would reach now, as `runPush` and `runBatch` resolve it, without pushing: its
 * `To_Account` list, else its `Condition`, checked by the same rules (a broken one is `refused`).
 */
export const recipientsOf = (context: CommandContext, body: unknown): Recipients => {
  const none = { recipients: [], missing: [] }
  if (isObject(body) && isStringArray(body.To_Account)) return listed(context.store, body.To_Account)
  const condition = isObject(body) ? Condition.parse(body.Condition ?? {}) : undefined
  if (condition === undefined) {
    return { ...none, refused: { code: ErrorCode.BodyInvalid, info: info(ErrorCode.BodyInvalid) } }
  }
  const refused = Condition.check(condition, context.attrs)
  return refused === undefined
    ? { recipients: Condition.resolve(condition, context.store, context.attrs), missing: [] }
    : { ...none, refused }
}

/** Answers a resend within the second with the first answer; otherwise accepts the call with `accept`. */
const once = (
  { pacing, timer }: CommandContext,
  channel: Channel,
  msgRandom: number,
  accept: (now: number) => Envelope
): Envelope => {
  const now = timer.now()
  const again = pacing.duplicate(channel, msgRandom, now)
  if (again !== undefined) return again
  const answer = accept(now)
  if (answer.ErrorCode === 0) pacing.remember(channel, msgRandom, now, answer)
  return answer
}

const optionalString = (u: unknown): u is string | undefined => u === undefined || typeof u === "string"

interface PushRequest {
  readonly msgRandom: unknown
  readonly fromAccount: string | undefined
  readonly condition: Condition.Condition | undefined
  readonly rawCondition: unknown
  readonly offlinePushInfo: unknown
  readonly bytes: number
}

const parsePush = (body: unknown, bytes: () => number): PushRequest | undefined => {
  if (!isObject(body) || !isObject(body.OfflinePushInfo) || !optionalString(body.From_Account)) return undefined
  const condition = body.Condition === undefined ? undefined : Condition.parse(body.Condition)
  if (body.Condition !== undefined && condition === undefined) return undefined
  return {
    msgRandom: body.MsgRandom,
    fromAccount: body.From_Account,
    condition,
    rawCondition: body.Condition,
    offlinePushInfo: body.OfflinePushInfo,
    bytes: bytes()
  }
}

const runPush = (request: PushRequest, context: CommandContext): Envelope => {
  const { msgRandom } = request
  if (!isUint32(msgRandom)) return failTask(ErrorCode.MsgRandomInvalid)
  if (request.bytes > maxPushBytes) return failTask(ErrorCode.BodyTooLarge)
  const refused = Condition.check(request.condition, context.attrs)
  if (refused !== undefined) return failTask(refused.code, refused.info)
  return once(context, "push", msgRandom, (now) => {
    const code = context.pacing.refusal(now, true)
    if (code !== undefined) return failTask(code)
    context.pacing.count(now)
    const record = context.pushes.add({
      kind: Condition.kindOf(request.condition),
      msgRandom,
      at: now,
      fromAccount: request.fromAccount,
      condition: request.rawCondition,
      recipients: Condition.resolve(request.condition, context.store, context.attrs),
      offlinePushInfo: request.offlinePushInfo,
      batchId: false,
      missing: [],
      revocable: true
    })
    return ok({ TaskId: record.taskId })
  })
}

/** `push`: `{From_Account?, MsgRandom, Condition?, OfflinePushInfo}`; no `Condition` means all users. */
export const push: Command = declare({ name: "push", parse: parsePush, run: runPush })

interface BatchRequest {
  readonly fromAccount: string
  readonly accounts: ReadonlyArray<string>
  readonly msgRandom: unknown
  readonly offlinePushInfo: unknown
  readonly dataId: string | undefined
}

const parseBatch = (body: unknown): BatchRequest | undefined =>
  isObject(body) && typeof body.From_Account === "string" && isStringArray(body.To_Account) &&
    body.To_Account.length > 0 && isObject(body.OfflinePushInfo) && optionalString(body.DataId)
    ? {
      fromAccount: body.From_Account,
      accounts: body.To_Account,
      msgRandom: body.MsgRandom,
      offlinePushInfo: body.OfflinePushInfo,
      dataId: body.DataId
    }
    : undefined

const runBatch = (request: BatchRequest, context: CommandContext): Envelope => {
  const { msgRandom } = request
  if (!isUint32(msgRandom)) return failTask(ErrorCode.BodyInvalid, "Invalid format of MsgRandom")
  if (request.dataId !== undefined && utf8Bytes(request.dataId) > maxDataIdBytes) {
    return failTask(ErrorCode.DataIdTooLong)
  }
  return once(context, "batch", msgRandom, (now) => {
    const { missing, recipients } = listed(context.store, request.accounts)
    const record = context.pushes.add({
      kind: "batch",
      msgRandom,
      at: now,
      fromAccount: request.fromAccount,
      condition: undefined,
      recipients,
      offlinePushInfo: request.offlinePushInfo,
      batchId: true,
      missing,
      revocable: false
    })
    return partial(
      { TaskId: record.taskId },
      missing.map((account) => accountError(account, ErrorCode.AccountNotFound))
    )
  })
}

/** `batch`: `{From_Account, To_Account: [1..500], MsgRandom, OfflinePushInfo, DataId?}`; 10 calls/s. */
export const batch: Command = declare({
  name: "batch",
  maxAccounts: 500,
  rateLimit: 10,
  parse: parseBatch,
  accounts: (request) => request.accounts.length,
  run: runBatch
})

/** `revoke`: `{TaskId, OfflinePushInfo}` takes back a push of the last 24 hours; 1 call/s, else 90051. */
export const revoke: Command = declare({
  name: "revoke",
  rateLimit: 1,
  limitCode: ErrorCode.RevokeTooFrequent,
  parse: (body) => (isObject(body) && typeof body.TaskId === "string" ? body : undefined),
  run: (body, { pushes, timer }) => {
    if (!isObject(body.OfflinePushInfo)) return fail(ErrorCode.OfflinePushInfoMissing)
    const taskId = body.TaskId as string
    const entry = pushes.find(taskId)
    if (entry === undefined || !entry.revocable) return fail(ErrorCode.TaskIdInvalid)
    if (entry.record.revoked) return fail(ErrorCode.AlreadyRevoked)
    if (timer.now() - entry.record.at >= revokeWindowMillis) return fail(ErrorCode.RevokeWindowPassed)
    pushes.revoke(taskId)
    return ok()
  }
})
