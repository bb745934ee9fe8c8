/**
 * Input validation for `PushTags`, done before any network call: each operation's input becomes the
 * requests to send for it, or the `TimValidationError` that names what is wrong with it.
 */
import * as Result from "effect/Result"
import * as Account from "../Account.js"
import * as Tag from "../Tag.js"
import type { TimValidationError } from "../TimError.js"
import type { Plan } from "./many.js"
import { AddTags, ClearAllTags, GetTags, RemoveTags } from "./requests.js"

/** Tags for one account, as the many-account writes take them. */
export interface TagsFor {
  readonly account: string
  readonly tags: Iterable<string>
}

/** One account's `get_tag` request. */
export const getTags = (account: unknown): Result.Result<ReadonlyArray<GetTags>, TimValidationError> =>
  Result.map(Account.validate(account), (valid) => [new GetTags({ account: valid })])

/** One account's `clear_all_tags` request. */
export const clearAllTags = (account: unknown): Result.Result<ReadonlyArray<ClearAllTags>, TimValidationError> =>
  Result.map(Account.validate(account), (valid) => [new ClearAllTags({ account: valid })])

/** A valid account with a valid list of at most 100 distinct tags. */
const accountTags = (account: unknown, tags: Iterable<unknown>) =>
  Result.flatMap(Account.validate(account), (valid) =>
    Result.map(Tag.validateList(tags, Tag.limits.maxPerUser), (list) => ({ account: valid, tags: list })))

/**
 * An account's `add_tag` requests: one with all the tags to replace them (at most 100), or requests
 * of at most 10 tags to add them.
 */
export const addTags = (account: unknown, tags: Iterable<unknown>, replace: boolean) =>
  Result.map(accountTags(account, tags), (valid): ReadonlyArray<AddTags> =>
    (replace ? [valid.tags] : Account.chunksOf(valid.tags, Tag.limits.maxPerAdd)).map((part) =>
      new AddTags({ account: valid.account, tags: part })
    ))

/** An account's `remove_tag` request. */
export const removeTags = (account: unknown, tags: Iterable<unknown>) =>
  Result.map(accountTags(account, tags), (valid): ReadonlyArray<RemoveTags> => [new RemoveTags(valid)])

/** A plan for many accounts: each distinct input once. */
export const ofAccounts = <Req>(
  accounts: Iterable<unknown>,
  plan: (account: unknown) => Result.Result<ReadonlyArray<Req>, TimValidationError>
): Plan<Req> => {
  const planned = new Map<unknown, Result.Result<ReadonlyArray<Req>, TimValidationError>>()
  for (const account of accounts) if (!planned.has(account)) planned.set(account, plan(account))
  return planned
}

/** A plan for many entries: the tags of entries for the same account are merged first. */
export const ofEntries = <Req>(
  entries: Iterable<TagsFor>,
  plan: (account: unknown, tags: ReadonlyArray<unknown>) => Result.Result<ReadonlyArray<Req>, TimValidationError>
): Plan<Req> => {
  const merged = new Map<unknown, Array<unknown>>()
  for (const { account, tags } of entries) {
    const list = merged.get(account)
    if (list === undefined) merged.set(account, [...tags])
    else list.push(...tags)
  }
  const planned = new Map<unknown, Result.Result<ReadonlyArray<Req>, TimValidationError>>()
  for (const [account, tags] of merged) planned.set(account, plan(account, tags))
  return planned
}
