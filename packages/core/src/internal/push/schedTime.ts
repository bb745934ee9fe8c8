/** Scheduled-task times on the wire: `"YYYY-MM-DD HH:MM:SS"` in UTC. */

const pad = (n: number) => String(n).padStart(2, "0")

/** A `Date` as Tencent's scheduled-task time (UTC, whole seconds). */
export const format = (date: Date): string =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
  `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`

/** Tencent's scheduled-task time as a `Date` (an unreadable one is an invalid `Date`). */
export const parse = (text: string): Date => new Date(`${text.replace(" ", "T")}Z`)
