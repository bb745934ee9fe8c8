/**
 * Whom a push goes to, as values that say what they mean. Tencent's `push` reaches **every user**
 * when its `Condition` is left out, so here nothing defaults to everyone:
 *
 * - `allUsers` is the only way to reach everyone;
 * - `tags({ and, or, not })`: users with all the `and` tags and at least one `or` tag, minus those
 *   the `not` tags exclude (see below); at least one `and` or `or` tag is required;
 * - `attrs({ and, or })`: users whose attributes (by name) match all the `and` values and at least
 *   one `or` value; at least one is required;
 * - `accounts(list)`: listed accounts (UserIDs or RegistrationIDs), sent through `batch` in tasks of
 *   at most 500, each account with its own outcome.
 *
 * Everything Tencent refuses is refused before the network (`validate`): more than 10 tags in a
 * list (90032), an empty tag (90040) or one over 50 bytes (90020), a tag in both `and` and `or`
 * (90022), tags and attributes mixed (90039), an empty condition, invalid accounts. Unknown
 * attribute names are refused by the `Push` service, which knows the app's names.
 *
 * **`not` is undocumented.** Tencent's only source is a sample: `TagsOr: ["A", "B"]`, `TagsNot:
 * ["C", "D"]` reaches "("A" or "B") and not ("C" and "D")". This library reads it literally: a user
 * is excluded when they hold **every** `not` tag (so `not: ["C", "D"]` does not exclude a user with
 * only "C"), and its emulator behaves so. A `not` alone, which would reach nearly everyone, is
 * refused: say `allUsers` if that is what you mean. Check the reading on a test app before relying
 * on `not`.
 *
 * @since 0.3.0
 */
import * as Result from "effect/Result"
import * as Account from "./Account.js"
import * as Attr from "./Attr.js"
import { refuse } from "./internal/refusal.js"
import * as Tag from "./Tag.js"
import type { TimValidationError } from "./TimError.js"

/**
 * Every user of the app.
 *
 * @since 0.3.0
 * @category models
 */
export interface AllUsers {
  readonly _tag: "AllUsers"
}

/**
 * Users by tag.
 *
 * @since 0.3.0
 * @category models
 */
export interface Tags {
  readonly _tag: "Tags"
  readonly and: ReadonlyArray<string>
  readonly or: ReadonlyArray<string>
  readonly not: ReadonlyArray<string>
}

/**
 * Users by attribute value (attribute names as the app defines them).
 *
 * @since 0.3.0
 * @category models
 */
export interface Attrs {
  readonly _tag: "Attrs"
  readonly and: Attr.Attrs
  readonly or: Attr.Attrs
}

/**
 * Listed accounts.
 *
 * @since 0.3.0
 * @category models
 */
export interface Accounts {
  readonly _tag: "Accounts"
  readonly accounts: ReadonlyArray<string>
}

/**
 * A target reached by one `push` call (everyone, or a condition).
 *
 * @since 0.3.0
 * @category models
 */
export type Broadcast = AllUsers | Tags | Attrs

/**
 * Any target.
 *
 * @since 0.3.0
 * @category models
 */
export type Target = Broadcast | Accounts

/**
 * Every user of the app: the only target that reaches everyone.
 *
 * @since 0.3.0
 * @category constructors
 */
export const allUsers: AllUsers = { _tag: "AllUsers" }

/**
 * Users by tag: all of `and`, at least one of `or`, excluding those holding every `not` tag.
 *
 * @example
 * ```ts
 * import { Target } from "@timtags/core"
 *
 * // Gold members in the beta, who are not (muted and away)
 * const target = Target.tags({ and: ["gold", "beta"], not: ["muted", "away"] })
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const tags = (condition: {
  readonly and?: Iterable<string> | undefined
  readonly or?: Iterable<string> | undefined
  readonly not?: Iterable<string> | undefined
}): Tags => ({
  _tag: "Tags",
  and: [...(condition.and ?? [])],
  or: [...(condition.or ?? [])],
  not: [...(condition.not ?? [])]
})

/**
 * Users by attribute value: all of `and`, at least one of `or`.
 *
 * @since 0.3.0
 * @category constructors
 */
export const attrs = (
  condition: { readonly and?: Attr.Attrs | undefined; readonly or?: Attr.Attrs | undefined }
): Attrs => ({
  _tag: "Attrs",
  and: { ...condition.and },
  or: { ...condition.or }
})

/**
 * Listed accounts (sent through `batch`, at most 500 per task).
 *
 * @since 0.3.0
 * @category constructors
 */
export const accounts = (list: Iterable<string>): Accounts => ({ _tag: "Accounts", accounts: [...list] })

/**
 * The limits of targets.
 *
 * @since 0.3.0
 * @category constants
 */
export const limits = {
  /** Tags in one list of a tag condition. */
  tagsPerList: 10,
  /** Accounts in one `batch` task. */
  accountsPerBatch: 500
} as const

const tagList = (field: string, list: unknown): Result.Result<ReadonlyArray<string>, TimValidationError> => {
  if (!Array.isArray(list)) return refuse(field, list, "expected a list of tags")
  if (list.length > limits.tagsPerList) {
    return refuse(field, list, `expected at most ${limits.tagsPerList} tags (Tencent answers 90032)`)
  }
  for (const tag of list) {
    const checked = Tag.validate(tag)
    if (Result.isFailure(checked)) return Result.fail(checked.failure)
  }
  return Result.succeed(list as ReadonlyArray<string>)
}

const validateTags = (target: Tags): Result.Result<Tags, TimValidationError> => {
  const and = tagList("tags.and", target.and)
  if (Result.isFailure(and)) return Result.fail(and.failure)
  const or = tagList("tags.or", target.or)
  if (Result.isFailure(or)) return Result.fail(or.failure)
  const not = tagList("tags.not", target.not)
  if (Result.isFailure(not)) return Result.fail(not.failure)
  if (and.success.length === 0 && or.success.length === 0) {
    return refuse(
      "tags",
      target,
      not.success.length === 0
        ? "expected at least one tag in `and` or `or` (an empty condition would reach every user; say Target.allUsers)"
        : "expected at least one tag in `and` or `or` besides `not` (`not` alone reaches nearly every user)"
    )
  }
  const both = and.success.find((tag) => or.success.includes(tag))
  if (both !== undefined) return refuse("tags", both, "expected a tag in `and` or in `or`, not both (90022)")
  return Result.succeed(target)
}

const attrValues = (field: string, values: unknown): Result.Result<Attr.Attrs, TimValidationError> => {
  if (typeof values !== "object" || values === null || Array.isArray(values)) {
    return refuse(field, values, "expected values by attribute name")
  }
  for (const [name, value] of Object.entries(values)) {
    const checkedName = Attr.validateName(name)
    if (Result.isFailure(checkedName)) return Result.fail(checkedName.failure)
    const checked = Attr.validateValue(value)
    if (Result.isFailure(checked)) return Result.fail(checked.failure)
  }
  return Result.succeed(values as Attr.Attrs)
}

const validateAttrs = (target: Attrs): Result.Result<Attrs, TimValidationError> => {
  const and = attrValues("attrs.and", target.and)
  if (Result.isFailure(and)) return Result.fail(and.failure)
  const or = attrValues("attrs.or", target.or)
  if (Result.isFailure(or)) return Result.fail(or.failure)
  if (Object.keys(and.success).length === 0 && Object.keys(or.success).length === 0) {
    return refuse(
      "attrs",
      target,
      "expected at least one attribute in `and` or `or` (an empty condition would reach every user; say Target.allUsers)"
    )
  }
  return Result.succeed(target)
}

const validateAccounts = (target: Accounts): Result.Result<Accounts, TimValidationError> => {
  if (!Array.isArray(target.accounts) || target.accounts.length === 0) {
    return refuse("accounts", target.accounts, "expected at least one account")
  }
  return Result.succeed(target)
}

/**
 * Checks a target's shape and limits before any call (each listed account is checked on its own
 * when it is sent, so that a bad one fails alone).
 *
 * @since 0.3.0
 * @category validation
 */
export const validate = <T extends Target>(target: T): Result.Result<T, TimValidationError> => {
  if (typeof target !== "object" || target === null) {
    return refuse("target", target, "expected a Target (allUsers, tags, attrs or accounts)")
  }
  const mixed = target as unknown as Record<string, unknown>
  if (("and" in mixed || "or" in mixed) && "accounts" in mixed) {
    return refuse("target", target, "expected one kind of target")
  }
  switch (target._tag) {
    case "AllUsers":
      return Result.succeed(target)
    case "Tags":
      return validateTags(target) as Result.Result<T, TimValidationError>
    case "Attrs":
      return validateAttrs(target) as Result.Result<T, TimValidationError>
    case "Accounts":
      return validateAccounts(target) as Result.Result<T, TimValidationError>
    default:
      return refuse("target", target, "expected a Target (allUsers, tags, attrs or accounts)")
  }
}

/**
 * A target's `Condition` on the wire; `undefined` for every user. Attribute conditions only ever
 * carry attribute conditions and tag conditions tag conditions, never both (90039).
 *
 * @since 0.3.0
 * @category conversions
 */
export const condition = (target: Broadcast): Record<string, unknown> | undefined => {
  switch (target._tag) {
    case "AllUsers":
      return undefined
    case "Tags":
      return {
        ...(target.and.length > 0 ? { TagsAnd: target.and } : {}),
        ...(target.or.length > 0 ? { TagsOr: target.or } : {}),
        ...(target.not.length > 0 ? { TagsNot: target.not } : {})
      }
    case "Attrs":
      return {
        ...(Object.keys(target.and).length > 0 ? { AttrsAnd: target.and } : {}),
        ...(Object.keys(target.or).length > 0 ? { AttrsOr: target.or } : {})
      }
  }
}

/**
 * A short description of a target, for spans and errors (never the notification).
 *
 * @since 0.3.0
 * @category conversions
 */
export const describe = (target: Target): string => {
  switch (target._tag) {
    case "AllUsers":
      return "all users"
    case "Tags":
      return `tags ${JSON.stringify(condition(target))}`
    case "Attrs":
      return `attributes ${JSON.stringify(condition(target))}`
    case "Accounts":
      return `${target.accounts.length} accounts`
  }
}

/**
 * The accounts of an `Accounts` target checked one by one: the valid ones (each once, in order) and
 * the refused ones with their refusals.
 *
 * @since 0.3.0
 * @category validation
 */
export const checkAccounts = (target: Accounts): {
  readonly valid: ReadonlyArray<string>
  readonly refused: ReadonlyMap<unknown, TimValidationError>
} => {
  const valid: Array<string> = []
  const refused = new Map<unknown, TimValidationError>()
  const seen = new Set<unknown>()
  for (const account of target.accounts) {
    if (seen.has(account)) continue
    seen.add(account)
    const refusal = Account.refusal(account)
    if (refusal === undefined) valid.push(account)
    else refused.set(account, refusal)
  }
  return { valid, refused }
}
