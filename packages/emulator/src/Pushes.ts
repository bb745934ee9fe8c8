/**
 * What the emulator keeps of the pushes it accepted and the scheduled tasks it holds, as the control methods
 * show them, and the push spacing and quota it enforces (`PushSettings`).
 *
 * @since 0.3.0
 */

/**
 * How a push was asked for: `push` to all users (no condition), by tag or by attribute; `batch` to listed
 * accounts; or a scheduled task that was dispatched.
 *
 * @since 0.3.0
 * @category models
 */
export type PushKind = "all" | "tag" | "attr" | "batch" | "scheduled"

/**
 * One accepted push.
 *
 * @since 0.3.0
 * @category models
 */
export interface PushRecord {
  /** The `TaskId` it was answered with (`batch_…` for `batch`). */
  readonly taskId: string
  readonly kind: PushKind
  readonly msgRandom: number
  /** When it was accepted (or dispatched), epoch ms on the emulator's `Clock`. */
  readonly at: number
  readonly fromAccount: string | undefined
  /** The `Condition` as sent (`undefined` for an all-user push without one, and for `batch`). */
  readonly condition: unknown | undefined
  /** The accounts it reached, resolved from the emulator's tags and attributes when it was accepted. */
  readonly recipients: ReadonlyArray<string>
  readonly offlinePushInfo: unknown
  /** Whether a `revoke` call took it back. */
  readonly revoked: boolean
}

/**
 * A scheduled task's type: all users, by tag (`Condition`), or listed accounts (`To_Account`).
 *
 * @since 0.3.0
 * @category models
 */
export type ScheduledTaskType = "All" | "Tag" | "User"

/**
 * Where a scheduled task is: waiting for its time, dispatched (it became a push), or failed to dispatch (the
 * daily quota was used up).
 *
 * @since 0.3.0
 * @category models
 */
export type ScheduledTaskStatus = "pending" | "dispatched" | "failed"

/**
 * One scheduled task (deleted tasks are gone).
 *
 * @since 0.3.0
 * @category models
 */
export interface ScheduledTaskRecord {
  /** The Integer `TaskID`. */
  readonly taskId: number
  readonly type: ScheduledTaskType
  /** When it was created, epoch ms on the emulator's `Clock`. */
  readonly createdAt: number
  /** When it is (or was) due, epoch ms (whole seconds, as `SchedAt` gives them). */
  readonly schedAt: number
  /** The `Content` as sent, with the `MsgRandom` the emulator filled in when it had none. */
  readonly content: unknown
  readonly status: ScheduledTaskStatus
  /** The `TaskId` of the push it became, once dispatched. */
  readonly pushTaskId: string | undefined
  /** Why it failed to dispatch (e.g. `"90047 the daily push count exceeds the limit"`). */
  readonly dispatchError: string | undefined
}

/**
 * The spacing and quota of `push` calls (all-user, tag and attribute pushes; not `batch`). A push less than
 * `minIntervalMillis` after the last accepted one gets 90024; once `dailyQuota` pushes were accepted in a day
 * (midnight to midnight, UTC+8) the next get 90047. Scheduled All/Tag pushes count too.
 *
 * @since 0.3.0
 * @category models
 */
export interface PushSettings {
  readonly minIntervalMillis: number
  /** Pushes per day; `Infinity` for no quota. */
  readonly dailyQuota: number
}

/**
 * The settings when the options name none: pushes at least 1000 ms apart, 100 per day (Tencent's Standard and
 * Advanced editions; the free edition allows 10).
 *
 * @since 0.3.0
 * @category constants
 */
export const defaultPushSettings: PushSettings = { minIntervalMillis: 1000, dailyQuota: 100 }

/**
 * Whom a push would reach now, without pushing (the control method `recipients`, for dry runs): the accounts a
 * `Condition` describes (every account when there is none), or for a `To_Account` list the accounts that exist
 * and those that do not; `refused` with the code Tencent would answer when the condition breaks a rule (then no
 * recipients).
 *
 * @since 0.3.0
 * @category models
 */
export interface Recipients {
  readonly recipients: ReadonlyArray<string>
  /** Listed accounts that do not exist (`batch` answers 70107 for them). */
  readonly missing: ReadonlyArray<string>
  readonly refused?: { readonly code: number; readonly info: string } | undefined
}
