/** The reservation script's arithmetic in plain TypeScript, for the script tests and the outage policy's stand-in for Redis. */

/**
 * The arithmetic in plain TypeScript: a slot is the latest of now, the `limit`-th previous slot plus the
 * spacing, every j-th previous slot (j ≥ burst) plus (j + 1 - burst) intervals, and the previous slot;
 * rounded up to the ms.
 */
export const modelLog = (limit: number, spacing: number, burst: number) => {
  const interval = spacing / limit
  const slots: Array<number> = []
  return (now: number) => {
    const log = slots.slice(-limit)
    const n = log.length
    let slot = now
    if (n >= limit) slot = Math.max(slot, log[n - limit]! + spacing)
    for (let j = burst; j <= n; j++) slot = Math.max(slot, log[n - j]! + (j + 1 - burst) * interval)
    if (n > 0) slot = Math.max(slot, log[n - 1]!)
    slot = Math.ceil(slot)
    slots.push(slot)
    return slot
  }
}
