/**
 * Body shapes several commands share: a list of accounts (`{To_Account: [...]}`) and a list of per-account
 * entries (`{UserTags: [{To_Account, Tags}]}`, `{UserAttrs: [{To_Account, Attrs}]}`).
 */
import { isObject, isStringArray } from "./Command.js"

/** The `To_Account` list of `{To_Account: string[]}`, or `undefined`. */
export const accountList = (body: unknown): ReadonlyArray<string> | undefined =>
  isObject(body) && isStringArray(body.To_Account) ? body.To_Account : undefined

/** An entry naming one account. */
export interface AccountEntry {
  readonly To_Account: string
}

/** The entries under `key`, when each has a string `To_Account` and passes `isEntry`; otherwise `undefined`. */
export const entryList =
  <A extends AccountEntry>(key: string, isEntry: (entry: Readonly<Record<string, unknown>>) => boolean) =>
  (body: unknown): ReadonlyArray<A> | undefined => {
    const entries = isObject(body) ? body[key] : undefined
    return Array.isArray(entries) &&
        entries.every((entry) => isObject(entry) && typeof entry.To_Account === "string" && isEntry(entry))
      ? entries as ReadonlyArray<A>
      : undefined
  }

/** How many accounts a list of entries names. */
export const entryCount = (entries: ReadonlyArray<AccountEntry>): number => entries.length

/** How many accounts a list of accounts names. */
export const accountCount = (accounts: ReadonlyArray<string>): number => accounts.length

/** The account an entry names. */
export const accountOfEntry = (entry: AccountEntry): string => entry.To_Account

/** The account itself. */
export const accountOfName = (account: string): string => account
