/**
 * The errors of this library. Every expected failure is one of these tagged errors, and none of
 * them ever holds a SecretKey, a UserSig or a request URL with its query.
 *
 * - `TimTransportError`: the request did not get a usable HTTP answer (network, timeout, non-200).
 * - `TimDecodeError`: a 200 answer whose body is not the documented envelope.
 * - `TimApiError`: the server answered with a non-zero `ErrorCode` for the whole call.
 * - `TimAccountError`: the server listed one account in `ErrorList` (e.g. 70107, 90035).
 * - `TimValidationError`: input refused before any network call.
 *
 * Each has a `reason` (one `Reason` for all of them), a `retryClass` and `retryable`; `isTimError`
 * tells them from anything else.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as ErrorCode from "./ErrorCode.js"

/**
 * Why a call or an account failed.
 *
 * - `RateLimited`: a frequency limit (60007, 60011, 60018, 60019, 72010; HTTP 429).
 * - `ServerBusy`: a server-side timeout or internal error (91000, 60008, 70169, …; HTTP 5xx, 408).
 * - `Unreachable`: no answer at all (connection refused or reset, DNS, request timeout).
 * - `Credentials`: the UserSig, SecretKey, SDKAppID or data centre is wrong or expired (70001, 70009, …).
 * - `Permission`: the identifier is not an admin, or the app/feature is disabled or over quota.
 * - `InvalidRequest`: the server refused the request as malformed (90001, 90018, …).
 * - `InvalidInput`: this library refused the input before any call (`TimValidationError`).
 * - `InvalidResponse`: the answer is not the documented envelope (`TimDecodeError`).
 * - `UnknownAccount`: the account was never imported (70107).
 * - `AccountType`: a tag is bound to the other account type (90035).
 * - `Unknown`: a code or HTTP status this library does not know; its number and text are kept.
 *
 * @since 0.2.0
 * @category models
 */
export const Reason = Schema.Literals([
  "RateLimited",
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
 * @since 0.1.0
 * @category models
 */
export type Reason = typeof Reason.Type

/**
 * Adds `reason`, `retryClass` and `retryable` to an error class, from one classification of each
 * error (by its code, its transport failure, or fixed for the class).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base constructor must take `any[]`
const classified = <C extends abstract new(...args: Array<any>) => object>(
  Base: C,
  classify: (error: InstanceType<C>) => ErrorCode.Classification
) => {
  abstract class Classified extends Base {
    /** Why it failed. */
    get reason(): Reason {
      return classify(this as InstanceType<C>).reason
    }
    /** How to retry it: `no`, `backoff`, `throttled` (frequency limits) or `resign` (a new UserSig, then once). */
    get retryClass(): ErrorCode.RetryClass {
      return classify(this as InstanceType<C>).retry
    }
    /** Whether retrying (possibly after re-signing) may help. */
    get retryable(): boolean {
      return this.retryClass !== "no"
    }
  }
  return Classified
}

const byCode = (error: { readonly code: number }) => ErrorCode.classify(error.code)
const unreachable: ErrorCode.Classification = { reason: "Unreachable", retry: "backoff" }
const rateLimited: ErrorCode.Classification = { reason: "RateLimited", retry: "throttled" }
const serverBusy: ErrorCode.Classification = { reason: "ServerBusy", retry: "backoff" }
const unknownStatus: ErrorCode.Classification = { reason: "Unknown", retry: "no" }
const invalidResponse: ErrorCode.Classification = { reason: "InvalidResponse", retry: "no" }
const invalidInput: ErrorCode.Classification = { reason: "InvalidInput", retry: "no" }

/** A transport failure: `Unreachable` without an answer; by HTTP status otherwise. */
const byTransport = (
  error: { readonly kind: string; readonly status?: number | undefined }
): ErrorCode.Classification => {
  if (error.kind !== "HttpStatus" || error.status === undefined) return unreachable
  if (error.status === 429) return rateLimited
  return error.status >= 500 || error.status === 408 ? serverBusy : unknownStatus
}

/**
 * The request got no usable HTTP answer: `Network` (connection refused, reset, DNS), `Timeout`
 * (no answer within the configured request timeout) or `HttpStatus` (an answer other than 200,
 * such as 502). Network errors, timeouts, 408, 429 and 5xx are retryable.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimTransportError extends classified(
  Schema.TaggedError<TimTransportError>()("TimTransportError", {
    command: Schema.String,
    kind: Schema.Literals(["Network", "Timeout", "HttpStatus"]),
    status: Schema.optionalKey(Schema.Number),
    detail: Schema.String
  }),
  byTransport
) {
  override get message(): string {
    const status = this.status === undefined ? "" : ` ${this.status}`
    return `${this.command}: transport error (${this.kind}${status}): ${this.detail}`
  }
}

/**
 * The server answered 200 with a body that is not the documented JSON envelope. Not retried.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimDecodeError extends classified(
  Schema.TaggedError<TimDecodeError>()("TimDecodeError", {
    command: Schema.String,
    detail: Schema.String
  }),
  () => invalidResponse
) {
  override get message(): string {
    return `${this.command}: undecodable response: ${this.detail}`
  }
}

/**
 * The server refused the whole call with a non-zero `ErrorCode`. `reason`, `retryClass` and, for
 * credential errors, `hint` come from the code's classification (see `ErrorCode`).
 *
 * @example
 * ```ts
 * import { TimError } from "@timtags/core"
 *
 * const error = new TimError.TimApiError({ command: "timpush/get_tag", code: 70001, info: "UserSig expired" })
 * console.log(error.reason) // "Credentials"
 * console.log(error.retryClass) // "resign": a new UserSig, then one more try
 * console.log(error.hint !== undefined) // true: what is most likely wrong
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class TimApiError extends classified(
  Schema.TaggedError<TimApiError>()("TimApiError", {
    command: Schema.String,
    code: Schema.Number,
    info: Schema.String
  }),
  byCode
) {
  /** For credential codes: what is most likely wrong. */
  get hint(): string | undefined {
    return ErrorCode.classify(this.code).hint
  }
  override get message(): string {
    const hint = this.hint === undefined ? "" : ` (${this.hint})`
    return `${this.command}: error ${this.code} ${this.reason}: ${this.info}${hint}`
  }
}

/**
 * The server failed one account of a call (an `ErrorList` entry), e.g. 70107 for an account that
 * does not exist. The other accounts of the call are unaffected.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimAccountError extends classified(
  Schema.TaggedError<TimAccountError>()("TimAccountError", {
    command: Schema.String,
    account: Schema.String,
    code: Schema.Number,
    info: Schema.String
  }),
  byCode
) {
  override get message(): string {
    const info = this.info === "" ? "" : `: ${this.info}`
    return `${this.command}: account ${JSON.stringify(this.account)} failed with ${this.code} ${this.reason}${info}`
  }
}

/**
 * Input refused before any network call. `field` names the parameter, `value` shows the offending
 * value (truncated), `problem` says what is wrong with it.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimValidationError extends classified(
  Schema.TaggedError<TimValidationError>()("TimValidationError", {
    field: Schema.String,
    value: Schema.String,
    problem: Schema.String
  }),
  () => invalidInput
) {
  override get message(): string {
    return `invalid ${this.field} ${this.value}: ${this.problem}`
  }
}

/**
 * A failure of one REST call as a whole.
 *
 * @since 0.1.0
 * @category models
 */
export type TimCallError = TimTransportError | TimDecodeError | TimApiError

/**
 * A failure of one account in a call: the call failed, or the server failed that account.
 *
 * @since 0.1.0
 * @category models
 */
export type TimLookupError = TimCallError | TimAccountError

/**
 * Any error of this library.
 *
 * @example
 * ```ts
 * import { PushTags, TimError } from "@timtags/core"
 * import { Effect } from "effect"
 *
 * // An account that was never imported (70107) has no tags; any other error still fails.
 * const tagsOrNone = (account: string) =>
 *   Effect.flatMap(PushTags.PushTags, (pushTags) => pushTags.getTags(account)).pipe(
 *     Effect.catchTag("TimAccountError", (error) =>
 *       error.reason === "UnknownAccount" ? Effect.succeed([]) : Effect.fail(error))
 *   )
 *
 * // Every error has a `reason`, a `retryClass` and `retryable`.
 * const describe = (error: TimError.TimError): string =>
 *   `${error._tag} ${error.reason}${error.retryable ? " (retryable)" : ""}`
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type TimError = TimLookupError | TimValidationError

/**
 * Whether a value is one of this library's errors.
 *
 * @example
 * ```ts
 * import { TimError } from "@timtags/core"
 * import { Cause, Effect } from "effect"
 *
 * const report = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
 *   effect.pipe(
 *     Effect.tapCause((cause) => {
 *       const error = Cause.squash(cause)
 *       return TimError.isTimError(error)
 *         ? Effect.logError(`${error._tag} (${error.reason}): ${error.message}`)
 *         : Effect.logError(Cause.pretty(cause))
 *     })
 *   )
 * ```
 *
 * @since 0.2.0
 * @category guards
 */
export const isTimError = (u: unknown): u is TimError =>
  u instanceof TimApiError || u instanceof TimAccountError || u instanceof TimTransportError ||
  u instanceof TimDecodeError || u instanceof TimValidationError

/**
 * Renders any input value for an error message: JSON-ish, at most 60 characters.
 *
 * @since 0.1.0
 * @category utils
 */
export const showValue = (value: unknown): string => {
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
