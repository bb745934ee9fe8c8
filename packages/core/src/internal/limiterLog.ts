/**
 * The rate limiter's arithmetic for one key, without effects.
 *
 * - A sliding log bounds every window: a call may start one `windowMillis` after the start `limit`
 *   calls before it. Starts are recorded when they actually happen: `take(now)` records a start
 *   provisionally (it counts as "now or later" while pending), and `started(slot, at)` replaces it
 *   with the moment the request was written, so a request that waited (for a connection, for a busy
 *   event loop) pushes the next window back instead of bunching with it at the server. A start never
 *   confirmed stops counting as pending after ten windows.
 * - GCRA paces starts `windowMillis / limit` apart after a burst of `burst`.
 * - A refusal (`refused(at)`, a frequency-limit answer) pauses the key until a full window after it
 *   and halves the rate; every window without a refusal then gives back a tenth of the limit (AIMD).
 * - A call that another limiter let go is recorded without waiting (`record(at)`), so that this log's
 *   windows include it; a log made for a new rate (`make(..., previous)`) keeps the previous one's
 *   latest starts and pause.
 */

/** A recorded start, to be confirmed with the moment its request was written. */
export type Slot = number

/** The log of one key. */
export interface LimiterLog {
  /** When the next call may start (≥ `now`). */
  readonly earliest: (now: number) => number
  /** Records a call starting at `now` if it may, returning its slot; `undefined` if it may not. */
  readonly take: (now: number) => Slot | undefined
  /** Records a call starting at `at` or later whatever the limit, returning its slot (for a call another limiter let go). */
  readonly record: (at: number) => Slot
  /** Records that the call of `slot` was written at `at` (a start is never moved earlier). */
  readonly started: (slot: Slot, at: number) => void
  /** Records a frequency-limit answer at `at`. */
  readonly refused: (at: number) => void
  /** Calls per window allowed now (after refusals, less than the limit until it recovers). */
  readonly currentLimit: (now: number) => number
  /** The latest `limit` starts, oldest first, each as it counts at `now`, and the pause (for a log that replaces this one). */
  readonly carry: (now: number) => { readonly starts: ReadonlyArray<number>; readonly pausedUntil: number }
}

/** The rate a refusal lowers (AIMD): halved once per window of refusals, a tenth back per quiet window. */
const aimd = (limit: number, windowMillis: number) => {
  let allowed = limit
  let changedAt = Number.NEGATIVE_INFINITY
  let decreasedAt = Number.NEGATIVE_INFINITY
  let pausedUntil = Number.NEGATIVE_INFINITY
  const increase = Math.max(1, Math.round(limit / 10))
  const current = (now: number): number => {
    if (allowed < limit && now >= changedAt + windowMillis) {
      const windows = Math.floor((now - changedAt) / windowMillis)
      allowed = Math.min(limit, allowed + windows * increase)
      changedAt += windows * windowMillis
    }
    return allowed
  }
  return {
    current,
    pausedUntil: () => pausedUntil,
    pauseUntil: (until: number) => {
      pausedUntil = Math.max(pausedUntil, until)
    },
    refused: (at: number) => {
      pausedUntil = Math.max(pausedUntil, at + windowMillis)
      // Refusals within one window are one congestion event: halve once.
      if (at >= decreasedAt + windowMillis) {
        allowed = Math.max(1, Math.floor(current(at) / 2))
        decreasedAt = at
        changedAt = at + windowMillis
      }
    }
  }
}

/**
 * A log allowing `limit` starts in any `windowMillis`, bursts of `burst`. A log that replaces `previous`
 * (the key's rate changed) starts with its latest starts, as they count at `now`, and its pause.
 */
export const make = (
  limit: number,
  windowMillis: number,
  burst: number = limit,
  previous?: { readonly log: LimiterLog; readonly now: number }
): LimiterLog => {
  // Ring of the last `limit` starts in the order they were taken (slot s at s % limit); pending ones flagged.
  const starts = new Array<number>(limit).fill(Number.NEGATIVE_INFINITY)
  const pending = new Array<boolean>(limit).fill(false)
  let count = 0 // starts taken so far; the next one goes to count % limit
  let theoreticalArrival = Number.NEGATIVE_INFINITY
  const rate = aimd(limit, windowMillis)
  const maxPendingMillis = 10 * windowMillis

  /**
   * The start `k` calls back (k ≤ limit). A pending one counts as starting no earlier than `now`,
   * for at most `maxPendingMillis` (a permit nobody confirms must not hold the key forever).
   */
  const startBack = (k: number, now: number): number => {
    if (k > count) return Number.NEGATIVE_INFINITY
    const i = (count - k) % limit
    return pending[i]! ? Math.max(starts[i]!, Math.min(now, starts[i]! + maxPendingMillis)) : starts[i]!
  }

  const earliest = (now: number): number => {
    const current = rate.current(now)
    const tolerance = (Math.max(1, Math.min(burst, current)) - 1) * (windowMillis / current)
    return Math.max(now, rate.pausedUntil(), startBack(current, now) + windowMillis, theoreticalArrival - tolerance)
  }

  /** Appends a start at `at` (pending until `started`, or confirmed), advancing the pacing. */
  const append = (at: number, isPending: boolean): Slot => {
    const slot = count++
    starts[slot % limit] = at
    pending[slot % limit] = isPending
    theoreticalArrival = Math.max(at, theoreticalArrival) + windowMillis / rate.current(at)
    return slot
  }

  if (previous !== undefined) {
    const carried = previous.log.carry(previous.now)
    for (const at of carried.starts.slice(-limit)) append(at, false)
    rate.pauseUntil(carried.pausedUntil)
  }

  return {
    earliest,
    currentLimit: rate.current,
    take: (now) => (earliest(now) > now + 1e-6 ? undefined : append(now, true)),
    record: (at) => append(at, true),
    started: (slot, at) => {
      if (slot < count - limit) return // overwritten in the ring by a later start: too old to matter
      const i = slot % limit
      if (!pending[i]) return
      starts[i] = Math.max(starts[i]!, at)
      pending[i] = false
    },
    refused: rate.refused,
    carry: (now) => {
      const n = Math.min(count, limit)
      return { starts: Array.from({ length: n }, (_, j) => startBack(n - j, now)), pausedUntil: rate.pausedUntil() }
    }
  }
}
