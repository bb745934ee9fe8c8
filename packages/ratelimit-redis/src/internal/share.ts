/**
 * A process's share of one key's rate when it cannot ask Redis: with K processes sharing a limit of L
 * calls per window,
 *
 * - `floor(L / K)` calls per window when that is at least one: K processes then start at most
 *   `K × floor(L / K) ≤ L` in any window, each counting only its own calls;
 * - below one call per window (K > L), one call per `K / L` windows, and staggered: the calls of a
 *   process start only at the points `rank × step + n × K × step` of Redis's clock (as this process maps
 *   it; `step = (window + margin) / L`), so the K processes take turns at points `step` apart and no
 *   window holds more than L of them. Without a mapping of Redis's clock (a process that never reached
 *   Redis) the calls are not staggered: one call per `K / L` windows on average, which may bunch.
 *
 * The `whole` policy (or a single process) keeps the whole rate: throughput first.
 */
import type * as RateLimit from "@timtags/core/RateLimit"
import type { KeyRate } from "./settings.js"

/** The points a staggered share may start at: `offset + n × period` on Redis's clock (ms). */
export interface Lattice {
  readonly period: number
  readonly offset: number
  /** The local rate of a process whose calls are aligned to the points (one per point, at most). */
  readonly rate: RateLimit.Rate
}

/** What one process allows itself under one key. */
export interface Share {
  /** Its rate, without staggering (the in-memory limiter adds the margin). */
  readonly rate: RateLimit.Rate
  /** For a share below one call per window: the points its calls start at. */
  readonly lattice?: Lattice | undefined
}

/** The share of `key` for this process, `rank` of `processes`, under `policy`. */
export const of = (
  key: KeyRate,
  processes: number,
  rank: number,
  policy: "share" | "whole",
  margin: number
): Share => {
  if (policy === "whole" || processes <= 1) return { rate: key.rate }
  const perWindow = Math.floor(key.limit / processes)
  if (perWindow >= 1) return { rate: { limit: perWindow, windowMillis: key.rate.windowMillis } }
  const step = key.spacing / key.limit
  const period = processes * step
  // One call per `period` (with the margin the in-memory limiter adds); aligned, one per point at most.
  const windowOf = (spacing: number) => Math.max(1, spacing - margin)
  return {
    rate: { limit: 1, windowMillis: windowOf(period) },
    lattice: { period, offset: (rank % processes) * step, rate: { limit: 1, windowMillis: windowOf(period / 2) } }
  }
}

/** The first point of `lattice` at or after `now` (Redis's clock, ms). */
export const nextPoint = (lattice: Lattice, now: number): number =>
  lattice.offset + Math.ceil((now - lattice.offset) / lattice.period) * lattice.period
