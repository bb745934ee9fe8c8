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
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as ErrorCode from "./ErrorCode.js"

const ReasonSchema = Schema.Literal(
  "RateLimited",
  "ServerBusy",
  "Credentials",
  "Permission",
  "InvalidRequest",
  "UnknownAccount",
  "AccountType",
  "Unknown"
)

/**
 * The request got no usable HTTP answer: `Network` (connection refused, reset, DNS), `Timeout`
 * (no answer within the configured request timeout) or `HttpStatus` (an answer other than 200,
 * such as 502). Network errors, timeouts, 408, 429 and 5xx are retryable.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimTransportError extends Schema.TaggedError<TimTransportError>()("TimTransportError", {
  command: Schema.String,
  kind: Schema.Literal("Network", "Timeout", "HttpStatus"),
  status: Schema.optional(Schema.Number),
  detail: Schema.String
}) {
  /** Whether retrying may help. */
  get retryable(): boolean {
    return this.kind !== "HttpStatus" || this.status === undefined || this.status >= 500 || this.status === 408 ||
      this.status === 429
  }
  /** How to retry it. */
  get retryClass(): ErrorCode.RetryClass {
    if (!this.retryable) return "no"
    return this.status === 429 ? "throttled" : "backoff"
  }
  override get message(): string {
    const status = this.status === undefined ? "" : ` ${this.status}`
    return `${this.command}: transport error (${this.kind}${status}): ${this.detail}`
  }
}

/**
 * The server answered 200 with a body that is not the documented JSON envelope.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimDecodeError extends Schema.TaggedError<TimDecodeError>()("TimDecodeError", {
  command: Schema.String,
  detail: Schema.String
}) {
  /** Undecodable answers are not retried. */
  get retryable(): boolean {
    return false
  }
  /** How to retry it. */
  get retryClass(): ErrorCode.RetryClass {
    return "no"
  }
  override get message(): string {
    return `${this.command}: undecodable response: ${this.detail}`
  }
}

/**
 * The server refused the whole call with a non-zero `ErrorCode`. `reason`, `retryable` and, for
 * credential errors, `hint` come from the code's classification (see `ErrorCode`).
 *
 * @since 0.1.0
 * @category errors
 */
export class TimApiError extends Schema.TaggedError<TimApiError>()("TimApiError", {
  command: Schema.String,
  code: Schema.Number,
  info: Schema.String,
  reason: ReasonSchema,
  hint: Schema.optional(Schema.String)
}) {
  /** Builds the error for a code, classifying it. */
  static fromCode(command: string, code: number, info: string): TimApiError {
    const { hint, reason } = ErrorCode.classify(code)
    return new TimApiError(hint === undefined ? { command, code, info, reason } : { command, code, info, reason, hint })
  }
  /** How to retry it. */
  get retryClass(): ErrorCode.RetryClass {
    return ErrorCode.classify(this.code).retry
  }
  /** Whether retrying (possibly after re-signing) may help. */
  get retryable(): boolean {
    return this.retryClass !== "no"
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
export class TimAccountError extends Schema.TaggedError<TimAccountError>()("TimAccountError", {
  command: Schema.String,
  account: Schema.String,
  code: Schema.Number,
  info: Schema.String,
  reason: ReasonSchema
}) {
  /** Builds the error for an `ErrorList` entry, classifying its code. */
  static fromEntry(command: string, account: string, code: number, info: string): TimAccountError {
    return new TimAccountError({ command, account, code, info, reason: ErrorCode.classify(code).reason })
  }
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
export class TimValidationError extends Schema.TaggedError<TimValidationError>()("TimValidationError", {
  field: Schema.String,
  value: Schema.String,
  problem: Schema.String
}) {
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
