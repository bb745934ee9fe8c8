/**
 * What each Chat REST error code means for a client: its reason, whether and how to retry it, and a
 * hint for the credential codes that users most often trip over. The table follows
 * `spec/tencent-push-api.md` §4 and §5 and `spec/timpush-beyond-tags.md` §3.3, §3.4 and §6; a code
 * missing from it is `Unknown` and not retried. The words it classifies in (`Reason`, `RetryClass`)
 * are the `Reason` module's.
 *
 * @since 0.1.0
 */
import type * as Reason from "./Reason.js"

/**
 * How a failure may be retried (the `Reason` module's `RetryClass`).
 *
 * @since 0.1.0
 * @category models
 */
export type RetryClass = Reason.RetryClass

/**
 * The classification of one error code (the `Reason` module's `Classification`).
 *
 * @since 0.1.0
 * @category models
 */
export type Classification = Reason.Classification

/**
 * How the client addressed the server: through a region's documented domain, or an explicit base
 * URL (an emulator, a proxy). The hint for 70016, 70020 and 60026 depends on it.
 *
 * @since 0.3.0
 * @category models
 */
export type AddressedBy = "region" | "baseUrl"

const HINT_EXPIRED = "the UserSig has expired: a new one is signed automatically when a SecretKey is configured"
const HINT_KEY = "the SecretKey does not belong to this SDKAppID (or the UserSig was signed with another key)"
const HINT_REGION =
  "the SDKAppID is not served by this domain: check the region (data centre) of the app, and that the SDKAppID is not mistyped"
const HINT_BASE_URL =
  "the SDKAppID is not served at this base URL: check the SDKAppID (a mistyped one is the likeliest cause with an explicit base URL), and that the URL belongs to the app's data centre"
const HINT_IDENTIFIER = "the UserSig was signed for another identifier than the admin in the request"
const HINT_APPID = "the UserSig was signed for another SDKAppID than the one in the request"
const HINT_SIG = "the UserSig is malformed or empty: check the configured UserSig or SecretKey"

/** The codes for an SDKAppID that the domain does not serve: a wrong region, or a mistyped SDKAppID. */
const regionCodes: ReadonlyArray<number> = [70016, 70020, 60026]

const entries: ReadonlyArray<readonly [ReadonlyArray<number>, Classification]> = [
  // 90024: pushes less than a second apart; 90051: more than one revoke a second.
  [[60007, 60011, 60018, 60019, 72010, 90024, 90051], { reason: "RateLimited", retry: "throttled" }],
  [[90047], { reason: "QuotaExceeded", retry: "no" }],
  [[91000, 60008, 60013, 60014, 70169, 70202, 70500, 90992, 90994, 90995], { reason: "ServerBusy", retry: "backoff" }],
  [[70001, 70052], { reason: "Credentials", retry: "resign", hint: HINT_EXPIRED }],
  [[70009], { reason: "Credentials", retry: "no", hint: HINT_KEY }],
  [regionCodes, { reason: "Credentials", retry: "no", hint: HINT_REGION }],
  [[70013], { reason: "Credentials", retry: "no", hint: HINT_IDENTIFIER }],
  [[70014, 60006], { reason: "Credentials", retry: "no", hint: HINT_APPID }],
  [[70002, 70003, 70005, 60004, 60005, 60025], { reason: "Credentials", retry: "no", hint: HINT_SIG }],
  [[70050], {
    reason: "Credentials",
    retry: "no",
    hint: "UserSig verification failed too often: fix the credentials and wait a minute before retrying"
  }],
  [[
    90009,
    60010,
    70403,
    60016,
    60017,
    60020,
    60021,
    60027,
    60028,
    70051,
    70114,
    70398,
    70399,
    70404,
    71000,
    72000,
    72001,
    72002,
    72011,
    72012,
    90045
  ], {
    reason: "Permission",
    retry: "no"
  }],
  [[
    90001,
    90002,
    90005,
    90007,
    90010,
    90018,
    90020,
    90022,
    90026,
    90030,
    90032,
    90033,
    90034,
    90039,
    90040,
    // revoke: unknown TaskId, already revoked, over 24 hours, no OfflinePushInfo
    90049,
    90050,
    90052,
    90053,
    90056,
    90057,
    // scheduled tasks: invalid parameters; delete refused while the task is dispatching
    90104,
    90107,
    60002,
    60003,
    60009,
    60012,
    60015,
    70206,
    70402
  ], {
    reason: "InvalidRequest",
    retry: "no"
  }],
  [[70107], { reason: "UnknownAccount", retry: "no" }],
  [[90035], { reason: "AccountType", retry: "no" }]
]

const table: ReadonlyMap<number, Classification> = new Map(
  entries.flatMap(([codes, classification]) => codes.map((code) => [code, classification] as const))
)

const unknown: Classification = { reason: "Unknown", retry: "no" }

const viaBaseUrl: Classification = { reason: "Credentials", retry: "no", hint: HINT_BASE_URL }

/**
 * Classifies an error code; unknown codes are `Unknown` and not retried. `addressedBy` tunes the
 * hint of 70016, 70020 and 60026: a wrong region is the likelier cause when the client used a
 * region, a mistyped SDKAppID when it used an explicit base URL; without it, the hint names both.
 *
 * @since 0.1.0
 * @category classification
 */
export const classify = (code: number, addressedBy?: AddressedBy): Classification =>
  addressedBy === "baseUrl" && regionCodes.includes(code) ? viaBaseUrl : table.get(code) ?? unknown
