/**
 * A push `Condition` (spec §3.7): its shape, the rules Tencent documents for it, and the accounts it
 * describes in the emulator's store. Tags: `TagsAnd` (every one held), `TagsOr` (at least one held),
 * `TagsNot`; attributes: `AttrsAnd` (every name has that value), `AttrsOr` (at least one has). Lists given
 * together must all hold. A condition naming no tag and no attribute (`{}`, or only empty lists) is a push to
 * all users, as an omitted one is.
 *
 * `TagsNot` is undocumented but for one sample, `{"TagsOr": ["Stock A", "stock B"], "TagsNot": ["Stock C",
 * "Stock D"]}` = `("Stock A" or "stock B") and not ("Stock C" and "Stock D")`, which the emulator follows
 * literally: an account is left out when it holds **every** `TagsNot` tag (not when it holds any of them).
 * Alone, `TagsNot` narrows all users.
 */
import { ErrorCode, info } from "../ErrorCodes.js"
import type { PushKind } from "../Pushes.js"
import type { Store } from "../Store.js"
import { type Attributes, lengthError, type Refusal } from "./Attributes.js"
import { isObject, isStringArray, isStringRecord } from "./Command.js"
import { tagError } from "./TagCommands.js"

/** A condition of the right shape. */
export interface Condition {
  readonly TagsAnd?: ReadonlyArray<string>
  readonly TagsOr?: ReadonlyArray<string>
  readonly TagsNot?: ReadonlyArray<string>
  readonly AttrsAnd?: Readonly<Record<string, string>>
  readonly AttrsOr?: Readonly<Record<string, string>>
}

/** Tags per list (Tencent documents it for `TagsAnd` and `TagsOr`; the emulator holds `TagsNot` to it too). */
const tagsPerList = 10

const tagLists = ["TagsAnd", "TagsOr", "TagsNot"] as const
const attrLists = ["AttrsAnd", "AttrsOr"] as const

/** The condition, or `undefined` when a list is not an array of strings or an attribute list not an object of strings. */
export const parse = (u: unknown): Condition | undefined =>
  isObject(u) &&
    tagLists.every((key) => u[key] === undefined || isStringArray(u[key])) &&
    attrLists.every((key) => u[key] === undefined || isStringRecord(u[key]))
    ? u
    : undefined

const tagsIn = (condition: Condition) => tagLists.flatMap((key) => condition[key] ?? [])
const attrsIn = (condition: Condition) => attrLists.flatMap((key) => Object.entries(condition[key] ?? {}))

/** What the condition pushes to: all users (no condition, or one naming nothing), by tag, or by attribute. */
export const kindOf = (condition: Condition | undefined): PushKind =>
  condition === undefined
    ? "all"
    : tagsIn(condition).length > 0
    ? "tag"
    : attrsIn(condition).length > 0
    ? "attr"
    : "all"

const refuse = (code: number, text = info(code)): Refusal => ({ code, info: text })

const tagRefusal = (condition: Condition): Refusal | undefined => {
  for (const key of tagLists) {
    if ((condition[key]?.length ?? 0) > tagsPerList) return refuse(ErrorCode.TooManyTags, `more than 10 tags in ${key}`)
  }
  for (const tag of tagsIn(condition)) {
    const code = tagError(tag)
    if (code !== undefined) return refuse(code)
  }
  const and = new Set(condition.TagsAnd)
  const both = condition.TagsOr?.find((tag) => and.has(tag))
  return both === undefined ? undefined : refuse(ErrorCode.TagInAndAndOr, `tag ${both} is in both TagsAnd and TagsOr`)
}

const attrRefusal = (condition: Condition, attrs: Attributes): Refusal | undefined => {
  for (const [name, value] of attrsIn(condition)) {
    if (!attrs.has(name)) return refuse(ErrorCode.InvalidAttr, `invalid attribute:${name}`)
    const code = lengthError(value)
    if (code !== undefined) return refuse(code)
  }
  return undefined
}

/**
 * The first rule the condition breaks: tags and attributes together (90039), more than 10 tags in a list
 * (90032), an empty tag (90040) or one over 50 bytes (90020), a tag in both `TagsAnd` and `TagsOr` (90022), an
 * unknown attribute name (90033), an attribute value empty or over 50 bytes (90030).
 */
export const check = (condition: Condition | undefined, attrs: Attributes): Refusal | undefined => {
  if (condition === undefined) return undefined
  if (tagsIn(condition).length > 0 && attrsIn(condition).length > 0) return refuse(ErrorCode.TagsAndAttrs)
  return tagRefusal(condition) ?? attrRefusal(condition, attrs)
}

const every = <A>(items: ReadonlyArray<A> | undefined, test: (a: A) => boolean) =>
  items === undefined || items.length === 0 || items.every(test)

const some = <A>(items: ReadonlyArray<A> | undefined, test: (a: A) => boolean) =>
  items === undefined || items.length === 0 || items.some(test)

/** Whether the account is one the (checked) condition describes. */
const describes = (condition: Condition, tags: ReadonlySet<string>, holds: (name: string, value: string) => boolean) =>
  every(condition.TagsAnd, (tag) => tags.has(tag)) &&
  some(condition.TagsOr, (tag) => tags.has(tag)) &&
  !((condition.TagsNot?.length ?? 0) > 0 && condition.TagsNot!.every((tag) => tags.has(tag))) &&
  every(Object.entries(condition.AttrsAnd ?? {}), ([name, value]) => holds(name, value)) &&
  some(Object.entries(condition.AttrsOr ?? {}), ([name, value]) => holds(name, value))

/** The accounts the (checked) condition describes, in creation order; every account without a condition. */
export const resolve = (condition: Condition | undefined, store: Store, attrs: Attributes): ReadonlyArray<string> =>
  condition === undefined
    ? store.accounts()
    : store.accounts().filter((account) =>
      describes(condition, new Set(store.tagsOf(account)), (name, value) => attrs.holds(account, name, value))
    )
