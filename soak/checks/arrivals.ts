/**
 * The emulator never sees more than `limit` arrivals of one command in any sliding second: over the whole run
 * (its call log, every arrival as the emulator stamped it, refused ones included), and within each disruption
 * and the `afterMillis` after it. Also the per-second series the plot draws.
 */
import { CallLog } from "@timtags/emulator"
import { slidingMaxima } from "../../benchmarks/chart.js"
import { n, type Row, row, type RunData } from "./data.js"

/** How long after a disruption still counts as its aftermath. */
export const afterMillis = 10_000

/** Arrival times (epoch ms) by command. */
export const arrivalsByCommand = (calls: ReadonlyArray<CallLog.CallRecord>): Map<string, Array<number>> => {
  const by = new Map<string, Array<number>>()
  for (const call of calls) {
    const times = by.get(call.command) ?? []
    times.push(call.at)
    by.set(call.command, times)
  }
  return by
}

/** A part of the run: the calls it holds (by ms from "go"). */
export interface Phase {
  readonly name: string
  readonly holds: (ms: number) => boolean
}

/** The whole run; the calm part (outside every disruption and its aftermath); each disruption with its aftermath. */
export const phases = (data: RunData): Array<Phase> => {
  const windows = data.disruptions.map((d) => ({ d, from: d.from, to: d.to + afterMillis }))
  const seconds = (ms: number) => Math.round(ms / 1000)
  return [
    { name: "whole run", holds: () => true },
    ...(windows.length === 0 ? [] : [{
      name: `calm (outside the disruptions and ${seconds(afterMillis)} s after each)`,
      holds: (ms: number) => windows.every((w) => ms < w.from || ms >= w.to)
    }]),
    ...windows.map(({ d, from, to }) => ({
      name: `${d.label} (${seconds(from)}–${seconds(to)} s)`,
      holds: (ms: number) => ms >= from && ms < to
    }))
  ]
}

/** The busiest sliding second of each command within a phase, and the refusals in it. */
export const busiest = (data: RunData, phase: Phase) => {
  const inPhase = data.calls.filter((c) => phase.holds(c.at - data.goAt))
  const maxima = [...arrivalsByCommand(inPhase)].map(([command, times]) => ({
    command,
    max: CallLog.maxInWindow(times, 1000)
  })).sort((a, b) => b.max - a.max)
  const refused = inPhase.filter((c) => c.rateLimited).length
  return { maxima, refused, calls: inPhase.length }
}

/** The rows: one per phase. */
export const check = (data: RunData): Array<Row> =>
  phases(data).map((phase) => {
    const { calls, maxima, refused } = busiest(data, phase)
    const worst = maxima[0]?.max ?? 0
    return row(
      `≤ ${data.limit} arrivals per sliding second per command: ${phase.name}`,
      `${maxima.map((m) => `${m.command} ${m.max}`).join(", ")}; ${n(calls)} calls, ${n(refused)} refused (60007)`,
      worst <= data.limit
    )
  })

/** Per command, the busiest sliding second in each second of the run: `[ms from go, arrivals]`. */
export const series = (data: RunData) =>
  [...arrivalsByCommand(data.calls)].map(([command, times]) => ({
    command,
    points: slidingMaxima(times, data.goAt, data.goAt + data.endedAt, 1000, 1000)
  }))
