/**
 * Counters that reset at a given moment, in memory: one count per counter key and period (the moment
 * `resetsAt` it ends, epoch ms on Effect's `Clock`). A period that has ended counts nothing, and its
 * entry is dropped the next time any counter is touched.
 */

/** The counters' arithmetic, given the time `now` of each operation. */
export interface QuotaCounter {
  /** Takes one use if fewer than `max` were taken in the period; `false` when none is left. */
  readonly take: (key: string, max: number, resetsAt: number, now: number) => boolean
  /** Gives one use back (never below 0). */
  readonly giveBack: (key: string, resetsAt: number, now: number) => void
  /** Counts at least `uses` taken in the period. */
  readonly raise: (key: string, uses: number, resetsAt: number, now: number) => void
  /** Uses taken so far in the period (0 once it has ended). */
  readonly used: (key: string, resetsAt: number, now: number) => number
}

/** Makes empty counters. */
export const make = (): QuotaCounter => {
  const counts = new Map<string, { readonly resetsAt: number; uses: number }>()
  /** The period's entry (made if `create`), after dropping every entry whose period has ended. */
  const entry = (key: string, resetsAt: number, now: number, create: boolean) => {
    for (const [name, counter] of counts) if (counter.resetsAt <= now) counts.delete(name)
    if (resetsAt <= now) return undefined
    const name = `${resetsAt}:${key}`
    let counter = counts.get(name)
    if (counter === undefined && create) counts.set(name, counter = { resetsAt, uses: 0 })
    return counter
  }
  return {
    take: (key, max, resetsAt, now) => {
      if (max < 1) return false
      const counter = entry(key, resetsAt, now, true)
      if (counter === undefined) return true // the period is over: the counter has started again
      if (counter.uses >= max) return false
      counter.uses += 1
      return true
    },
    giveBack: (key, resetsAt, now) => {
      const counter = entry(key, resetsAt, now, false)
      if (counter !== undefined && counter.uses > 0) counter.uses -= 1
    },
    raise: (key, uses, resetsAt, now) => {
      const counter = entry(key, resetsAt, now, true)
      if (counter !== undefined) counter.uses = Math.max(counter.uses, uses)
    },
    used: (key, resetsAt, now) => entry(key, resetsAt, now, false)?.uses ?? 0
  }
}
