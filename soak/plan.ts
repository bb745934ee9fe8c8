/**
 * The soak's accounts and what its writes intend, shared by the runner and the workers.
 *
 * - **Lookup accounts** (`sl…`): seeded with `tagsFor(i)`, never written; every worker reads their tags.
 * - **Attribute accounts** (`sa…`): seeded with `attrsFor(i)`, never written; every worker reads their
 *   attributes.
 * - **Ghosts** (`sg…`): never created; lookups name a few of them and must get "unknown account".
 * - **Owned accounts** (`sw<worker>-…`): each worker writes only its own slice, in rounds. Round `r` adds the
 *   tag `roundTag(r)` and removes `roundTag(r + 2)` (the one round `r - 2` added), and sets the attribute
 *   `roundAttr(r)` to `r<r>`. So after round `R` an owned account holds its seed tags plus the tags of rounds
 *   `R` and `R - 1`, and the attribute values of those two rounds: `intendedTags` and `intendedAttrs`.
 *
 * A write whose answer comes later than the client's timeout may still take effect on the server after the
 * client gave up (and retried). Two writes that could conflict (a tag added, then removed, then added again; an
 * attribute set twice) are two rounds apart, and every round lasts at least `settleMillis`, longer than any
 * late answer: so a late copy of a write always lands before the write that undoes it is sent.
 */
import { accountName, tagsFor } from "../benchmarks/accounts.js"

/** How many accounts of each kind. */
export interface Population {
  readonly lookups: number
  readonly attrs: number
  readonly ghosts: number
  /** Owned accounts per worker. */
  readonly perWorker: number
}

/** The i-th lookup account. */
export const lookupAccount = (i: number) => accountName("sl", i)

/** The i-th attribute account. */
export const attrAccount = (i: number) => accountName("sa", i)

/** The i-th account that does not exist. */
export const ghostAccount = (i: number) => accountName("sg", i)

/** The j-th account worker `worker` owns. */
export const ownedAccount = (worker: number, j: number) => accountName(`sw${worker}-`, j)

/** Seed tags of the i-th lookup or owned account. */
export { tagsFor }

/** The attribute slots: two read-only ones, and the two the rounds write alternately. */
export const attrNames = { "0": "city", "1": "tier", "2": "round-even", "3": "round-odd" } as const

const cities = ["Shenzhen", "Lisbon", "Porto", "Berlin", "Osaka"] as const
const tiers = ["gold", "silver", "bronze"] as const

/** Attributes of the i-th attribute account (every seventh has none). */
export const attrsFor = (i: number): Readonly<Record<string, string>> =>
  i % 7 === 0 ? {} : i % 3 === 0 ? { city: cities[i % 5]! } : { city: cities[i % 5]!, tier: tiers[i % 3]! }

/** The tag round `r` adds (and round `r + 2` removes). */
export const roundTag = (r: number) => `soak-${((r % 4) + 4) % 4}`

/** The attribute round `r` sets, and its value. */
export const roundAttr = (r: number): readonly [string, string] => [
  r % 2 === 0 ? attrNames["2"] : attrNames["3"],
  `r${r}`
]

/** Tags of the j-th owned account after round `last` completed (`last < 0`: no round did). */
export const intendedTags = (j: number, last: number): ReadonlyArray<string> => [
  ...tagsFor(j),
  ...(last >= 1 ? [roundTag(last - 1)] : []),
  ...(last >= 0 ? [roundTag(last)] : [])
]

/** Attributes of an owned account after round `last` completed. */
export const intendedAttrs = (last: number): Readonly<Record<string, string>> =>
  Object.fromEntries([...(last >= 1 ? [roundAttr(last - 1)] : []), ...(last >= 0 ? [roundAttr(last)] : [])])

/** An answer as one comparable string: tags or attributes, sorted, or the reason an account failed. */
export const fingerprint = {
  tags: (tags: ReadonlyArray<string>) => `tags:${[...tags].sort().join(",")}`,
  attrs: (attrs: Readonly<Record<string, string>>) =>
    `attrs:${Object.entries(attrs).map(([k, v]) => `${k}=${v}`).sort().join(",")}`,
  unknown: "account:UnknownAccount",
  failed: (reason: string) => `account:${reason}`
} as const
