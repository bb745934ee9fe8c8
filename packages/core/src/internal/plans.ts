/**
 * Input validation for `PushTags`, done before any network call: each operation's input becomes the
 * requests to send for it, or the `TimValidationError` that names what is wrong with it.
 */
import * as Result from "effect/Result"
import * as Account from "../Account.js"
import * as Tag from "../Tag.js"
import type { TimValidationError } from "../TimError.js"
import type { Plan } from "./many.js"
import { AddTags, RemoveTags } from "./requests.js"

/** Tags for one account, as the many-account writes take them. */
export interface TagsFor {
  readonly account: string
  readonly tags: Iterable<string>
}

/** A valid account with a valid list of at most 100 distinct tags. */
const accountTags = (account: unknown, tags: Iterable<unknown>) =>
  Result.flatMap(
    Account.validate(account),
    (valid) => Result.map(Tag.validateList(tags, Tag.limits.maxPerUser), (list) => ({ account: valid, tags: list }))
  )

/**
 * An account's `add_tag` requests: one with all the tags to replace them (at most 100), or requests
 * of at most 10 tags to add them.
 */
export const addTags = (account: unknown, tags: Iterable<unknown>, replace: boolean) =>
  Result.map(
    accountTags(account, tags),
    (valid): ReadonlyArray<AddTags> =>
      (replace ? [valid.tags] : Account.chunksOf(valid.tags, Tag.limits.maxPerAdd)).map((part) =>
        new AddTags({ account: valid.account, tags: part })
      )
  )

/** An account's `remove_tag` request. */
export const removeTags = (account: unknown, tags: Iterable<unknown>) =>
  Result.map(accountTags(account, tags), (valid): ReadonlyArray<RemoveTags> => [new RemoveTags(valid)])

/** A plan for many accounts: each distinct input once, one request for each valid one. */
export const ofAccounts = <Req>(accounts: Iterable<unknown>, request: (account: string) => Req): Plan<Req> => {
  const seen = new Set<unknown>()
  const requests: Array<Req> = []
  const owners: Array<unknown> = []
  const refused = new Map<unknown, TimValidationError>()
  for (const input of accounts) {
    if (seen.has(input)) continue
    seen.add(input)
    const refusal = Account.refusal(input)
    if (refusal !== undefined) {
      refused.set(input, refusal)
    } else {
      requests.push(request(input as string))
      owners.push(input)
    }
  }
  return { requests, owners, refused }
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
  const requests: Array<Req> = []
  const owners: Array<unknown> = []
  const refused = new Map<unknown, TimValidationError>()
  for (const [account, tags] of merged) {
    const planned = plan(account, tags)
    if (Result.isFailure(planned)) refused.set(account, planned.failure)
    else {
      for (const request of planned.success) {
        requests.push(request)
        owners.push(account)
      }
    }
  }
  return { requests, owners, refused }
}
