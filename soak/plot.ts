/**
 * The soak's SVG (`benchmarks/chart.ts`): the busiest sliding second of the busiest command through the run,
 * with the limit; each worker process's RSS; its event-loop delay; the disruptions shaded.
 */
import { type Line, renderPanels, type Span } from "../benchmarks/chart.js"
import * as Arrivals from "./checks/arrivals.js"
import type { RunData } from "./checks/data.js"

const palette = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]

/** One line per worker process (a restarted one is `worker N′`). */
const perProcess = (data: RunData, value: (s: RunData["workers"][number]["samples"][number]) => number) =>
  data.workers.map((w, i): Line => ({
    name: `worker ${w.slot}${w.incarnation > 0 ? "′" : ""}`,
    color: palette[i % palette.length]!,
    points: w.samples.map((s) => [s.at - data.goAt, value(s)] as const)
  }))

/** The chart. */
export const render = (data: RunData, caption: string): string => {
  const spans: Array<Span> = data.disruptions.map((d) => ({ from: d.from, to: d.to, label: d.label }))
  // Every command's series has the same steps: take the busiest command at each.
  const series = Arrivals.series(data)
  const busiest = (series[0]?.points ?? []).map(([x], i) =>
    [x, Math.max(...series.map(({ points }) => points[i]?.[1] ?? 0))] as const
  )
  return renderPanels(
    [
      {
        title: "Arrivals at the emulator: the busiest sliding second of the busiest command, second by second",
        lines: [{
          name: "busiest command (each command's series is in the JSON)",
          color: palette[0]!,
          points: busiest
        }],
        limit: { value: data.limit, label: `limit ${data.limit} per sliding second` },
        spans
      },
      {
        title: "RSS of each worker process (MiB), sampled every 5 s",
        lines: perProcess(data, (s) => Math.round((s.rssBytes / 2 ** 20) * 10) / 10),
        spans
      },
      {
        title: "Event-loop delay of each worker process, p99 of each 5 s (ms)",
        lines: perProcess(data, (s) => s.lagP99Millis),
        spans
      }
    ],
    caption,
    data.endedAt
  )
}
