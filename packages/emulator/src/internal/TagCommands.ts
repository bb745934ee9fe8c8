/**
 * The push-tag commands, `v4/timpush/{get_tag,add_tag,remove_tag,clear_all_tags}`: body shapes, tag
 * validation, per-account `ErrorList` entries and the test options (`omitEmptyTags`, `shuffleResponse`).
 */
import { ErrorCode } from "../ErrorCodes.js"
import { Limits, type Store, type TagChange } from "../Store.js"
import { type Command, type CommandContext, isObject, isStringArray, type Prepared, timpush } from "./Command.js"
import { type AccountError, accountError, type Envelope, fail, partial } from "./Envelope.js"

interface UserTags {
  readonly To_Account: string
  readonly Tags: ReadonlyArray<string>
}

const isUserTags = (u: unknown): u is UserTags =>
  isObject(u) && typeof u.To_Account === "string" && isStringArray(u.Tags)

const userTagsOf = (body: unknown): ReadonlyArray<UserTags> | undefined =>
  isObject(body) && Array.isArray(body.UserTags) && body.UserTags.every(isUserTags) ? body.UserTags : undefined

/** The first tag error in the entries: too many tags (90032), an empty tag (90040), a tag over 50 bytes (90020). */
const tagError = (entries: ReadonlyArray<UserTags>, maxTags: number): number | undefined => {
  for (const entry of entries) {
    if (entry.Tags.length > maxTags) return ErrorCode.TooManyTags
    for (const tag of entry.Tags) {
      if (tag.length === 0) return ErrorCode.EmptyTag
      if (Buffer.byteLength(tag, "utf8") > Limits.tagBytes) return ErrorCode.TagTooLong
    }
  }
  return undefined
}

/** Runs `change` on each item in order, listing the codes it returns per account in `ErrorList`. */
const perAccount = <A>(
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

const accountOfEntry = (entry: UserTags) => entry.To_Account

const accountOfName = (account: string) => account

const removed = (found: boolean) => (found ? undefined : ErrorCode.AccountNotFound)

const changeCodes: Record<TagChange, number | undefined> = {
  Changed: undefined,
  UnknownAccount: ErrorCode.AccountNotFound,
  UserTagLimit: ErrorCode.UserTagLimit,
  AppTagLimit: ErrorCode.AppTagLimit
}

/** Reorders in place so that no element keeps its position (Sattolo's algorithm: a random single cycle). */
const derange = <A>(items: Array<A>): Array<A> => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * i)
    const x = items[i]!
    items[i] = items[j]!
    items[j] = x
  }
  return items
}

const getTags = (accounts: ReadonlyArray<string>, { omitEmptyTags, shuffleResponse, store }: CommandContext) => {
  const userTags: Array<{ readonly To_Account: string; readonly Tags?: ReadonlyArray<string> }> = []
  const errors: Array<AccountError> = []
  for (const account of accounts) {
    const tags = store.tagsOf(account)
    if (tags === undefined) errors.push(accountError(account, ErrorCode.AccountNotFound))
    else if (omitEmptyTags && tags.length === 0) userTags.push({ To_Account: account })
    else userTags.push({ To_Account: account, Tags: tags })
  }
  return partial({ UserTags: shuffleResponse ? derange(userTags) : userTags }, errors)
}

const addTags = (store: Store, entries: ReadonlyArray<UserTags>, replace: boolean) => {
  const code = tagError(entries, replace ? Limits.tagsPerReplace : Limits.tagsPerAdd)
  if (code !== undefined) return fail(code)
  return perAccount(entries, accountOfEntry, (e) => changeCodes[store.addTags(e.To_Account, e.Tags, replace)])
}

const accountList =
  (run: (accounts: ReadonlyArray<string>, context: CommandContext) => Envelope) =>
  (body: unknown): Prepared | undefined =>
    isObject(body) && isStringArray(body.To_Account)
      ? { accounts: body.To_Account.length, run: (context) => run(body.To_Account as ReadonlyArray<string>, context) }
      : undefined

const userTagList =
  (run: (entries: ReadonlyArray<UserTags>, context: CommandContext) => Envelope) =>
  (body: unknown): Prepared | undefined => {
    const entries = userTagsOf(body)
    return entries === undefined ? undefined : { accounts: entries.length, run: (context) => run(entries, context) }
  }

/** `get_tag`: `{To_Account}` → `UserTags` for existing accounts, `ErrorList` 70107 for the others. */
export const getTag: Command = { service: timpush, name: "get_tag", prepare: accountList(getTags) }

/** `add_tag`: `{Replace?, UserTags}`; `Replace: 1` overwrites each user's tags. */
export const addTag: Command = {
  service: timpush,
  name: "add_tag",
  prepare: (body) => {
    const replace = isObject(body) ? body.Replace : undefined
    if (replace !== undefined && replace !== 0 && replace !== 1) return undefined
    return userTagList((entries, { store }) => addTags(store, entries, replace === 1))(body)
  }
}

/** `remove_tag`: `{UserTags}`; removes the listed tags, ignoring ones the user does not have. */
export const removeTag: Command = {
  service: timpush,
  name: "remove_tag",
  prepare: userTagList((entries, { store }) => {
    const code = tagError(entries, Infinity)
    return code !== undefined
      ? fail(code)
      : perAccount(entries, accountOfEntry, (e) => removed(store.removeTags(e.To_Account, e.Tags)))
  })
}

/** `clear_all_tags`: `{To_Account}`; removes every tag of each account. */
export const clearAllTags: Command = {
  service: timpush,
  name: "clear_all_tags",
  prepare: accountList((accounts, { store }) =>
    perAccount(accounts, accountOfName, (account) => removed(store.clearTags(account)))
  )
}
