/**
 * Which base URL a REST attempt goes to: the primary one, or, for a while after the primary could
 * not be reached (network error or timeout), the backup domain Tencent documents for each region.
 * A backup that cannot be reached either sends the next attempt back to the primary.
 */

/** How long attempts stay on the backup after the primary failed. */
export const stickyMillis = 60_000

/** The endpoint chooser of one client. */
export interface Endpoints {
  /** The base URL for an attempt starting at `now` (epoch ms). */
  readonly pick: (now: number) => string
  /** Reports that `base` could not be reached at `now`. */
  readonly unreachable: (base: string, now: number) => void
}

/** A chooser between `primary` and an optional `backup`. */
export const make = (primary: string, backup: string | undefined): Endpoints => {
  let backupUntil = 0
  return {
    pick: (now) => backup !== undefined && now < backupUntil ? backup : primary,
    unreachable: (base, now) => {
      if (backup === undefined) return
      backupUntil = base === primary ? now + stickyMillis : 0
    }
  }
}
