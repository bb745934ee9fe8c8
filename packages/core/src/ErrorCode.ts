/**
 * What each Chat REST error code means for a client: its reason, whether and how to retry it, and a
 * hint for the credential codes that users most often trip over. The table follows
 * `spec/tencent-push-api.md` §4 and §5; a code missing from it is `Unknown` and not retried.
 *
 * @since 0.1.0
 */
import type { Reason } from "./TimError.js"

/**
 * How a failure may be retried: `no`, `backoff` (exponential, jittered), `throttled` (the same with a
 * longer base, for frequency limits) or `resign` (make a new UserSig, then retry once).
 *
 * @since 0.1.0
 * @category models
 */
export type RetryClass = "no" | "backoff" | "throttled" | "resign"

/**
 * The classification of one error code.
 *
 * @since 0.1.0
 * @category models
 */
export interface Classification {
  readonly reason: Reason
  readonly retry: RetryClass
  /** For credential codes: what is most likely wrong. */
  readonly hint?: string
}

const HINT_EXPIRED = "the UserSig has expired: a new one is signed automatically when a SecretKey is configured"
const HINT_KEY = "the SecretKey does not belong to this SDKAppID (or the UserSig was signed with another key)"
const HINT_REGION = "the SDKAppID is not served by this domain: check the region (data centre) of the app"
const HINT_IDENTIFIER = "the UserSig was signed for another identifier than the admin in the request"
const HINT_APPID = "the UserSig was signed for another SDKAppID than the one in the request"
const HINT_SIG = "the UserSig is malformed or empty: check the configured UserSig or SecretKey"

const entries: ReadonlyArray<readonly [ReadonlyArray<number>, Classification]> = [
  [[60007, 60011, 60018, 60019, 72010], { reason: "RateLimited", retry: "throttled" }],
  [[91000, 60008, 60013, 60014, 70169, 70202, 70500, 90992, 90994, 90995], { reason: "ServerBusy", retry: "backoff" }],
  [[70001, 70052], { reason: "Credentials", retry: "resign", hint: HINT_EXPIRED }],
  [[70009], { reason: "Credentials", retry: "no", hint: HINT_KEY }],
  [[70016, 70020, 60026], { reason: "Credentials", retry: "no", hint: HINT_REGION }],
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
    90045,
    90047
  ], {
    reason: "Permission",
    retry: "no"
  }],
  [[
    90001,
    90005,
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
    90056,
    90057,
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

/**
 * Classifies an error code; unknown codes are `Unknown` and not retried.
 *
 * @since 0.1.0
 * @category classification
 */
export const classify = (code: number): Classification => table.get(code) ?? unknown

/**
 * Every code the table knows, for documentation and tests.
 *
 * @since 0.1.0
 * @category classification
 */
export const known: ReadonlyArray<number> = [...table.keys()]
