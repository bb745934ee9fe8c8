/** Small statistics and timing helpers shared by the scenarios. */

/** The `p`-th percentile (0–100) by nearest rank; NaN for no values. */
export const percentile = (values: ArrayLike<number>, p: number): number => {
  if (values.length === 0) return Number.NaN
  const sorted = Float64Array.from(values).sort()
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

/** The median (mean of the two middle values for an even count). */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Runs `f` and returns its result with the wall time in milliseconds. */
export const timed = async <A>(f: () => Promise<A>): Promise<{ readonly value: A; readonly ms: number }> => {
  const start = performance.now()
  const value = await f()
  return { value, ms: performance.now() - start }
}

/** Rounds to `digits` decimals (for tables and JSON). */
export const round = (value: number, digits = 2): number => {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** A deterministic PRNG (mulberry32), so every run draws the same workload. */
export const prng = (seed: number): () => number => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Shuffles in place (Fisher–Yates) with the given random source. */
export const shuffle = <A>(items: Array<A>, random: () => number): Array<A> => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const tmp = items[i]!
    items[i] = items[j]!
    items[j] = tmp
  }
  return items
}

/** Runs `task` over `items` with at most `concurrency` in flight (for the non-Effect baselines). */
export const mapConcurrent = async <A, B>(
  items: ReadonlyArray<A>,
  concurrency: number,
  task: (item: A, index: number) => Promise<B>
): Promise<Array<B>> => {
  const results = new Array<B>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await task(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return results
}

/**
 * `n` times the scale in `TIMTAGS_BENCH_SCALE` (default 1), rounded to a whole `step` (a call's 100 accounts,
 * or 1 for seconds) and at least one step: for short smoke runs of the scenarios that use it
 * (`TIMTAGS_BENCH_SCALE=0.05 pnpm bench tail`).
 */
export const scaled = (n: number, step = 100): number => {
  const scale = Number(process.env["TIMTAGS_BENCH_SCALE"] ?? "1")
  return Number.isFinite(scale) && scale > 0 ? Math.max(step, Math.round((n * scale) / step) * step) : n
}
