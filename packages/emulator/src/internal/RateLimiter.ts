/**
 * The emulator's per-command rate limit: a sliding log of the times of counted calls. A call is accepted when
 * fewer than `limit` calls were counted in the window before it; a window is half-open, so calls at `t` and
 * `t + windowMillis` never share one. Accepted calls are always counted, refused ones only when the rule says
 * `countRefused`. A limit of 0 or `Infinity` means unlimited, and then nothing is counted.
 */

/** What calls are held to; the limiter reads it per call, so a change applies from the next call on. */
export interface Rule {
  readonly limit: number
  readonly countRefused: boolean
}

/** A limiter keyed by command. */
export interface RateLimiter {
  /** Decides the call at `at` (epoch ms): `true` accepts it. Records it if accepted, or refused and counted. */
  readonly tryAcquire: (key: string, at: number, rule: Rule) => boolean
}

/** Whether a limit value means "no limit". */
export const isUnlimited = (limit: number): boolean => limit === 0 || limit === Infinity

/**
 * Times in ascending order, dropped from the front as they leave the window. A call may be counted after one
 * stamped later (bodies completing out of order, timers firing a millisecond apart), so `add` inserts in place.
 */
const timeLog = () => {
  let times: Array<number> = []
  let head = 0
  return {
    size: () => times.length - head,
    /** Forgets every time `<= until`. */
    dropThrough: (until: number) => {
      while (head < times.length && times[head]! <= until) head++
      if (head > 64 && head * 2 > times.length) {
        times = times.slice(head)
        head = 0
      }
    },
    add: (time: number) => {
      let at = times.length
      while (at > head && times[at - 1]! > time) at--
      times.splice(at, 0, time)
    }
  }
}

/** Makes a limiter allowing `rule.limit` calls per key in any `windowMillis` window. */
export const make = (windowMillis = 1000): RateLimiter => {
  const logs = new Map<string, ReturnType<typeof timeLog>>()
  return {
    tryAcquire: (key, at, { countRefused, limit }) => {
      if (isUnlimited(limit)) return true
      let log = logs.get(key)
      if (log === undefined) logs.set(key, log = timeLog())
      log.dropThrough(at - windowMillis)
      const accepted = log.size() < limit
      if (accepted || countRefused) log.add(at)
      return accepted
    }
  }
}
