/**
 * After the run the store equals what the writes intended: every owned account holds its seed tags and the
 * tags and attributes of its worker's last two rounds (`plan.ts`), every account only read still holds what it
 * was seeded with, and the ghosts still do not exist.
 */
import {
  attrAccount,
  attrsFor,
  fingerprint,
  ghostAccount,
  intendedAttrs,
  intendedTags,
  lookupAccount,
  ownedAccount,
  tagsFor
} from "../plan.js"
import { n, type Row, row, type RunData, survivors } from "./data.js"

/** What each account must hold at the end (`null`: it must not exist), or `undefined` when nobody can say. */
export const intended = (data: RunData) => {
  const accounts = new Map<string, { tags: ReadonlyArray<string>; attrs: Readonly<Record<string, string>> } | null>()
  const { attrs, ghosts, lookups, perWorker } = data.population
  for (let i = 0; i < lookups; i++) accounts.set(lookupAccount(i), { tags: tagsFor(i), attrs: {} })
  for (let i = 0; i < attrs; i++) accounts.set(attrAccount(i), { tags: [], attrs: attrsFor(i) })
  for (let i = 0; i < ghosts; i++) accounts.set(ghostAccount(i), null)
  const unknown: Array<number> = []
  for (const w of survivors(data.workers)) {
    if (w.report === undefined) {
      unknown.push(w.slot)
      continue
    }
    const last = w.report.lastRound
    for (let j = 0; j < perWorker; j++) {
      accounts.set(ownedAccount(w.slot, j), { tags: intendedTags(j, last), attrs: intendedAttrs(last) })
    }
  }
  return { accounts, unknown }
}

const same = (
  a: { tags: ReadonlyArray<string>; attrs: Readonly<Record<string, string>> } | null,
  b: { readonly tags: ReadonlyArray<string>; readonly attrs: Readonly<Record<string, string>> } | null | undefined
) =>
  a === null || b === null || b === undefined
    ? a === b
    : fingerprint.tags(a.tags) === fingerprint.tags(b.tags) && fingerprint.attrs(a.attrs) === fingerprint.attrs(b.attrs)

/** The rows. */
export const check = (data: RunData): Array<Row> => {
  const { accounts, unknown } = intended(data)
  const unresolved = new Set(survivors(data.workers).flatMap((w) => w.report?.unresolved ?? []))
  let differ = 0
  let differUnresolved = 0
  const examples: Array<string> = []
  for (const [account, want] of accounts) {
    const got = data.store[account]
    if (same(want, got)) continue
    differ++
    if (unresolved.has(account)) differUnresolved++
    if (examples.length < 3) examples.push(`${account}: ${JSON.stringify(got)}, intended ${JSON.stringify(want)}`)
  }
  const rounds = survivors(data.workers).map((w) => w.report?.lastRound ?? "?").join(", ")
  return [
    row(
      "After the run the store equals what the writes intended",
      `${n(accounts.size)} accounts (owned ones after rounds ${rounds}): ${differ} differ${
        unresolved.size > 0 ? ` (${n(unresolved.size)} writes never succeeded, ${differUnresolved} of them differ)` : ""
      }${unknown.length > 0 ? `; workers ${unknown.join(", ")} did not report their last round` : ""}${
        examples.length > 0 ? `; e.g. ${examples.join("; ")}` : ""
      }`,
      differ === 0 && unknown.length === 0 && unresolved.size === 0
    )
  ]
}
