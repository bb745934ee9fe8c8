/**
 * The emulator's in-memory app state: accounts (they exist only once imported, registered or seeded), each of
 * one kind (a Chat UserID, or a push RegistrationID that push registration creates) with an ordered,
 * de-duplicated tag list, and a count of how many accounts hold each tag, so that the app-wide limit on
 * distinct tags is cheap to check. A tag serves one account kind only (spec §3.2): the kind of the accounts
 * that hold it, until none does. Synchronous and mutable; the emulator wraps it in Effects.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The limits the Chat service documents for push tags (spec §3.2) and attributes (§3.5–3.6).
 *
 * @since 0.1.0
 * @category constants
 */
export const Limits = {
  /** Accounts per request (`To_Account` / `UserTags` / `Accounts` length). */
  accountsPerRequest: 100,
  /** Tags per user in one `add_tag` entry with `Replace: 0`. */
  tagsPerAdd: 10,
  /** Tags per user in one `add_tag` entry with `Replace: 1`. */
  tagsPerReplace: 100,
  /** Tags stored per user. */
  tagsPerUser: 100,
  /** Distinct tags across the whole app. */
  distinctTagsPerApp: 1000,
  /** UTF-8 bytes per tag. */
  tagBytes: 50,
  /**
   * Attribute slots per app ("0" to "9").
   *
   * @since 0.3.0
   */
  attrSlots: 10,
  /**
   * UTF-8 bytes per attribute name and per attribute value.
   *
   * @since 0.3.0
   */
  attrBytes: 50
} as const

/**
 * Accounts and their tags, for seeding: `{"alice": ["vip", "beta"], "bob": []}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SeedRecord = Schema.Record(Schema.String, Schema.Array(Schema.String))

/**
 * Accounts and their tags, for seeding.
 *
 * @since 0.1.0
 * @category models
 */
export type SeedRecord = typeof SeedRecord.Type

/**
 * What an account is: a Chat UserID (imported), or a push RegistrationID (created by push registration).
 *
 * @since 0.3.0
 * @category models
 */
export type AccountKind = "UserID" | "RegistrationID"

/**
 * The result of setting or adding an account's tags. `WrongKind`: a tag is held by accounts of the other
 * kind (spec §3.2, 90035).
 *
 * @since 0.1.0
 * @category models
 */
export type TagChange = "Changed" | "UnknownAccount" | "UserTagLimit" | "AppTagLimit" | "WrongKind"

/**
 * One app's accounts and tags.
 *
 * @since 0.1.0
 * @category models
 */
export interface Store {
  /** Creates the accounts that do not exist yet, as UserIDs; existing ones keep their tags and kind. */
  readonly importAccounts: (accounts: Iterable<string>) => void
  /**
   * Creates the accounts that do not exist yet, as RegistrationIDs; existing ones keep their tags and kind.
   *
   * @since 0.3.0
   */
  readonly registerDevices: (registrationIds: Iterable<string>) => void
  /** Whether the account exists. */
  readonly exists: (account: string) => boolean
  /**
   * The account's kind, or `undefined` if it does not exist.
   *
   * @since 0.3.0
   */
  readonly kindOf: (account: string) => AccountKind | undefined
  /**
   * Every account, in creation order.
   *
   * @since 0.3.0
   */
  readonly accounts: () => ReadonlyArray<string>
  /** The account's tags in stored order, or `undefined` if it does not exist. */
  readonly tagsOf: (account: string) => ReadonlyArray<string> | undefined
  /**
   * Creates each missing account (as a UserID) and sets its tags exactly, bypassing the limits (test setup).
   * Throws when a tag would be held by accounts of both kinds.
   */
  readonly seed: (record: SeedRecord) => void
  /** Appends tags (or replaces all of them), refusing a change that would break a limit or a tag's kind. */
  readonly addTags: (account: string, tags: ReadonlyArray<string>, replace: boolean) => TagChange
  /** Removes the given tags; `false` if the account does not exist. */
  readonly removeTags: (account: string, tags: ReadonlyArray<string>) => boolean
  /** Removes all of the account's tags; `false` if the account does not exist. */
  readonly clearTags: (account: string) => boolean
  /** How many distinct tags the app holds. */
  readonly distinctTags: () => number
}

interface Account {
  readonly kind: AccountKind
  readonly tags: Set<string>
}

/**
 * Makes an empty store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): Store => {
  const accounts = new Map<string, Account>()
  /** How many accounts hold each tag, and the kind they are. */
  const holders = new Map<string, { count: number; readonly kind: AccountKind }>()

  const setTags = ({ kind, tags }: Account, next: Iterable<string>) => {
    for (const tag of tags) {
      const held = holders.get(tag)!
      if (--held.count === 0) holders.delete(tag)
    }
    tags.clear()
    for (const tag of next) {
      if (tags.has(tag)) continue
      tags.add(tag)
      const held = holders.get(tag)
      if (held === undefined) holders.set(tag, { count: 1, kind })
      else held.count++
    }
  }

  /** Whether a tag that `account` does not hold yet is held by accounts of the other kind. */
  const wrongKind = ({ kind, tags }: Account, next: Iterable<string>) => {
    for (const tag of next) {
      const held = holders.get(tag)
      if (held !== undefined && held.kind !== kind && !tags.has(tag)) return true
    }
    return false
  }

  /** Distinct tags the app would hold if `current` became `next`. */
  const distinctAfter = (current: Set<string>, next: Set<string>) => {
    let distinct = holders.size
    for (const tag of next) if (!current.has(tag) && !holders.has(tag)) distinct++
    for (const tag of current) if (!next.has(tag) && holders.get(tag)!.count === 1) distinct--
    return distinct
  }

  const create = (ids: Iterable<string>, kind: AccountKind) => {
    for (const id of ids) if (!accounts.has(id)) accounts.set(id, { kind, tags: new Set() })
  }

  return {
    importAccounts: (ids) => create(ids, "UserID"),
    registerDevices: (ids) => create(ids, "RegistrationID"),
    exists: (account) => accounts.has(account),
    kindOf: (account) => accounts.get(account)?.kind,
    accounts: () => Array.from(accounts.keys()),
    tagsOf: (account) => {
      const found = accounts.get(account)
      return found === undefined ? undefined : Array.from(found.tags)
    },
    seed: (record) => {
      for (const [id, tags] of Object.entries(record)) {
        create([id], "UserID")
        const account = accounts.get(id)!
        if (wrongKind(account, tags)) throw new Error(`seed: a tag of ${id} is held by accounts of another kind`)
        setTags(account, tags)
      }
    },
    addTags: (id, tags, replace) => {
      const account = accounts.get(id)
      if (account === undefined) return "UnknownAccount"
      const next = new Set(replace ? tags : [...account.tags, ...tags])
      if (next.size > Limits.tagsPerUser) return "UserTagLimit"
      if (wrongKind(account, next)) return "WrongKind"
      const distinct = distinctAfter(account.tags, next)
      if (distinct > Limits.distinctTagsPerApp && distinct > holders.size) return "AppTagLimit"
      setTags(account, next)
      return "Changed"
    },
    removeTags: (id, tags) => {
      const account = accounts.get(id)
      if (account === undefined) return false
      const drop = new Set(tags)
      setTags(account, Array.from(account.tags).filter((tag) => !drop.has(tag)))
      return true
    },
    clearTags: (id) => {
      const account = accounts.get(id)
      if (account === undefined) return false
      setTags(account, [])
      return true
    },
    distinctTags: () => holders.size
  }
}
