/**
 * Push attributes: the app's named slots ("0" to "9"), each with an account type fixed when the slot is first
 * named (0 = UserID, 1 = RegistrationID; spec §3.5), and each account's values (spec §3.6). Values are kept by
 * slot, so renaming a slot keeps them. Every rule Tencent documents is enforced here, for the REST commands
 * and the control methods alike; a refusal carries the code and the `ErrorInfo` to answer with.
 */
import type { AttrNames } from "../Emulator.js"
import { ErrorCode, info } from "../ErrorCodes.js"
import { type AccountKind, Limits, type Store } from "../Store.js"
import { utf8Bytes } from "./Command.js"

/** An attribute's account type: 0 = UserID, 1 = RegistrationID. */
export type AttrType = 0 | 1

/** A refused change: the code and `ErrorInfo` to answer with. */
export interface Refusal {
  readonly code: number
  readonly info: string
}

/** The app's attributes. */
export interface Attributes {
  readonly names: () => AttrNames
  /** Names slots and fixes their types, or refuses the whole change (90033, 90030). */
  readonly setNames: (names: Readonly<Record<string, unknown>>, types: Readonly<Record<string, unknown>>) =>
    | Refusal
    | undefined
  /** Whether an attribute has this name. */
  readonly has: (name: string) => boolean
  /** The account kind the named attribute serves, or `undefined` for an unknown name. */
  readonly kindOf: (name: string) => AccountKind | undefined
  /** The account's values by attribute name, or `undefined` when the account does not exist. */
  readonly valuesOf: (account: string) => Record<string, string> | undefined
  /** Sets the account's values by attribute name, all or none; the code of the first rule broken. */
  readonly set: (account: string, values: Readonly<Record<string, string>>) => number | undefined
  /** Removes the account's values of the named attributes, all or none; the code of the first rule broken. */
  readonly remove: (account: string, names: ReadonlyArray<string>) => number | undefined
  /** Whether the account's value of the named attribute is `value`. */
  readonly holds: (account: string, name: string, value: string) => boolean
}

const kinds: Record<AttrType, AccountKind> = { 0: "UserID", 1: "RegistrationID" }

const isSlot = (key: string) => /^\d$/.test(key) && Number(key) < Limits.attrSlots

/** Why an attribute name or value is refused (empty, or over 50 bytes: 90030). */
export const lengthError = (s: string): number | undefined =>
  s.length === 0 || utf8Bytes(s) > Limits.attrBytes ? ErrorCode.AttrLength : undefined

const refusal = (code: number, text: string = info(code)): Refusal => ({ code, info: text })

/** The first rule the new names and types break, given the current ones. */
const namingError = (
  current: AttrNames,
  names: Readonly<Record<string, unknown>>,
  types: Readonly<Record<string, unknown>>
) => {
  for (const [slot, name] of Object.entries(names)) {
    if (!isSlot(slot)) return refusal(ErrorCode.InvalidAttr, `invalid attribute index:${slot}`)
    if (typeof name !== "string" || lengthError(name) !== undefined) return refusal(ErrorCode.AttrLength)
  }
  const after: Record<string, unknown> = { ...current.names, ...names }
  for (const [slot, type] of Object.entries(types)) {
    if (!isSlot(slot) || after[slot] === undefined) {
      return refusal(ErrorCode.InvalidAttr, `invalid attribute index:${slot}`)
    }
    if (type !== 0 && type !== 1) return refusal(ErrorCode.InvalidAttr, `invalid attrType:${String(type)}`)
    const fixed = current.types[slot]
    if (fixed !== undefined && fixed !== type) {
      return refusal(ErrorCode.InvalidAttr, `attrType of index:${slot} cannot be changed`)
    }
  }
  for (const slot of Object.keys(names)) {
    const other = Object.keys(after).find((s) => s !== slot && after[s] === after[slot])
    if (other !== undefined) {
      return refusal(ErrorCode.InvalidAttr, `attrName:${after[slot]} already exists at index:${other}`)
    }
  }
  return undefined
}

/** Makes the attributes of the app whose accounts `store` holds. */
export const make = (store: Store): Attributes => {
  const names = new Map<string, string>() // slot → name
  const types = new Map<string, AttrType>() // slot → type
  const values = new Map<string, Map<string, string>>() // account → slot → value

  const slotOf = (name: string) => {
    for (const [slot, n] of names) if (n === name) return slot
    return undefined
  }
  const current = (): AttrNames => ({ names: Object.fromEntries(names), types: Object.fromEntries(types) })

  /** The slots of the named attributes for a change to the account, or the code of the first rule broken. */
  const slotsFor = (account: string, attrNames: ReadonlyArray<string>): ReadonlyArray<string> | number => {
    const kind = store.kindOf(account)
    if (kind === undefined) return ErrorCode.AccountNotFound
    const slots = attrNames.map(slotOf)
    if (slots.some((slot) => slot === undefined)) return ErrorCode.InvalidAttr
    if (slots.some((slot) => kinds[types.get(slot!)!] !== kind)) return ErrorCode.WrongAccountKind
    return slots as ReadonlyArray<string>
  }

  return {
    names: current,
    setNames: (newNames, newTypes) => {
      const refused = namingError(current(), newNames, newTypes)
      if (refused !== undefined) return refused
      for (const [slot, name] of Object.entries(newNames)) {
        names.set(slot, name as string)
        if (!types.has(slot)) types.set(slot, (newTypes[slot] ?? 0) as AttrType)
      }
      for (const [slot, type] of Object.entries(newTypes)) types.set(slot, type as AttrType)
      return undefined
    },
    has: (name) => slotOf(name) !== undefined,
    kindOf: (name) => {
      const slot = slotOf(name)
      return slot === undefined ? undefined : kinds[types.get(slot)!]
    },
    valuesOf: (account) => {
      if (!store.exists(account)) return undefined
      const held = values.get(account)
      return held === undefined
        ? {}
        : Object.fromEntries(Array.from(held, ([slot, value]) => [names.get(slot)!, value]))
    },
    set: (account, change) => {
      const slots = slotsFor(account, Object.keys(change))
      if (typeof slots === "number") return slots
      const entries = Object.values(change)
      const tooLong = entries.map(lengthError).find((code) => code !== undefined)
      if (tooLong !== undefined) return tooLong
      let held = values.get(account)
      if (held === undefined) values.set(account, held = new Map())
      slots.forEach((slot, i) => held.set(slot, entries[i]!))
      return undefined
    },
    remove: (account, attrNames) => {
      const slots = slotsFor(account, attrNames)
      if (typeof slots === "number") return slots
      for (const slot of slots) values.get(account)?.delete(slot)
      return undefined
    },
    holds: (account, name, value) => {
      const slot = slotOf(name)
      return slot !== undefined && values.get(account)?.get(slot) === value
    }
  }
}
