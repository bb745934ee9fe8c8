/**
 * The push-tag commands, `v4/timpush/{get_tag,add_tag,remove_tag,clear_all_tags}`: body shapes, tag
 * validation, per-account `ErrorList` entries and the test options (`omitEmptyTags`, `shuffleResponse`).
 */
import { ErrorCode } from "../ErrorCodes.js"
import { Limits, type TagChange } from "../Store.js"
import { accountCount, accountList, accountOfEntry, accountOfName, entryCount, entryList } from "./Bodies.js"
import { type Command, type CommandContext, declare, isObject, isStringArray, utf8Bytes } from "./Command.js"
import { fail, lookupEach, partial, perAccount } from "./Envelope.js"

interface UserTags {
  readonly To_Account: string
  readonly Tags: ReadonlyArray<string>
}

const userTagList = entryList<UserTags>("UserTags", (entry) => isStringArray(entry.Tags))

/** Why a tag is refused: empty (90040) or over 50 bytes (90020); `undefined` when it is fine. */
export const tagError = (tag: string): number | undefined =>
  tag.length === 0 ? ErrorCode.EmptyTag : utf8Bytes(tag) > Limits.tagBytes ? ErrorCode.TagTooLong : undefined

/** The first tag error in the entries: too many tags (90032), an empty tag (90040), a tag over 50 bytes (90020). */
const entriesError = (entries: ReadonlyArray<UserTags>, maxTags: number): number | undefined => {
  for (const entry of entries) {
    if (entry.Tags.length > maxTags) return ErrorCode.TooManyTags
    for (const tag of entry.Tags) {
      const code = tagError(tag)
      if (code !== undefined) return code
    }
  }
  return undefined
}

const removed = (found: boolean) => (found ? undefined : ErrorCode.AccountNotFound)

const changeCodes: Record<TagChange, number | undefined> = {
  Changed: undefined,
  UnknownAccount: ErrorCode.AccountNotFound,
  UserTagLimit: ErrorCode.UserTagLimit,
  AppTagLimit: ErrorCode.AppTagLimit,
  WrongKind: ErrorCode.WrongAccountKind
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
  const { entries, errors } = lookupEach(accounts, (account) => {
    const tags = store.tagsOf(account)
    return tags === undefined
      ? undefined
      : omitEmptyTags && tags.length === 0
      ? { To_Account: account }
      : { To_Account: account, Tags: tags }
  })
  return partial({ UserTags: shuffleResponse ? derange(entries) : entries }, errors)
}

/** `get_tag`: `{To_Account}` → `UserTags` for existing accounts, `ErrorList` 70107 for the others. */
export const getTag: Command = declare({ name: "get_tag", parse: accountList, accounts: accountCount, run: getTags })

/** `add_tag`: `{Replace?, UserTags}`; `Replace: 1` overwrites each user's tags. */
export const addTag: Command = declare({
  name: "add_tag",
  parse: (body) => {
    const replace = isObject(body) ? body.Replace : undefined
    if (replace !== undefined && replace !== 0 && replace !== 1) return undefined
    const entries = userTagList(body)
    return entries === undefined ? undefined : { entries, replace: replace === 1 }
  },
  accounts: ({ entries }) => entries.length,
  run: ({ entries, replace }, { store }) => {
    const code = entriesError(entries, replace ? Limits.tagsPerReplace : Limits.tagsPerAdd)
    return code !== undefined
      ? fail(code)
      : perAccount(entries, accountOfEntry, (e) => changeCodes[store.addTags(e.To_Account, e.Tags, replace)])
  }
})

/** `remove_tag`: `{UserTags}`; removes the listed tags, ignoring ones the user does not have. */
export const removeTag: Command = declare({
  name: "remove_tag",
  parse: userTagList,
  accounts: entryCount,
  run: (entries, { store }) => {
    const code = entriesError(entries, Infinity)
    return code !== undefined
      ? fail(code)
      : perAccount(entries, accountOfEntry, (e) => removed(store.removeTags(e.To_Account, e.Tags)))
  }
})

/** `clear_all_tags`: `{To_Account}`; removes every tag of each account. */
export const clearAllTags: Command = declare({
  name: "clear_all_tags",
  parse: accountList,
  accounts: accountCount,
  run: (accounts, { store }) => perAccount(accounts, accountOfName, (account) => removed(store.clearTags(account)))
})
