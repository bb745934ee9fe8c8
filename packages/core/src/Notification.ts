/**
 * What a push shows: Tencent's `OfflinePushInfo`, typed with the documented fields and their
 * documented names (spec `timpush-beyond-tags.md` §5, Tencent's page 77715), so that Tencent's own
 * documentation reads straight onto it. Fields this library does not type (a vendor's new option)
 * go through as they are: every section takes extra fields.
 *
 * `Ext` takes any JSON value and is sent as a JSON string (`JSON.stringify(Ext)`), as some Android
 * vendors drop a push whose `Ext` is not JSON. Checked before any call: `Title`/`Desc` are strings,
 * badges within their ranges, `PushFlag` 0 or 1, `SoundDuration` 1–60, a Live Activity id at most 64
 * bytes, and the whole push body at most 10 KB for a push to all users (Tencent's 90056; APNs itself
 * takes 4 KB, so keep `Desc` and `Ext` under about 3 KB).
 *
 * @since 0.3.0
 */
import * as Result from "effect/Result"
import { refuse } from "./internal/refusal.js"
import { byteLength } from "./internal/utf8.js"
import type { TimValidationError } from "./TimError.js"

/**
 * Fields a section takes beyond the typed ones (a vendor's new option), sent as they are.
 *
 * @since 0.3.0
 * @category models
 */
export type Extra = { readonly [field: string]: unknown }

/**
 * Android vendors' options (`AndroidInfo`).
 *
 * @since 0.3.0
 * @category models
 */
export interface AndroidInfo extends Extra {
  readonly Sound?: string
  readonly PushStyle?: number
  readonly XiaoMiChannelID?: string
  readonly OPPOChannelID?: string
  readonly OPPOCategory?: string
  readonly OPPOPrivateMsgTemplateId?: string
  readonly OPPOPrivateTitleParameters?: Readonly<Record<string, string>>
  readonly OPPOPrivateContentParameters?: Readonly<Record<string, string>>
  /** Needs `OPPOCategory`. */
  readonly OPPONotifyLevel?: number
  /** Legacy; use `VIVOCategory`. */
  readonly VIVOClassification?: number
  readonly VIVOCategory?: string
  readonly VIVONotifyType?: number
  readonly HuaWeiImportance?: string
  readonly HuaWeiCategory?: string
  readonly HuaWeiImage?: string
  readonly HuaWeiChannelID?: string
  readonly HonorImage?: string
  readonly HonorImportance?: string
  readonly GoogleImage?: string
  readonly GooglePriority?: string
  readonly GoogleChannelID?: string
  readonly MeiZuNoticeMsgType?: number
}

/**
 * An iOS Live Activity update (`ApnsInfo.LiveActivity`).
 *
 * @since 0.3.0
 * @category models
 */
export interface LiveActivity extends Extra {
  /** At most 64 bytes. */
  readonly LaId: string
  readonly Event: "update" | "end"
  readonly ContentState?: Readonly<Record<string, unknown>>
  readonly DismissalDate?: number
}

/**
 * APNs options (`ApnsInfo`).
 *
 * @since 0.3.0
 * @category models
 */
export interface ApnsInfo extends Extra {
  /** 1 (the default outside chat): the badge is not counted up. */
  readonly BadgeMode?: number
  readonly Title?: string
  readonly SubTitle?: string
  readonly Image?: string
  readonly MutableContent?: number
  /** At most 30 seconds of sound. */
  readonly Sound?: string
  readonly InterruptionLevel?: string
  readonly ContentAvailable?: number
  readonly IsVoipPush?: number
  readonly LiveActivity?: LiveActivity
}

/**
 * HarmonyOS options (`HarmonyInfo`).
 *
 * @since 0.3.0
 * @category models
 */
export interface HarmonyInfo extends Extra {
  readonly Title?: string
  readonly Category?: string
  readonly Image?: string
  readonly Sound?: string
  /** 1–60 seconds. */
  readonly SoundDuration?: number
}

/**
 * A title and text in one language (`MultiLanguageContent`, SDK ≥ 8.5.6870).
 *
 * @since 0.3.0
 * @category models
 */
export interface LanguageContent extends Extra {
  readonly Language: string
  readonly Title?: string
  readonly Desc?: string
}

/**
 * A notification (`OfflinePushInfo`).
 *
 * @example
 * ```ts
 * import type { Notification } from "@timtags/core"
 *
 * const notification: Notification.Notification = {
 *   Title: "Flash sale",
 *   Desc: "Everything 20 % off until midnight",
 *   Ext: { deeplink: "app://sale/42" }, // any JSON value, sent as a JSON string
 *   AndroidInfo: { HuaWeiCategory: "MARKETING", XiaoMiChannelID: "sales" },
 *   ApnsInfo: { Sound: "sale.caf", InterruptionLevel: "active" }
 * }
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface Notification extends Extra {
  readonly Title?: string
  readonly Desc?: string
  /** Any JSON value; sent as `JSON.stringify(Ext)`. */
  readonly Ext?: unknown
  /** 0 (default): the normal flow; 1: online push only. */
  readonly PushFlag?: 0 | 1
  /** 1–99 (APNs, Huawei, Honor, Harmony). */
  readonly BadgeAddNum?: number
  /** APNs 0–999, others 0–99; wins over `BadgeAddNum`. */
  readonly BadgeSetNum?: number
  readonly MultiLanguageContent?: ReadonlyArray<LanguageContent>
  /** A template ("1400000000-1"); templates with preset variables are for Chat, not push. */
  readonly PushTemplateId?: string
  readonly PushTemplateParam?: Readonly<Record<string, string>>
  readonly AndroidInfo?: AndroidInfo
  readonly ApnsInfo?: ApnsInfo
  readonly HarmonyInfo?: HarmonyInfo
}

/**
 * The limits this library checks.
 *
 * @since 0.3.0
 * @category constants
 */
export const limits = {
  /** Bytes of a push request body to all users (Tencent answers 90056 above). */
  maxAllUsersBody: 10 * 1024,
  /** Bytes of a Live Activity id. */
  maxLiveActivityId: 64
} as const

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const within = (field: string, value: unknown, min: number, max: number) =>
  value === undefined || (Number.isInteger(value) && (value as number) >= min && (value as number) <= max)
    ? undefined
    : refuse(field, value, `expected an integer from ${min} to ${max}`)

const text = (field: string, value: unknown) =>
  value === undefined || typeof value === "string" ? undefined : refuse(field, value, "expected a string")

/** The first problem of a notification, checked field by field. */
const problem = (n: Notification): Result.Result<never, TimValidationError> | undefined => {
  for (const section of ["AndroidInfo", "ApnsInfo", "HarmonyInfo"] as const) {
    if (n[section] !== undefined && !isObject(n[section])) return refuse(section, n[section], "expected an object")
  }
  const live = n.ApnsInfo?.LiveActivity
  return text("Title", n.Title) ?? text("Desc", n.Desc) ??
    (n.PushFlag === undefined || n.PushFlag === 0 || n.PushFlag === 1
      ? undefined
      : refuse("PushFlag", n.PushFlag, "expected 0 or 1")) ??
    within("BadgeAddNum", n.BadgeAddNum, 1, 99) ??
    within("BadgeSetNum", n.BadgeSetNum, 0, 999) ??
    within("HarmonyInfo.SoundDuration", n.HarmonyInfo?.SoundDuration, 1, 60) ??
    (live === undefined || isObject(live) ? undefined : refuse("ApnsInfo.LiveActivity", live, "expected an object")) ??
    (live === undefined || (typeof live.LaId === "string" && byteLength(live.LaId) <= limits.maxLiveActivityId)
      ? undefined
      : refuse("ApnsInfo.LiveActivity.LaId", live.LaId, "expected a string of at most 64 bytes")) ??
    (live === undefined || live.Event === "update" || live.Event === "end"
      ? undefined
      : refuse("ApnsInfo.LiveActivity.Event", live.Event, "expected \"update\" or \"end\""))
}

/**
 * Checks a notification and turns it into `OfflinePushInfo` (with `Ext` as a JSON string).
 *
 * @since 0.3.0
 * @category conversions
 */
export const toWire = (notification: Notification): Result.Result<Record<string, unknown>, TimValidationError> => {
  if (!isObject(notification)) return refuse("notification", notification, "expected an object (OfflinePushInfo)")
  const found = problem(notification)
  if (found !== undefined) return found
  if (notification.Ext === undefined) return Result.succeed({ ...notification })
  let ext: string | undefined
  try {
    ext = JSON.stringify(notification.Ext)
  } catch {
    ext = undefined
  }
  return ext === undefined
    ? refuse("Ext", notification.Ext, "expected a JSON value")
    : Result.succeed({ ...notification, Ext: ext })
}
