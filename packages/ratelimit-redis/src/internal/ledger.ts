/**
 * What this process records in its in-memory limiter of the calls made through Redis, so that when Redis
 * fails it continues from them rather than from a fresh window.
 *
 * - **Its part of every process's calls.** Each reservation brings the slots the key's log got since this
 *   process's previous one, numbered. The K processes split them by number (reservation n goes to the
 *   process of rank n mod K) and each records its part as it hears of it. When Redis fails, each continues
 *   from its part of the last window's calls (the sleeping ones included), and the parts and the shares add
 *   up to at most the limit, however unevenly the processes used Redis. A staggered share records every
 *   slot (its spacing must follow all of them); the `whole` policy records this process's own. A slot is
 *   recorded once: the answers to reservations sent at the same time bring the same slots.
 * - **What it cannot know.** Between the last time it heard of a key's log and the moment Redis stopped
 *   answering (when the failing call was sent), the others (if there are others) reserved slots it has not
 *   heard of: all of them, for a key it had left idle. At its first local call under the key in an outage it
 *   counts its part of them as used, at the latest slot it heard of (theirs are later; the margin covers the
 *   difference) or when Redis stopped, whichever is later. Its part is at most a share, and at most its part
 *   of what the others could reserve in that time: the starts of that time (the key's rate), and the
 *   reservations each of them may hold ahead (`burst` each, taken at once when a process gets busy just
 *   before Redis stops), one more for rounding.
 */
import type * as RateLimit from "@timtags/core/RateLimit"
import type { Health } from "./outage.js"
import type { Presence } from "./presence.js"
import type { KeyRate } from "./settings.js"
import type { Hear } from "./shared.js"

/** The records of one limiter. */
export interface Ledger {
  /**
   * Hears of the slots a reservation under `key` (of `limit` calls per window) brought, recording this
   * process's part at `share`.
   */
  readonly hear: (
    key: string,
    share: RateLimit.Rate,
    limit: number,
    staggered: boolean
  ) => Hear
  /** Before the first local call under `key` in an outage: counts this process's part of what it did not hear of. */
  readonly catchUp: (key: string, rate: KeyRate, share: RateLimit.Rate) => void
}

/** Makes the records of a limiter under `policy`, kept in `local`. */
export const make = (
  policy: "share" | "whole",
  local: RateLimit.Memory,
  presence: Presence,
  health: Pick<Health, "outages" | "outageSentAt">
): Ledger => {
  /** When this process last heard of each key's log, and the latest slot it heard of (Effect's clock, ms). */
  const heard = new Map<string, { readonly at: number; readonly latest: number }>()
  /** The outage each key last caught up with. */
  const caughtUp = new Map<string, number>()
  /** The latest reservation number recorded, per key. */
  const recorded = new Map<string, number>()
  /**
   * The first reservation number not recorded yet, of those up to `last`, which become recorded.
   * Answers may come out of order (by up to the reservations in flight); numbers far below the latest
   * mean the key's log started over.
   */
  const unrecorded = (key: string, last: number, limit: number) => {
    let top = recorded.get(key) ?? 0
    if (last + 2 * limit < top) top = 0
    recorded.set(key, Math.max(top, last))
    return top + 1
  }
  /** `uses` calls under `key` that started at `at`. */
  const count = (key: string, at: number, share: RateLimit.Rate, uses = 1) => {
    for (let i = 0; i < uses; i++) local.record(key, at, share).started(at)
  }
  return {
    hear: (key, share, limit, staggered) => (first, slots, shift, now) => {
      const last = first + slots.length - 1
      heard.set(key, { at: now, latest: Math.max(heard.get(key)?.latest ?? 0, (slots[slots.length - 1] ?? 0) + shift) })
      const processes = presence.processes()
      const rank = presence.rank() % processes
      for (let seq = Math.max(first, unrecorded(key, last, limit)); seq <= last; seq++) {
        const mine = policy === "whole" ? seq === last : staggered || seq % processes === rank
        if (mine) count(key, slots[seq - first]! + shift, share)
      }
    },
    catchUp: (key, rate, share) => {
      const outage = health.outages()
      if (policy === "whole" || presence.processes() <= 1 || caughtUp.get(key) === outage) return
      caughtUp.set(key, outage)
      const stopped = health.outageSentAt()
      const last = heard.get(key)
      const unknown = stopped - (last?.at ?? Number.NEGATIVE_INFINITY)
      if (!(unknown > 0)) return
      const processes = presence.processes()
      const unheard = (processes - 1) * rate.burst + (rate.limit * unknown) / rate.spacing
      const uses = Math.min(share.limit, Math.ceil(unheard / processes) + 1)
      count(key, Math.max(stopped, last?.latest ?? Number.NEGATIVE_INFINITY), share, uses)
    }
  }
}
