/**
 * Scheduled-task times as Tencent writes them: `"YYYY-MM-DD HH:MM:SS"`, always UTC (spec beyond-tags §3.4).
 * Only real moments parse: `"2025-02-30 10:00:00"` and `"2025-06-01T10:00:00"` do not.
 */

const pattern = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/

/** Epoch ms as `"YYYY-MM-DD HH:MM:SS"` (UTC). */
export const format = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace("T", " ")

/** The moment a `"YYYY-MM-DD HH:MM:SS"` UTC string names, epoch ms; `undefined` for anything else. */
export const parse = (u: unknown): number | undefined => {
  const match = typeof u === "string" ? pattern.exec(u) : null
  if (match === null) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  const ms = Date.UTC(year, month - 1, day, hour, minute, second)
  return format(ms) === u ? ms : undefined
}
