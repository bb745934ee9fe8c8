/**
 * The JSON envelope of every REST answer: `ActionStatus`, `ErrorCode`, `ErrorInfo`, plus the command's own
 * fields and, for partial success, an `ErrorList` of per-account failures (omitted when empty).
 */
import { ErrorCode, info } from "../ErrorCodes.js"

/** A REST answer body. */
export interface Envelope {
  readonly ActionStatus: "OK" | "FAIL"
  readonly ErrorCode: number
  readonly ErrorInfo: string
  readonly [field: string]: unknown
}

/** One account's failure inside `ErrorList`. */
export interface AccountError {
  readonly To_Account: string
  readonly ErrorCode: number
  readonly ErrorInfo: string
}

/** A success envelope carrying the command's fields. */
export const ok = (fields?: Readonly<Record<string, unknown>>): Envelope => ({
  ActionStatus: "OK",
  ErrorCode: 0,
  ErrorInfo: "",
  ...fields
})

/** A success envelope with per-account failures in `ErrorList`, which is left out when there are none. */
export const partial = (
  fields: Readonly<Record<string, unknown>>,
  errors: ReadonlyArray<AccountError>
): Envelope => ok(errors.length === 0 ? fields : { ...fields, ErrorList: errors })

/** A failure envelope; `ErrorInfo` defaults to the code's text. */
export const fail = (code: number, errorInfo: string = info(code)): Envelope => ({
  ActionStatus: "FAIL",
  ErrorCode: code,
  ErrorInfo: errorInfo
})

/** An `ErrorList` entry. */
export const accountError = (account: string, code: number): AccountError => ({
  To_Account: account,
  ErrorCode: code,
  ErrorInfo: info(code)
})

/** Runs `change` on each item in order, listing the codes it returns per account in `ErrorList` (with the code's text). */
export const perAccount = <A>(
  items: ReadonlyArray<A>,
  accountOf: (item: A) => string,
  change: (item: A) => number | undefined
): Envelope => {
  const errors: Array<AccountError> = []
  for (const item of items) {
    const code = change(item)
    if (code !== undefined) errors.push(accountError(accountOf(item), code))
  }
  return partial({}, errors)
}

/** For each account in order, the entry `find` gives it, or (when `find` gives none) a 70107 in `errors`. */
export const lookupEach = <E>(accounts: ReadonlyArray<string>, find: (account: string) => E | undefined) => {
  const entries: Array<E> = []
  const errors: Array<AccountError> = []
  for (const account of accounts) {
    const entry = find(account)
    if (entry === undefined) errors.push(accountError(account, ErrorCode.AccountNotFound))
    else entries.push(entry)
  }
  return { entries, errors }
}
