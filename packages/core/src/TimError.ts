/**
 * The errors of this library. Every expected failure is one of these tagged errors, and none of
 * them ever holds a SecretKey, a UserSig or a request URL with its query.
 *
 * - `TimTransportError`: the request did not get a usable HTTP answer (network, timeout, non-200,
 *   too large).
 * - `TimDecodeError`: a 200 answer whose body is not the documented envelope.
 * - `TimApiError`: the server answered with a non-zero `ErrorCode` for the whole call.
 * - `TimAccountError`: the server listed one account in `ErrorList` (e.g. 70107, 90035).
 * - `TimValidationError`: input refused before any network call.
 *
 * Each has a `reason` (one `Reason` for all of them), a `retryClass`, `retryable` and, for credential
 * codes, a `hint`; `toJSON()` (so `JSON.stringify`, `console.log` and Effect's loggers) carries them
 * beside the fields. `isTimError` tells them from anything else by their `TypeId` mark, also across
 * two copies of this package.
 *
 * They are built on Effect's `Data.Error`, not on `Schema`: a failure path is on every call, and an
 * application bundled for the edge should not carry Effect's schema machinery for it. (They were
 * `Schema.TaggedError` classes up to 0.2.)
 *
 * @since 0.1.0
 */
import type * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import { hasProperty } from "effect/Predicate"
import * as ErrorCode from "./ErrorCode.js"
import * as Reasons from "./Reason.js"

/**
 * Why a call or an account failed: the `Reason` module's schema, here for compatibility.
 *
 * @since 0.2.0
 * @category models
 */
export const Reason = Reasons.Reason

/**
 * Why a call or an account failed (see the `Reason` module).
 *
 * @since 0.1.0
 * @category models
 */
export type Reason = Reasons.Reason

/**
 * The mark every error of this library carries (on its prototype), so that `isTimError` recognises
 * them even when two copies of `@timtags/core` are loaded in one application.
 *
 * @since 0.3.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@timtags/core/TimError")

/**
 * The mark of this library's errors.
 *
 * @since 0.3.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * The classification every error carries, as plain data: what `toJSON()` adds to the fields.
 *
 * @since 0.3.0
 * @category models
 */
export interface ClassificationJson {
  readonly reason: Reason
  readonly retryClass: Reasons.RetryClass
  readonly retryable: boolean
  /** For credential codes (`TimApiError` only): what is most likely wrong. */
  readonly hint?: string
}

/**
 * The base of an error class with these fields: Effect's `Data.Error` (yieldable, `_tag` for
 * `Effect.catchTag`, `toJSON()` with the fields), with `_tag` first and `name` set to it. The classes
 * below are built by calls marked pure, so that a bundle leaves out those it never uses (a worker
 * that only looks tags up has no push errors).
 */
const tagged = <const Tag extends string>(tag: Tag) =>
<A extends Record<string, unknown>>(): new(
  fields: A
) => Cause.YieldableError & { readonly _tag: Tag } & Readonly<A> => {
  class Tagged extends Data.Error<Record<string, unknown>> {
    constructor(fields: A) {
      super({ _tag: tag, ...fields })
    }
  }
  Tagged.prototype.name = tag
  return Tagged as never
}

/**
 * Adds `reason`, `retryClass`, `retryable` and the `TypeId` mark to an error class, from one
 * classification of each error (by its code, its transport failure, or fixed for the class), and
 * puts them in `toJSON()` (which `JSON.stringify`, `console.log` and Effect's loggers print).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base constructor must take `any[]`
const classified = <C extends abstract new(...args: Array<any>) => { toJSON(): unknown }>(
  Base: C,
  classify: (error: InstanceType<C>) => Reasons.Classification
) => {
  abstract class Classified extends Base {
    /** The mark `isTimError` looks for. */
    get [TypeId](): TypeId {
      return TypeId
    }
    /** Why it failed. */
    get reason(): Reason {
      return classify(this as InstanceType<C>).reason
    }
    /** How to retry it: `no`, `backoff`, `throttled` (frequency limits) or `resign` (a new UserSig, then once). */
    get retryClass(): Reasons.RetryClass {
      return classify(this as InstanceType<C>).retry
    }
    /** Whether retrying (possibly after re-signing) may help. */
    get retryable(): boolean {
      return this.retryClass !== "no"
    }
    /** What is most likely wrong, when the classification knows (credential codes). */
    get hint(): string | undefined {
      return classify(this as InstanceType<C>).hint
    }
    /** The fields, with the classification: `reason`, `retryClass`, `retryable` and `hint` (when there is one). */
    override toJSON(): unknown {
      const { hint } = this
      const classification: ClassificationJson = {
        reason: this.reason,
        retryClass: this.retryClass,
        retryable: this.retryable,
        ...(hint === undefined ? {} : { hint })
      }
      return { ...(super.toJSON() as object), ...classification }
    }
  }
  return Classified
}

const byCode = (error: { readonly code: number; readonly addressedBy?: ErrorCode.AddressedBy }) =>
  ErrorCode.classify(error.code, error.addressedBy)

/** A transport failure: `Unreachable` without an answer; by HTTP status, or too large, otherwise. */
const byTransport = (
  error: { readonly kind: string; readonly status?: number | undefined }
): Reasons.Classification => {
  if (error.kind === "TooLarge") return Reasons.invalidResponse
  if (error.kind !== "HttpStatus" || error.status === undefined) return Reasons.unreachable
  return Reasons.ofHttpStatus(error.status)
}

/**
 * The request got no usable HTTP answer: `Network` (connection refused, reset, DNS), `Timeout`
 * (no answer within the configured request timeout), `HttpStatus` (an answer other than 200,
 * such as 502) or `TooLarge` (an answer body over `TimConfig`'s `maxAnswerBytes`, which is not
 * read further). Network errors, timeouts, 408, 429 and 5xx are retryable; `TooLarge` is
 * `InvalidResponse` and is not.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimTransportError extends /*#__PURE__*/ classified(
  /*#__PURE__*/ tagged("TimTransportError")<{
    readonly command: string
    readonly kind: "Network" | "Timeout" | "HttpStatus" | "TooLarge"
    readonly status?: number
    readonly detail: string
  }>(),
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
export class TimDecodeError extends /*#__PURE__*/ classified(
  /*#__PURE__*/ tagged("TimDecodeError")<{
    readonly command: string
    readonly detail: string
  }>(),
  () => Reasons.invalidResponse
) {
  override get message(): string {
    return `${this.command}: undecodable response: ${this.detail}`
  }
}

/**
 * The server refused the whole call with a non-zero `ErrorCode`. `reason`, `retryClass` and, for
 * credential errors, `hint` come from the code's classification (see `ErrorCode`). `addressedBy`
 * says whether the client called a region's domain or an explicit base URL, which changes the
 * hint for 70016, 70020 and 60026 (a wrong region, or a mistyped SDKAppID).
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
export class TimApiError extends /*#__PURE__*/ classified(
  /*#__PURE__*/ tagged("TimApiError")<{
    readonly command: string
    readonly code: number
    readonly info: string
    readonly addressedBy?: ErrorCode.AddressedBy
  }>(),
  byCode
) {
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
export class TimAccountError extends /*#__PURE__*/ classified(
  /*#__PURE__*/ tagged("TimAccountError")<{
    readonly command: string
    readonly account: string
    readonly code: number
    readonly info: string
  }>(),
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
export class TimValidationError extends /*#__PURE__*/ classified(
  /*#__PURE__*/ tagged("TimValidationError")<{
    readonly field: string
    readonly value: string
    readonly problem: string
  }>(),
  () => Reasons.invalidInput
) {
  override get message(): string {
    return `invalid ${this.field} ${this.value}: ${this.problem}`
  }
}

/**
 * A push (or a scheduled push) that Tencent may or may not have taken: the request was written, then
 * the answer never came in time, the connection was reset, or the answer was a 5xx, undecodable, or
 * 91000. It is **never resent** (a resend could notify every phone twice). Reconcile before sending
 * again: the `msgRandom` and `sentAt` identify the attempt in Tencent's push callbacks
 * (`Push.AllMemberPush`, by `TaskTime`) and the statistics; a scheduled push shows in
 * `PushSchedule.list` around its time, where a duplicate can still be cancelled.
 *
 * @since 0.3.0
 * @category errors
 */
export class TimOutcomeUnknownError extends /*#__PURE__*/ classified(
  /*#__PURE__*/ tagged("TimOutcomeUnknownError")<{
    readonly command: string
    /** The `MsgRandom` it was sent with (a scheduled push has none). */
    readonly msgRandom?: number
    /** Whom it was for, e.g. `tags {"TagsAnd":["gold"]}` or `500 accounts`. */
    readonly target: string
    /** When it was first sent (epoch ms). */
    readonly sentAt: number
    /** Attempts made (a resend only ever follows a certain refusal). */
    readonly attempts: number
    /** What ended the last attempt. */
    readonly detail: string
  }>(),
  () => Reasons.outcomeUnknown
) {
  override get message(): string {
    const random = this.msgRandom === undefined ? "" : ` (MsgRandom ${this.msgRandom})`
    return `${this.command} to ${this.target}${random}, sent at ${new Date(this.sentAt).toISOString()}: ` +
      `the outcome is unknown, and it was not resent: ${this.detail}`
  }
}

/**
 * The daily push quota is used up: counted by this library (`source: "client"`, nothing was sent)
 * or answered by Tencent (`"server"`, 90047). It resets at `resetsAt` (epoch ms), or when more is
 * bought (then raise `Push`'s `dailyQuota`).
 *
 * @since 0.3.0
 * @category errors
 */
export class TimQuotaError extends /*#__PURE__*/ classified(
  /*#__PURE__*/ tagged("TimQuotaError")<{
    readonly command: string
    readonly quota: number
    readonly resetsAt: number
    readonly source: "client" | "server"
  }>(),
  () => Reasons.quotaExceeded
) {
  override get message(): string {
    const by = this.source === "client"
      ? `this client counted ${this.quota} today (raise Push's dailyQuota if the app's edition allows more)`
      : "Tencent answered 90047"
    return `${this.command}: the daily push quota is used up: ${by}; it resets at ${
      new Date(this.resetsAt).toISOString()
    }`
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
export type TimError = TimLookupError | TimValidationError | TimOutcomeUnknownError | TimQuotaError

/**
 * Whether a value is one of this library's errors: it looks for the `TypeId` mark, not the class,
 * so that errors from another copy of `@timtags/core` in the same application are recognised too.
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
export const isTimError = (u: unknown): u is TimError => hasProperty(u, TypeId)

/**
 * Renders any input value for an error message: JSON-ish, at most 60 characters. It never throws:
 * a value JSON cannot carry (a BigInt inside, a cycle, nesting too deep for `JSON.stringify`, an
 * object without a prototype) is named by its kind (`[object Array]`).
 *
 * @since 0.1.0
 * @category utils
 */
export const showValue = (value: unknown): string => {
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = typeof value === "object" && value !== null ? Object.prototype.toString.call(value) : String(value)
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
