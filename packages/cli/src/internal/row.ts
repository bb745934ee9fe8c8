/**
 * What every command prints about one account: an `Outcome` (the account and its `Result`) becomes an
 * `Entry`, named fields in a fixed order: `account`, `status` (`ok` or `failed`), the command's own fields of a
 * success (its `Shape`: `tags` for `get-tag`, `attrs` for `attrs get`, `task` for a push, nothing for a write)
 * and `error` for a failure. The encoders turn entries into a table, JSON, NDJSON or CSV.
 */
import type { Attr, TimError } from "@timtags/core"
import * as Result from "effect/Result"

/** One account's outcome, as the library gives it. */
export interface Outcome<A> {
  readonly account: string
  readonly result: Result.Result<A, TimError.TimError>
}

/** A failure as printed: JSON gets every field, a table or CSV a short `text`. */
export interface ErrorInfo {
  readonly _tag: string
  readonly reason: string
  readonly code?: number
  readonly info?: string
  readonly hint?: string
  /** The `MsgRandom` of a push whose outcome is unknown. */
  readonly msgRandom?: number
  readonly message: string
}

/**
 * A field's value; `undefined` is left out of JSON and empty in a table or CSV. A `Map` (values by name, such
 * as attributes) is an object in JSON and `name=value` pairs in a table or CSV.
 */
export type Cell =
  | string
  | number
  | boolean
  | ReadonlyArray<string>
  | ReadonlyMap<string, string>
  | ErrorInfo
  | undefined

/** Named fields, in order. */
export type Entry = ReadonlyArray<readonly [name: string, value: Cell]>

/** How a command shows a success: its fields, by name. */
export interface Shape<A> {
  readonly names: ReadonlyArray<string>
  readonly fields: (value: A) => ReadonlyArray<Cell>
}

/** A write: nothing to show but `ok`. */
export const done: Shape<unknown> = { names: [], fields: () => [] }

/** Tags. */
export const tags: Shape<ReadonlyArray<string>> = { names: ["tags"], fields: (tags) => [tags] }

/** The task a push to listed accounts reached the account with. */
export const task: Shape<string> = { names: ["task"], fields: (taskId) => [taskId] }

/** Attributes, by name. */
export const attrs: Shape<Attr.Attrs> = { names: ["attrs"], fields: (attrs) => [new Map(Object.entries(attrs))] }

/** The printed form of a failure. */
export const errorInfo = (failure: TimError.TimError): ErrorInfo => ({
  _tag: failure._tag,
  reason: failure.reason,
  ...("code" in failure ? { code: failure.code, info: failure.info } : {}),
  ...("hint" in failure && failure.hint !== undefined ? { hint: failure.hint } : {}),
  ...("msgRandom" in failure && failure.msgRandom !== undefined ? { msgRandom: failure.msgRandom } : {}),
  message: failure.message
})

/** A failure in a table or CSV cell: `UnknownAccount 70107: account does not exist`, or the message. */
export const errorText = (error: ErrorInfo): string =>
  error.code === undefined
    ? error.message
    : `${error.reason} ${error.code}: ${error.info ?? ""}${error.hint === undefined ? "" : ` (${error.hint})`}`

/** The field names of a shape's entries, in order. */
export const names = <A>(shape: Shape<A>): ReadonlyArray<string> => ["account", "status", ...shape.names, "error"]

/** An outcome's entry. */
export const entry = <A>(shape: Shape<A>) => ({ account, result }: Outcome<A>): Entry =>
  Result.isSuccess(result)
    ? [
      ["account", account],
      ["status", "ok"],
      ...shape.fields(result.success).map((value, i) => [shape.names[i]!, value] as const),
      ["error", undefined]
    ]
    : [
      ["account", account],
      ["status", "failed"],
      ...shape.names.map((name) => [name, undefined] as const),
      ["error", errorInfo(result.failure)]
    ]

/** Whether a failure will fail every account alike (wrong credentials, not an admin): no use going on. */
export const isFatal = (failure: TimError.TimError): boolean =>
  failure._tag === "TimApiError" && (failure.reason === "Credentials" || failure.reason === "Permission")
