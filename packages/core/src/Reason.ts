/**
 * The vocabulary every error of this library is classified in: why it failed (`Reason`), how it
 * may be retried (`RetryClass`), and the classification of an HTTP status. `ErrorCode` classifies
 * the server's error codes in these words and `TimError` attaches them to each error; this module
 * depends on neither.
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"

/**
 * Why a call or an account failed.
 *
 * - `RateLimited`: a frequency limit (60007, 60011, 60018, 60019, 72010, 90024 push interval,
 *   90051 revoke rate; HTTP 429).
 * - `QuotaExceeded`: the app's daily push quota is used up (90047, or the client's own count of it).
 *   Not retried: it resets the next day, or when more is bought.
 * - `OutcomeUnknown`: a push (or a scheduled push) may or may not have been taken (a timeout or reset
 *   after the write, a 5xx or undecodable answer, 91000). Never retried: a resend could notify every
 *   phone twice.
 * - `ServerBusy`: a server-side timeout or internal error (91000, 60008, 70169, …; HTTP 5xx, 408).
 * - `Unreachable`: no answer at all (connection refused or reset, DNS, request timeout).
 * - `Credentials`: the UserSig, SecretKey, SDKAppID or data centre is wrong or expired (70001, 70009, …).
 * - `Permission`: the identifier is not an admin, or the app/feature is disabled or over its plan.
 * - `InvalidRequest`: the server refused the request as malformed (90001, 90018, …).
 * - `InvalidInput`: this library refused the input before any call (`TimValidationError`).
 * - `InvalidResponse`: the answer is not the documented envelope (`TimDecodeError`), or is larger
 *   than the configured cap (`TimTransportError` of kind `TooLarge`).
 * - `UnknownAccount`: the account was never imported (70107).
 * - `AccountType`: a tag is bound to the other account type (90035).
 * - `Unknown`: a code or HTTP status this library does not know; its number and text are kept.
 *
 * @since 0.3.0
 * @category models
 */
export const Reason = /*#__PURE__*/ Schema.Literals([
  "RateLimited",
  "QuotaExceeded",
  "OutcomeUnknown",
  "ServerBusy",
  "Unreachable",
  "Credentials",
  "Permission",
  "InvalidRequest",
  "InvalidInput",
  "InvalidResponse",
  "UnknownAccount",
  "AccountType",
  "Unknown"
])

/**
 * Why a call or an account failed (see the `Reason` schema).
 *
 * @since 0.3.0
 * @category models
 */
export type Reason = typeof Reason.Type

/**
 * How a failure may be retried: `no`, `backoff` (exponential, jittered), `throttled` (the same with a
 * longer base, for frequency limits) or `resign` (make a new UserSig, then retry once).
 *
 * @since 0.3.0
 * @category models
 */
export type RetryClass = "no" | "backoff" | "throttled" | "resign"

/**
 * The classification of one failure.
 *
 * @since 0.3.0
 * @category models
 */
export interface Classification {
  readonly reason: Reason
  readonly retry: RetryClass
  /** For credential codes: what is most likely wrong. */
  readonly hint?: string
}

/**
 * A push whose outcome is unknown: never retried.
 *
 * @since 0.3.0
 * @category classifications
 */
export const outcomeUnknown: Classification = { reason: "OutcomeUnknown", retry: "no" }

/**
 * A quota used up: not retried.
 *
 * @since 0.3.0
 * @category classifications
 */
export const quotaExceeded: Classification = { reason: "QuotaExceeded", retry: "no" }

/**
 * No answer at all: retried with backoff.
 *
 * @since 0.3.0
 * @category classifications
 */
export const unreachable: Classification = { reason: "Unreachable", retry: "backoff" }

/**
 * An answer that is not the documented envelope, or too large: not retried.
 *
 * @since 0.3.0
 * @category classifications
 */
export const invalidResponse: Classification = { reason: "InvalidResponse", retry: "no" }

/**
 * Input refused before any call: not retried.
 *
 * @since 0.3.0
 * @category classifications
 */
export const invalidInput: Classification = { reason: "InvalidInput", retry: "no" }

const rateLimited: Classification = { reason: "RateLimited", retry: "throttled" }
const serverBusy: Classification = { reason: "ServerBusy", retry: "backoff" }
const unknownStatus: Classification = { reason: "Unknown", retry: "no" }

/**
 * Classifies an HTTP status other than 200: 429 is a frequency limit, 408 and 5xx a busy server
 * (both retried); any other status is `Unknown` and not retried.
 *
 * @since 0.3.0
 * @category classifications
 */
export const ofHttpStatus = (status: number): Classification => {
  if (status === 429) return rateLimited
  return status >= 500 || status === 408 ? serverBusy : unknownStatus
}
