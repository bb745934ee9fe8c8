/** Everything a soak run leaves behind, from which the checks are computed. */
import type { CallLog } from "@timtags/emulator"
import type { StoredAccount } from "../../benchmarks/emulator.js"
import type { Disruption } from "../disruptions.js"
import type { Options } from "../options.js"
import type { Population } from "../plan.js"
import type { Contradiction } from "../protocol.js"
import type { Incarnation } from "../supervisor.js"

/** The run. */
export interface RunData {
  readonly options: Options
  readonly population: Population
  /** The limit per command and sliding second. */
  readonly limit: number
  /** Epoch ms of "go"; every other time here is ms from it. */
  readonly goAt: number
  readonly stoppedAt: number
  readonly endedAt: number
  readonly disruptions: ReadonlyArray<Disruption>
  /** The emulator's call log, from "go" on. */
  readonly calls: ReadonlyArray<CallLog.CallRecord>
  readonly workers: ReadonlyArray<Incarnation>
  /** The first answer seen for each `tags:<account>` / `attrs:<account>`. */
  readonly answers: ReadonlyMap<string, string>
  /** Answers of one worker that differ from another worker's for the same account. */
  readonly crossContradictions: ReadonlyArray<Contradiction>
  readonly crossContradictionCount: number
  /** The store at the end, by account (`null`: no such account). */
  readonly store: Readonly<Record<string, StoredAccount | null>>
}

/** One row of the table. */
export interface Row {
  readonly check: string
  readonly result: string
  /** `info` rows report a figure without a target. */
  readonly verdict: "pass" | "FAIL" | "info"
}

/** A row that passes when `ok`. */
export const row = (check: string, result: string, ok: boolean): Row => ({
  check,
  result,
  verdict: ok ? "pass" : "FAIL"
})

/** A row without a target. */
export const info = (check: string, result: string): Row => ({ check, result, verdict: "info" })

/** The incarnation of each slot that ran to the end (the last one started). */
export const survivors = (workers: ReadonlyArray<Incarnation>): Array<Incarnation> => {
  const last = new Map<number, Incarnation>()
  for (const w of workers) if ((last.get(w.slot)?.incarnation ?? -1) < w.incarnation) last.set(w.slot, w)
  return [...last.values()].sort((a, b) => a.slot - b.slot)
}

/** The last tally a process sent (its report's, or its last sample's if it was killed). */
export const lastTally = (w: Incarnation) => w.samples.at(-1)?.tally

/** `1234567` as `1,234,567`. */
export const n = (value: number) => value.toLocaleString("en-US")

/** A number with `digits` decimals. */
export const fixed = (value: number, digits = 1) => value.toFixed(digits)
