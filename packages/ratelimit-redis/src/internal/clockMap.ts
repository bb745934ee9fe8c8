/** Mapping Redis's clock onto this process's monotonic clock. */

/** Bounds on Redis's clock minus this process's monotonic clock (ms). */
export interface ClockMap {
  /** The offset is at least this (`-Infinity` before the first sample). */
  readonly lower: () => number
  /** The offset is at most this (`Infinity` before the first sample). */
  readonly upper: () => number
  /** One round trip: Redis read `redisNow` after `sent` and before `received` (local ms). */
  readonly observe: (redisNow: number, sent: number, received: number) => void
}

/**
 * Bounds on Redis's clock minus this process's monotonic clock (ms), NTP-style: Redis read its clock
 * after a request was sent and before its answer came back, so every round trip gives
 * `[now - received, now + 1 - sent]` (`TIME` is truncated to the ms). The bounds are the tightest of the
 * last 5-10 s, so slow drift is followed; a sample that contradicts them (a clock stepped) starts over.
 */
export const makeClockMap = (): ClockMap => {
  let lo = Number.NEGATIVE_INFINITY
  let hi = Number.POSITIVE_INFINITY
  let previousLo = Number.NEGATIVE_INFINITY
  let previousHi = Number.POSITIVE_INFINITY
  let since = Number.NEGATIVE_INFINITY
  const lower = () => Math.max(lo, previousLo)
  const upper = () => Math.min(hi, previousHi)
  return {
    lower,
    upper,
    observe: (redisNow: number, sent: number, received: number) => {
      const sampleLo = redisNow - received
      const sampleHi = redisNow + 1 - sent
      if (sampleHi < lower() || sampleLo > upper()) {
        previousLo = Number.NEGATIVE_INFINITY
        previousHi = Number.POSITIVE_INFINITY
        lo = Number.NEGATIVE_INFINITY
        hi = Number.POSITIVE_INFINITY
        since = received
      } else if (received - since > 5000) {
        previousLo = lo
        previousHi = hi
        lo = Number.NEGATIVE_INFINITY
        hi = Number.POSITIVE_INFINITY
        since = received
      }
      lo = Math.max(lo, sampleLo)
      hi = Math.min(hi, sampleHi)
    }
  }
}
