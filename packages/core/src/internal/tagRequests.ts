/**
 * What each tag write sends for one account, validated before any network call: the account, and
 * its tags split into the requests `add_tag` / `remove_tag` take (at most 10 tags per request when
 * adding; a replace is always one request of at most 100), or the `TimValidationError` that names
 * what is wrong.
 */
import * as Result from "effect/Result"
import * as Account from "../Account.js"
import * as Tag from "../Tag.js"
import type { TimValidationError } from "../TimError.js"

/** An account and the tag lists of its requests, one after the other. */
export interface Requests {
  readonly account: string
  readonly requests: ReadonlyArray<ReadonlyArray<string>>
}

/** A valid account with a valid list of at most 100 distinct tags. */
const accountTags = (account: unknown, tags: Iterable<unknown>) =>
  Result.flatMap(
    Account.validate(account),
    (valid) => Result.map(Tag.validateList(tags, Tag.limits.maxPerUser), (list) => ({ account: valid, tags: list }))
  )

/** An account's `add_tag` requests: one with all the tags to replace them, or requests of at most 10 to add them. */
export const add = (
  account: unknown,
  tags: Iterable<unknown>,
  replace: boolean
): Result.Result<Requests, TimValidationError> =>
  Result.map(accountTags(account, tags), (valid) => ({
    account: valid.account,
    requests: replace ? [valid.tags] : Account.chunksOf(valid.tags, Tag.limits.maxPerAdd)
  }))

/** An account's `remove_tag` request. */
export const remove = (account: unknown, tags: Iterable<unknown>): Result.Result<Requests, TimValidationError> =>
  Result.map(accountTags(account, tags), (valid) => ({ account: valid.account, requests: [valid.tags] }))
