/**
 * Throughput: accounts served per second (successful outcomes, from the workers' samples), as a share of the
 * 10,000 accounts/s that one command's limit allows (100 calls of 100 accounts), in calm stretches and in the
 * disrupted ones (each disruption and the `afterMillis` after it). An interval between two samples is split
 * between the two in proportion to its time in each.
 */
import type { Kind } from "../protocol.js"
import { afterMillis } from "./arrivals.js"
import { fixed, info, n, type Row, type RunData } from "./data.js"

/** Accounts per second one command's limit allows. */
export const ceiling = 10_000

const kinds: ReadonlyArray<{ readonly kind: Kind; readonly label: string }> = [
  { kind: "tagLookups", label: "tag lookups (get_tag)" },
  { kind: "attrLookups", label: "attribute lookups (get_attr)" },
  { kind: "tagWrites", label: "tag writes (add_tag + remove_tag, in rounds)" },
  { kind: "attrWrites", label: "attribute writes (set_attr, in rounds)" }
]

/** Length of the overlap of `[a, b)` with the union of `windows` (disjoint or not). */
const overlap = (a: number, b: number, windows: ReadonlyArray<readonly [number, number]>) => {
  let total = 0
  let cursor = a
  for (const [from, to] of [...windows].sort((x, y) => x[0] - y[0])) {
    const start = Math.max(cursor, from)
    const end = Math.min(b, to)
    if (end > start) {
      total += end - start
      cursor = end
    }
  }
  return total
}

/** Accounts per second of each kind, calm and disrupted (ms from "go" throughout). */
export const rates = (data: RunData) => {
  const windows = data.disruptions.map((d) => [d.from, d.to + afterMillis] as const)
  const stop = data.stoppedAt
  const sums = Object.fromEntries(kinds.map(({ kind }) => [kind, { calm: 0, disrupted: 0 }])) as Record<
    Kind,
    { calm: number; disrupted: number }
  >
  for (const w of data.workers) {
    let prevAt = Math.max(0, (w.readyAt ?? data.goAt) - data.goAt)
    let prevOk: Record<Kind, number> = { tagLookups: 0, attrLookups: 0, tagWrites: 0, attrWrites: 0 }
    for (const sample of w.samples) {
      const at = sample.at - data.goAt
      const end = Math.min(at, stop)
      if (end > prevAt) {
        const share = overlap(prevAt, end, windows) / (at - prevAt)
        const kept = (end - prevAt) / (at - prevAt)
        for (const { kind } of kinds) {
          const delta = sample.tally.ok[kind] - prevOk[kind]
          sums[kind].disrupted += delta * share
          sums[kind].calm += delta * (kept - share)
        }
      }
      prevAt = at
      prevOk = sample.tally.ok
    }
  }
  const disruptedMillis = overlap(0, stop, windows)
  return kinds.map(({ kind, label }) => ({
    kind,
    label,
    calm: sums[kind].calm / ((stop - disruptedMillis) / 1000),
    disrupted: disruptedMillis > 0 ? sums[kind].disrupted / (disruptedMillis / 1000) : undefined
  }))
}

/** Per command, the calls answered with success and the accounts they carried on average, busiest first. */
export const accountsPerCall = (data: RunData) => {
  const by = new Map<string, { calls: number; accounts: number }>()
  for (const call of data.calls) {
    if (call.httpStatus !== 200 || call.errorCode !== 0) continue
    const entry = by.get(call.command) ?? { calls: 0, accounts: 0 }
    entry.calls++
    entry.accounts += call.accounts
    by.set(call.command, entry)
  }
  return [...by].map(([command, { accounts, calls }]) => ({ command, calls, mean: accounts / calls }))
    .sort((a, b) => b.calls - a.calls)
}

/** The rows. */
export const check = (data: RunData): Array<Row> => [
  ...rows(data),
  info(
    "Accounts per successful call (at most 100)",
    accountsPerCall(data).map(({ calls, command, mean }) => `${command} ${fixed(mean)} (${n(calls)} calls)`).join(", ")
  )
]

const rows = (data: RunData): Array<Row> =>
  rates(data).map(({ calm, disrupted, label }) =>
    info(
      `Throughput: ${label}`,
      `calm ${n(Math.round(calm))}/s (${fixed((calm / ceiling) * 100)} % of ${n(ceiling)})${
        disrupted === undefined
          ? ""
          : `; disrupted ${n(Math.round(disrupted))}/s (${fixed((disrupted / ceiling) * 100)} %)`
      }`
    )
  )
