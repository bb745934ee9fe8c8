/**
 * Memory and handles stay flat, in every worker process that ran to the end (over its own life: a restarted
 * worker from its restart): the mean RSS of the last third of its samples within 10 % of the first third's,
 * and its open sockets and live handles (`process.getActiveResourcesInfo()`) no more than 10 % (+ 2) above.
 * Also the event loop's delay (p99 over the run, per process).
 */
import type { Sample } from "../protocol.js"
import type { Incarnation } from "../supervisor.js"
import { fixed, info, type Row, row, type RunData, survivors } from "./data.js"

type Measured = Omit<Sample, "answers">

/** Mean of `measure` over the first and the last third of the samples taken until "stop". */
export const thirds = (w: Incarnation, stopAt: number, measure: (s: Measured) => number) => {
  const samples = w.samples.filter((s) => s.at <= stopAt)
  if (samples.length < 3) return undefined
  const from = samples[0]!.at
  const third = (samples.at(-1)!.at - from) / 3
  const mean = (list: ReadonlyArray<Measured>) => list.reduce((sum, s) => sum + measure(s), 0) / list.length
  return {
    first: mean(samples.filter((s) => s.at <= from + third)),
    last: mean(samples.filter((s) => s.at >= from + 2 * third))
  }
}

const mib = (bytes: number) => bytes / 2 ** 20
const sockets = (s: Measured) => s.resources["TCPSocketWrap"] ?? 0
const handles = (s: Measured) => Object.values(s.resources).reduce((a, b) => a + b, 0)

/** The rows. */
export const check = (data: RunData): Array<Row> => {
  const stopAt = data.goAt + data.stoppedAt
  const workers = survivors(data.workers)
  const rss = workers.map((w) => ({ w, t: thirds(w, stopAt, (s) => mib(s.rssBytes)) }))
  const rssOk = rss.every(({ t }) => t !== undefined && Math.abs(t.last / t.first - 1) <= 0.1)
  const flat = (t: { first: number; last: number } | undefined) => t !== undefined && t.last <= t.first * 1.1 + 2
  const res = workers.map((w) => ({
    w,
    sockets: thirds(w, stopAt, sockets),
    handles: thirds(w, stopAt, handles)
  }))
  const name = (w: Incarnation) => `worker ${w.slot}${w.incarnation > 0 ? "′" : ""}`
  return [
    row(
      "RSS flat: mean of the last third within 10 % of the first third's",
      rss.map(({ t, w }) =>
        t === undefined
          ? `${name(w)}: too few samples`
          : `${name(w)} ${fixed(t.first)} → ${fixed(t.last)} MiB (${t.last >= t.first ? "+" : ""}${
            fixed((t.last / t.first - 1) * 100)
          } %)`
      ).join("; "),
      rssOk
    ),
    row(
      "Sockets and handles flat (last third ≤ first third + 10 % + 2)",
      res.map(({ handles: h, sockets: s, w }) =>
        `${name(w)} sockets ${fixed(s?.first ?? NaN)} → ${fixed(s?.last ?? NaN)}, handles ${fixed(h?.first ?? NaN)} → ${
          fixed(h?.last ?? NaN)
        }`
      ).join("; "),
      res.every(({ handles: h, sockets: s }) => flat(s) && flat(h))
    ),
    info(
      "Event-loop delay, p99 over the run",
      workers.map((w) => `${name(w)} ${w.report === undefined ? "?" : fixed(w.report.lagP99Millis)} ms`).join(", ") +
        `; worst 5-s p99 ${fixed(Math.max(0, ...data.workers.flatMap((w) => w.samples.map((s) => s.lagP99Millis))))} ms`
    )
  ]
}
