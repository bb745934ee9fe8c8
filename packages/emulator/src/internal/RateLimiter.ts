/**
 * The emulator's per-command rate limit: a sliding log of accepted-call timestamps. A call is accepted when
 * fewer than `limit` calls were accepted in the window before it; a window is half-open, so calls at `t` and
 * `t + windowMillis` never share one. A limit of 0 or `Infinity` means unlimited.
 */

/** A limiter keyed by command. */
export interface RateLimiter {
  /** Records and accepts the call at `now` (epoch ms), or refuses it without recording. */
  readonly tryAcquire: (key: string, now: number) => boolean
  /** Changes the limit; calls already accepted stay in the log. */
  readonly setLimit: (limit: number) => void
}

/** Whether a limit value means "no limit". */
export const isUnlimited = (limit: number): boolean => limit === 0 || limit === Infinity

/** Makes a limiter allowing `limit` calls per key in any `windowMillis` window. */
export const make = (limit: number, windowMillis = 1000): RateLimiter => {
  const accepted = new Map<string, Array<number>>()
  let current = limit
  return {
    tryAcquire: (key, now) => {
      if (isUnlimited(current)) return true
      let log = accepted.get(key)
      if (log === undefined) accepted.set(key, log = [])
      let expired = 0
      while (expired < log.length && log[expired]! <= now - windowMillis) expired++
      if (expired > 0) log.splice(0, expired)
      if (log.length >= current) return false
      log.push(now)
      return true
    },
    setLimit: (limit) => {
      current = limit
    }
  }
}
