/**
 * Where the results of one call go, account by account: by the account's index in the call. The
 * many-account forms write them into their outcomes, the resolver completes its request entries,
 * and riders on a shared call get theirs passed on.
 */
import type { TimLookupError } from "../../TimError.js"

/** Receives each account's result, once per index. */
export interface Sink<O> {
  readonly succeed: (index: number, value: O) => void
  readonly fail: (index: number, error: TimLookupError) => void
}
