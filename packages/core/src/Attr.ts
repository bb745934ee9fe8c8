/**
 * Push attributes and their limits (spec §3.5–3.6): an app names up to 10 attribute slots ("0"–"9"),
 * each with a name of 1–50 UTF-8 bytes and the account type it applies to; each account holds one
 * value of 1–50 bytes per attribute. **An attribute's account type (UserID or RegistrationID) can
 * never change once set**: Tencent refuses the change (90033), and this library refuses it before
 * the call. Validation runs before any network call and names the offending value.
 *
 * @since 0.3.0
 */
import * as Result from "effect/Result"
import * as BoundedText from "./internal/boundedText.js"
import { refuse } from "./internal/refusal.js"
import type { TimValidationError } from "./TimError.js"

/**
 * The limits of attributes.
 *
 * @since 0.3.0
 * @category constants
 */
export const limits = {
  /** Attribute slots of an app, numbered 0–9. */
  slots: 10,
  /** Longest attribute name, in UTF-8 bytes. */
  maxNameBytes: 50,
  /** Longest attribute value, in UTF-8 bytes. */
  maxValueBytes: 50
} as const

/**
 * The kind of account an attribute (or tag) applies to: a Chat `UserID`, or a push
 * `RegistrationID` (wire values 0 and 1).
 *
 * @since 0.3.0
 * @category models
 */
export type AccountType = "UserID" | "RegistrationID"

/**
 * One attribute the app has named: its slot (0–9), its name, and the account type it applies to.
 *
 * @since 0.3.0
 * @category models
 */
export interface Definition {
  readonly slot: number
  readonly name: string
  readonly accountType: AccountType
}

/**
 * An attribute to name with `setAttrNames`: without `accountType`, a new slot applies to UserIDs and
 * an existing slot keeps its type (which can never change).
 *
 * @since 0.3.0
 * @category models
 */
export interface NewDefinition {
  readonly slot: number
  readonly name: string
  readonly accountType?: AccountType | undefined
}

/**
 * An account's attributes: values by attribute name.
 *
 * @since 0.3.0
 * @category models
 */
export type Attrs = Readonly<Record<string, string>>

/**
 * The account type's number on the wire (`AttrTypes`).
 *
 * @since 0.3.0
 * @category conversions
 */
export const wireType = (type: AccountType): 0 | 1 => type === "UserID" ? 0 : 1

/**
 * The account type of a wire number (0 and anything unknown read as `UserID`, the documented default).
 *
 * @since 0.3.0
 * @category conversions
 */
export const accountTypeOf = (wire: number | undefined): AccountType => wire === 1 ? "RegistrationID" : "UserID"

const nameRule: BoundedText.Rule = { field: "attribute name", noun: "attribute name", maxBytes: limits.maxNameBytes }
const valueRule: BoundedText.Rule = {
  field: "attribute value",
  noun: "attribute value",
  maxBytes: limits.maxValueBytes
}

/**
 * Checks an attribute name: a non-empty string of at most 50 UTF-8 bytes.
 *
 * @since 0.3.0
 * @category validation
 */
export const validateName = (value: unknown): Result.Result<string, TimValidationError> =>
  BoundedText.validate(nameRule, value)

/**
 * Checks an attribute value: a non-empty string of at most 50 UTF-8 bytes.
 *
 * @since 0.3.0
 * @category validation
 */
export const validateValue = (value: unknown): Result.Result<string, TimValidationError> =>
  BoundedText.validate(valueRule, value)

/**
 * Checks a slot number: an integer from 0 to 9.
 *
 * @since 0.3.0
 * @category validation
 */
export const validateSlot = (value: unknown): Result.Result<number, TimValidationError> =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) < limits.slots
    ? Result.succeed(value as number)
    : refuse("attribute slot", value, `expected an integer from 0 to ${limits.slots - 1}`)

/**
 * Checks new definitions against the app's current ones: valid slots and names, each slot once, no
 * name used by two slots, and no slot changing its account type. Returns the definitions as they
 * will be after the change.
 *
 * @since 0.3.0
 * @category validation
 */
export const validateDefinitions = (
  changes: Iterable<NewDefinition>,
  current: ReadonlyArray<Definition>
): Result.Result<ReadonlyArray<Definition>, TimValidationError> => {
  const bySlot = new Map(current.map((d) => [d.slot, d]))
  const changed = new Set<number>()
  for (const change of changes) {
    if (typeof change !== "object" || change === null) {
      return refuse("attribute names", change, "expected each attribute to name as { slot, name }")
    }
    const slot = validateSlot(change.slot)
    if (Result.isFailure(slot)) return Result.fail(slot.failure)
    const name = validateName(change.name)
    if (Result.isFailure(name)) return Result.fail(name.failure)
    if (changed.has(slot.success)) return refuse("attribute slot", slot.success, "expected each slot once")
    changed.add(slot.success)
    if (
      change.accountType !== undefined && change.accountType !== "UserID" && change.accountType !== "RegistrationID"
    ) {
      return refuse("accountType", change.accountType, "expected \"UserID\" or \"RegistrationID\"")
    }
    const existing = bySlot.get(slot.success)
    const accountType = change.accountType ?? existing?.accountType ?? "UserID"
    if (existing !== undefined && existing.accountType !== accountType) {
      return refuse(
        "accountType",
        accountType,
        `attribute slot ${slot.success} ("${existing.name}") applies to ${existing.accountType} accounts, ` +
          "and an attribute's account type can never change"
      )
    }
    bySlot.set(slot.success, { slot: slot.success, name: name.success, accountType })
  }
  if (changed.size === 0) return refuse("attribute names", [], "expected at least one attribute to name")
  const names = new Map<string, number>()
  for (const definition of bySlot.values()) {
    const other = names.get(definition.name)
    if (other !== undefined) {
      return refuse("attribute name", definition.name, `expected a name no other slot has (slot ${other} has it)`)
    }
    names.set(definition.name, definition.slot)
  }
  return Result.succeed([...bySlot.values()].sort((a, b) => a.slot - b.slot))
}

/**
 * Checks one account's attributes to set against the app's definitions: at least one, each name
 * defined, each value valid.
 *
 * @since 0.3.0
 * @category validation
 */
export const validateAttrs = (
  attrs: unknown,
  definitions: ReadonlyArray<Definition>
): Result.Result<Attrs, TimValidationError> => {
  if (typeof attrs !== "object" || attrs === null || Array.isArray(attrs)) {
    return refuse("attributes", attrs, "expected an object of values by attribute name")
  }
  const entries = Object.entries(attrs)
  if (entries.length === 0) return refuse("attributes", attrs, "expected at least one attribute")
  for (const [name, value] of entries) {
    const known = validateKnown(name, definitions)
    if (Result.isFailure(known)) return Result.fail(known.failure)
    const checked = validateValue(value)
    if (Result.isFailure(checked)) return Result.fail(checked.failure)
  }
  return Result.succeed(attrs as Attrs)
}

/**
 * Checks attribute names to remove against the app's definitions: at least one, each defined;
 * duplicates dropped.
 *
 * @since 0.3.0
 * @category validation
 */
export const validateNames = (
  names: Iterable<unknown>,
  definitions: ReadonlyArray<Definition>
): Result.Result<ReadonlyArray<string>, TimValidationError> => {
  const unique = new Set<string>()
  for (const name of names) {
    const known = validateKnown(name, definitions)
    if (Result.isFailure(known)) return Result.fail(known.failure)
    unique.add(known.success)
  }
  return unique.size === 0
    ? refuse("attribute names", [], "expected at least one attribute name")
    : Result.succeed([...unique])
}

const validateKnown = (
  name: unknown,
  definitions: ReadonlyArray<Definition>
): Result.Result<string, TimValidationError> => {
  const valid = validateName(name)
  if (Result.isFailure(valid)) return valid
  if (definitions.some((d) => d.name === valid.success)) return valid
  const known = definitions.length === 0 ? "the app has named none" : definitions.map((d) => d.name).join(", ")
  return refuse("attribute name", name, `expected an attribute the app has named (${known})`)
}
