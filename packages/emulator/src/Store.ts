/**
 * The emulator's in-memory app state: accounts (they exist only once imported or seeded), each with an
 * ordered, de-duplicated tag list, and a count of how many accounts hold each tag so the app-wide limit on
 * distinct tags is cheap to check. Synchronous and mutable; the emulator wraps it in Effects.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The limits the Chat service documents for push tags (spec §3.2).
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
  tagBytes: 50
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
 * The result of setting or adding an account's tags.
 *
 * @since 0.1.0
 * @category models
 */
export type TagChange = "Changed" | "UnknownAccount" | "UserTagLimit" | "AppTagLimit"

/**
 * One app's accounts and tags.
 *
 * @since 0.1.0
 * @category models
 */
export interface Store {
  /** Creates the accounts that do not exist yet; existing ones keep their tags. */
  readonly importAccounts: (accounts: Iterable<string>) => void
  /** Whether the account exists. */
  readonly exists: (account: string) => boolean
  /** The account's tags in stored order, or `undefined` if it does not exist. */
  readonly tagsOf: (account: string) => ReadonlyArray<string> | undefined
  /** Creates each account and sets its tags exactly, bypassing the limits (test setup). */
  readonly seed: (record: SeedRecord) => void
  /** Appends tags (or replaces all of them), refusing a change that would break a per-user or per-app limit. */
  readonly addTags: (account: string, tags: ReadonlyArray<string>, replace: boolean) => TagChange
  /** Removes the given tags; `false` if the account does not exist. */
  readonly removeTags: (account: string, tags: ReadonlyArray<string>) => boolean
  /** Removes all of the account's tags; `false` if the account does not exist. */
  readonly clearTags: (account: string) => boolean
  /** How many distinct tags the app holds. */
  readonly distinctTags: () => number
}

/**
 * Makes an empty store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): Store => {
  const accounts = new Map<string, Set<string>>()
  const holders = new Map<string, number>()

  const setTags = (tags: Set<string>, next: Iterable<string>) => {
    for (const tag of tags) {
      const n = holders.get(tag)! - 1
      if (n === 0) holders.delete(tag)
      else holders.set(tag, n)
    }
    tags.clear()
    for (const tag of next) {
      if (tags.has(tag)) continue
      tags.add(tag)
      holders.set(tag, (holders.get(tag) ?? 0) + 1)
    }
  }

  /** Distinct tags the app would hold if `current` became `next`. */
  const distinctAfter = (current: Set<string>, next: Set<string>) => {
    let distinct = holders.size
    for (const tag of next) if (!current.has(tag) && !holders.has(tag)) distinct++
    for (const tag of current) if (!next.has(tag) && holders.get(tag) === 1) distinct--
    return distinct
  }

  const importAccounts = (ids: Iterable<string>) => {
    for (const id of ids) if (!accounts.has(id)) accounts.set(id, new Set())
  }

  return {
    importAccounts,
    exists: (account) => accounts.has(account),
    tagsOf: (account) => {
      const tags = accounts.get(account)
      return tags === undefined ? undefined : Array.from(tags)
    },
    seed: (record) => {
      for (const [account, tags] of Object.entries(record)) {
        importAccounts([account])
        setTags(accounts.get(account)!, tags)
      }
    },
    addTags: (account, tags, replace) => {
      const current = accounts.get(account)
      if (current === undefined) return "UnknownAccount"
      const next = new Set(replace ? tags : [...current, ...tags])
      if (next.size > Limits.tagsPerUser) return "UserTagLimit"
      const distinct = distinctAfter(current, next)
      if (distinct > Limits.distinctTagsPerApp && distinct > holders.size) return "AppTagLimit"
      setTags(current, next)
      return "Changed"
    },
    removeTags: (account, tags) => {
      const current = accounts.get(account)
      if (current === undefined) return false
      const drop = new Set(tags)
      setTags(current, Array.from(current).filter((tag) => !drop.has(tag)))
      return true
    },
    clearTags: (account) => {
      const current = accounts.get(account)
      if (current === undefined) return false
      setTags(current, [])
      return true
    },
    distinctTags: () => holders.size
  }
}
