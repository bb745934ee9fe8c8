/**
 * Pushing safely: `send` a notification to a `Target` (everyone, users by tag or attribute, or
 * listed accounts) and `revoke` a task. One push reaches millions of phones and cannot be taken back,
 * so this service takes a different road from every other call at one point, the retry:
 *
 * - **One `MsgRandom` per send**, reused by any resend of it.
 * - **Resent only when Tencent certainly did not take it:** a frequency-limit answer (60007, 90024
 *   "pushes less than a second apart", HTTP 429), or a failure before the request was written. No
 *   retry policy, default or given, resends anything else.
 * - **Every ambiguous outcome is a `TimOutcomeUnknownError`** (a timeout or reset after the write, a
 *   5xx or non-JSON answer, 91000), carrying the `MsgRandom`, the command, the target and the time
 *   of sending, so that it can be reconciled (see the README's "Pushing safely").
 * - **Nothing reaches everyone by accident:** `Target.allUsers` is the only way to everyone; empty
 *   conditions, more than 10 tags, tags over 50 bytes, a tag in `and` and `or`, attribute names the
 *   app has not defined, invalid accounts and an all-user body over 10 KB are refused before any call.
 * - **Spacing and quota:** pushes are written at least 1.1 s apart per SDKAppID (through the rate
 *   limiter, so across processes with `@timtags/ratelimit-redis`), and a daily quota is counted
 *   (`dailyQuota`, default 10, the free edition's; advisory, since the console and other services
 *   share it): over it, or on Tencent's 90047, a send fails with a `TimQuotaError`.
 *
 * Listed accounts go through `batch` in tasks of at most 500 accounts, one `MsgRandom` each, and every
 * account gets its own outcome (the task id, or why not).
 *
 * @since 0.3.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Random from "effect/Random"
import * as Result from "effect/Result"
import * as Account from "./Account.js"
import * as Attr from "./Attr.js"
import * as Envelope from "./Envelope.js"
import * as PushAnswers from "./internal/push/answers.js"
import * as DailyQuota from "./internal/push/dailyQuota.js"
import * as Resend from "./internal/push/resend.js"
import { refusal } from "./internal/refusal.js"
import { byteLength as utf8ByteLength } from "./internal/utf8.js"
import * as Notification from "./Notification.js"
import { PushAttrs } from "./PushAttrs.js"
import { RateLimit } from "./RateLimit.js"
import * as Target from "./Target.js"
import { TimConfig } from "./TimConfig.js"
import {
  TimAccountError,
  type TimCallError,
  type TimLookupError,
  TimOutcomeUnknownError,
  TimQuotaError,
  TimValidationError
} from "./TimError.js"
import { type Command, TimRest } from "./TimRest.js"

/**
 * A push task Tencent accepted.
 *
 * @since 0.3.0
 * @category models
 */
export interface Task {
  readonly taskId: string
  /** The `MsgRandom` it was sent with. */
  readonly msgRandom: number
  /** When it was first sent (epoch ms). */
  readonly sentAt: number
}

/**
 * One `batch` task of a push to listed accounts, with the accounts it carried.
 *
 * @since 0.3.0
 * @category models
 */
export interface AccountsTask extends Task {
  readonly accounts: ReadonlyArray<string>
}

/**
 * The outcome of a push to listed accounts: the tasks Tencent accepted, and each account's outcome
 * (its task id, or why not: refused before the call, 70107 from Tencent, a whole task refused, or a
 * `TimOutcomeUnknownError` for every account of a task whose outcome is unknown).
 *
 * @since 0.3.0
 * @category models
 */
export interface AccountsReceipt {
  readonly tasks: ReadonlyArray<AccountsTask>
  readonly outcomes: ReadonlyMap<string, Result.Result<string, AccountFailure>>
}

/**
 * Why one account of a push to listed accounts was not reached.
 *
 * @since 0.3.0
 * @category models
 */
export type AccountFailure = TimLookupError | TimValidationError | TimOutcomeUnknownError

/**
 * Why a send failed as a whole.
 *
 * @since 0.3.0
 * @category models
 */
export type SendError = TimValidationError | TimCallError | TimOutcomeUnknownError | TimQuotaError

/**
 * Options of one send.
 *
 * @since 0.3.0
 * @category models
 */
export interface SendOptions {
  /** `From_Account`; default the admin identifier. */
  readonly from?: string | undefined
  /** Listed accounts only: `DataId` (at most 64 bytes), echoed to the push callbacks. */
  readonly dataId?: string | undefined
}

/**
 * The push operations.
 *
 * @example
 * ```ts
 * import { Push, Target, TimError } from "@timtags/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const push = yield* Push.Push
 *   const task = yield* push.send(
 *     Target.tags({ and: ["gold"], or: ["beta", "early"] }),
 *     { Title: "Flash sale", Desc: "20 % off until midnight", Ext: { deeplink: "app://sale" } }
 *   )
 *   yield* Effect.log(`task ${task.taskId}`)
 * }).pipe(
 *   // Never resent: reconcile with the MsgRandom (push callbacks, or the task list) before sending again.
 *   Effect.catchTag("TimOutcomeUnknownError", (error) =>
 *     Effect.logError(`push ${error.msgRandom} to ${error.target}: outcome unknown (${error.detail})`))
 * )
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface Service {
  /** Pushes to everyone, or to the users a tag or attribute condition describes: one task. */
  readonly send: {
    (target: Target.Broadcast, notification: Notification.Notification, options?: SendOptions): Effect.Effect<
      Task,
      SendError
    >
    (target: Target.Accounts, notification: Notification.Notification, options?: SendOptions): Effect.Effect<
      AccountsReceipt,
      TimValidationError
    >
  }
  /**
   * Ends a task that is at most 24 hours old (Tencent stops it for accounts not reached yet, and
   * overwrites delivered notifications on APNs, FCM, Huawei and Honor with `notification`). A task
   * already revoked (90050) counts as revoked.
   */
  readonly revoke: (
    taskId: string,
    notification: Notification.Notification
  ) => Effect.Effect<void, TimValidationError | TimCallError>
}

/**
 * The `Push` service key.
 *
 * @since 0.3.0
 * @category tags
 */
export class Push extends Context.Service<Push, Service>()("@timtags/core/Push") {}

/**
 * Options of the service.
 *
 * @since 0.3.0
 * @category models
 */
export interface Options {
  /** Pushes per day (`push` only, not `batch`); `false`: not counted. Default 10 (the free edition). */
  readonly dailyQuota?: number | false | undefined
  /** The UTC offset, in hours, of the midnight the quota resets at; default 8 (Beijing). */
  readonly quotaResetUtcOffset?: number | undefined
  /** Attempts of a push that Tencent refused for its frequency (resends included); default 3. */
  readonly maxAttempts?: number | undefined
  /** `batch` tasks sent at once for a push to listed accounts; default 2. */
  readonly concurrency?: number | undefined
}

/**
 * The defaults.
 *
 * @since 0.3.0
 * @category constants
 */
export const defaults = {
  dailyQuota: 10,
  quotaResetUtcOffset: 8,
  maxAttempts: Resend.defaultMaxAttempts,
  concurrency: 2
} as const

const UINT32 = 2 ** 32
const pushCommand: Command = "timpush/push"
const batchCommand: Command = "timpush/batch"
const revokeCommand: Command = "timpush/revoke"

/**
 * Builds the service.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<Service, never, TimRest | TimConfig | RateLimit | PushAttrs> =>
  Effect.gen(function*() {
    const rest = yield* TimRest
    const config = yield* TimConfig
    const limiter = yield* RateLimit
    const attrs = yield* PushAttrs
    const maxAttempts = options.maxAttempts ?? defaults.maxAttempts
    const quota = DailyQuota.make(
      limiter.quota,
      `${config.sdkAppId}:${pushCommand}:daily`,
      options.dailyQuota ?? defaults.dailyQuota,
      options.quotaResetUtcOffset ?? defaults.quotaResetUtcOffset
    )

    const broadcast = (
      target: Target.Broadcast,
      notification: Notification.Notification,
      sendOptions: SendOptions
    ): Effect.Effect<Task, SendError> =>
      Effect.gen(function*() {
        const valid = yield* Effect.fromResult(Target.validate(target))
        if (valid._tag === "Attrs") {
          const names = [...Object.keys(valid.and), ...Object.keys(valid.or)]
          yield* Effect.fromResult(Attr.validateNames(names, yield* attrs.getAttrNames))
        }
        const info = yield* Effect.fromResult(Notification.toWire(notification))
        const msgRandom = yield* Random.nextIntBetween(0, UINT32, { halfOpen: true })
        const condition = Target.condition(valid)
        const body = {
          From_Account: sendOptions.from ?? config.admin,
          MsgRandom: msgRandom,
          ...(condition === undefined ? {} : { Condition: condition }),
          OfflinePushInfo: info
        }
        const size = utf8ByteLength(JSON.stringify(body))
        if (size > Notification.limits.maxAllUsersBody) {
          return yield* Effect.fail(refusal(
            "notification",
            `${size} bytes`,
            `expected a push body of at most ${Notification.limits.maxAllUsersBody} bytes (Tencent answers 90056)`
          ))
        }
        const description = Target.describe(valid)
        const sent = yield* quota.around(Resend.send(rest, {
          command: pushCommand,
          body,
          decoder: PushAnswers.push,
          target: description,
          msgRandom,
          maxAttempts
        }))
        return { taskId: sent.answer.TaskId, msgRandom, sentAt: sent.sentAt }
      }).pipe(Effect.withSpan("Push.send", { attributes: { "tim.push.target": String(target?._tag) } }))

    /** One `batch` task for up to 500 valid accounts; every account's outcome goes to `outcomes`. */
    const batchTask = (
      accounts: ReadonlyArray<string>,
      info: Record<string, unknown>,
      sendOptions: SendOptions,
      outcomes: Map<string, Result.Result<string, AccountFailure>>
    ) =>
      Effect.gen(function*() {
        const msgRandom = yield* Random.nextIntBetween(0, UINT32, { halfOpen: true })
        const body = {
          From_Account: sendOptions.from ?? config.admin,
          To_Account: accounts,
          MsgRandom: msgRandom,
          OfflinePushInfo: info,
          ...(sendOptions.dataId === undefined ? {} : { DataId: sendOptions.dataId })
        }
        const sent = yield* Effect.result(
          Resend.send(rest, {
            command: batchCommand,
            body,
            decoder: PushAnswers.batch,
            target: `${accounts.length} accounts`,
            msgRandom,
            maxAttempts
          })
        )
        if (Result.isFailure(sent)) {
          const failed = Result.fail(sent.failure)
          for (const account of accounts) outcomes.set(account, failed)
          return undefined
        }
        const { answer, sentAt } = sent.success
        const errors = new Map(answer.ErrorList.map((e) => [e.To_Account, e] as const))
        const reached = Result.succeed(answer.TaskId)
        for (const account of accounts) {
          const error = errors.get(account)
          outcomes.set(
            account,
            error === undefined ? reached : Result.fail(
              new TimAccountError({ command: batchCommand, account, code: error.ErrorCode, info: error.ErrorInfo })
            )
          )
        }
        return { taskId: answer.TaskId, msgRandom, sentAt, accounts } satisfies AccountsTask
      })

    const toAccounts = (
      target: Target.Accounts,
      notification: Notification.Notification,
      sendOptions: SendOptions
    ): Effect.Effect<AccountsReceipt, TimValidationError> =>
      Effect.gen(function*() {
        const valid = yield* Effect.fromResult(Target.validate(target))
        const info = yield* Effect.fromResult(Notification.toWire(notification))
        if (
          sendOptions.dataId !== undefined &&
          (typeof sendOptions.dataId !== "string" || utf8ByteLength(sendOptions.dataId) > 64)
        ) {
          return yield* Effect.fail(refusal("dataId", sendOptions.dataId, "expected a string of at most 64 bytes"))
        }
        const checked = Target.checkAccounts(valid)
        const outcomes = new Map<string, Result.Result<string, AccountFailure>>()
        for (const [account, refusal] of checked.refused) outcomes.set(account as string, Result.fail(refusal))
        const tasks = yield* Effect.forEach(
          Account.chunksOf(checked.valid, Target.limits.accountsPerBatch),
          (chunk) => batchTask(chunk, info, sendOptions, outcomes),
          { concurrency: options.concurrency ?? defaults.concurrency }
        )
        return { tasks: tasks.filter((task) => task !== undefined), outcomes }
      }).pipe(Effect.withSpan("Push.send", { attributes: { "tim.push.target": "Accounts" } }))

    const revoke = (taskId: string, notification: Notification.Notification) =>
      Effect.gen(function*() {
        if (typeof taskId !== "string" || taskId.length === 0) {
          return yield* Effect.fail(refusal("taskId", taskId, "expected a task id"))
        }
        const info = yield* Effect.fromResult(Notification.toWire(notification))
        yield* rest.call(revokeCommand, { TaskId: taskId, OfflinePushInfo: info }, Envelope.envelope).pipe(
          Effect.catchIf((error) => error._tag === "TimApiError" && error.code === 90050, () => Effect.void)
        )
      }).pipe(Effect.withSpan("Push.revoke"))

    return Push.of({
      send: ((target: Target.Target, notification: Notification.Notification, sendOptions: SendOptions = {}) =>
        target?._tag === "Accounts"
          ? toAccounts(target, notification, sendOptions)
          : broadcast(target, notification, sendOptions)) as Service["send"],
      revoke
    })
  })

/**
 * The service as a layer.
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<Push, never, TimRest | TimConfig | RateLimit | PushAttrs> => Layer.effect(Push, make(options))
