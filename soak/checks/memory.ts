/**
 * Memory and handles stay flat, in every worker process that ran to the end (over its own life: a restarted
 * worker from its restart), once it has warmed up: after its first `warmUpMillis` (its V8 heap grows to what the
 * traffic needs, then holds), the mean RSS of the last third of its samples within 10 % of the first third's, and
 * the mean of its open sockets and of its live handles (`process.getActiveResourcesInfo()`) in the last third no
 * more than 10 % (+ 1) above the most seen in the first third (they move with the requests in flight). The RSS
 * over the whole life is reported beside. A process sampled for less than `judgeMillis` after its warm-up is too
 * young to judge: its figures are reported, not judged. Also the event loop's delay (p99 over the run, per
 * process).
 */
import type { Sample } from "../protocol.js"
import type { Incarnation } from "../supervisor.js"
import { fixed, info, type Row, row, type RunData, survivors } from "./data.js"

/** How long a process warms up before its memory is judged. */
export const warmUpMillis = 120_000

/** The shortest time, after the warm-up, over which memory is judged. */
export const judgeMillis = 150_000

type Measured = Omit<Sample, "answers">

/**
 * The samples taken until "stop" (`all`), those to judge (after the warm-up; all of them, to report, when too few
 * remain), and how long those after the warm-up span (ms).
 */
const sampled = (w: Incarnation, stopAt: number) => {
  const all = w.samples.filter((s) => s.at <= stopAt)
  const warm = all.filter((s) => s.at >= (all[0]?.at ?? 0) + warmUpMillis)
  const span = warm.length < 2 ? 0 : warm.at(-1)!.at - warm[0]!.at
  return { all, samples: span >= judgeMillis ? warm : all, span }
}

/** `measure` over the first third of the samples (mean and most) and over the last third (mean). */
export const thirds = (samples: ReadonlyArray<Measured>, measure: (s: Measured) => number) => {
  if (samples.length < 3) return undefined
  const from = samples[0]!.at
  const third = (samples.at(-1)!.at - from) / 3
  const first = samples.filter((s) => s.at <= from + third).map(measure)
  const last = samples.filter((s) => s.at >= from + 2 * third).map(measure)
  const mean = (values: ReadonlyArray<number>) => values.reduce((a, b) => a + b, 0) / values.length
  return { first: mean(first), firstMost: Math.max(...first), last: mean(last) }
}

const mib = (bytes: number) => bytes / 2 ** 20
const sockets = (s: Measured) => s.resources["TCPSocketWrap"] ?? 0
const handles = (s: Measured) => Object.values(s.resources).reduce((a, b) => a + b, 0)

const name = (w: Incarnation) => `worker ${w.slot}${w.incarnation > 0 ? "′" : ""}`

const percent = (from: number, to: number) => `${to >= from ? "+" : ""}${fixed((to / from - 1) * 100)} %`

/** A row judged only if every process lived long enough; the reason otherwise. */
const judged = (check: string, result: string, ok: boolean, young: ReadonlyArray<Incarnation>) =>
  young.length === 0 ? row(check, result, ok) : info(
    check,
    `${result} (not judged: ${young.map(name).join(", ")} sampled for under ${judgeMillis / 1000} s after warming up)`
  )

/** The rows. */
export const check = (data: RunData): Array<Row> => {
  const stopAt = data.goAt + data.stoppedAt
  const workers = survivors(data.workers).map((w) => ({ w, ...sampled(w, stopAt) }))
  const young = workers.filter((w) => w.span < judgeMillis).map(({ w }) => w)
  const rss = workers.map(({ all, samples, w }) => ({
    w,
    t: thirds(samples, (s) => mib(s.rssBytes)),
    life: thirds(all, (s) => mib(s.rssBytes))
  }))
  const res = workers.map(({ samples, w }) => ({
    w,
    sockets: thirds(samples, sockets),
    handles: thirds(samples, handles)
  }))
  const flat = (t: ReturnType<typeof thirds>) => t !== undefined && t.last <= t.firstMost * 1.1 + 1
  const range = (t: ReturnType<typeof thirds>) =>
    t === undefined ? "?" : `${fixed(t.first)} (most ${t.firstMost}) → ${fixed(t.last)}`
  return [
    judged(
      `RSS flat after ${warmUpMillis / 60_000} min of warm-up: mean of the last third within 10 % of the first third's`,
      rss.map(({ life, t, w }) =>
        t === undefined || life === undefined
          ? `${name(w)}: too few samples`
          : `${name(w)} ${fixed(t.first)} → ${fixed(t.last)} MiB (${percent(t.first, t.last)}; over its whole life ${
            fixed(life.first)
          } → ${fixed(life.last)}, ${percent(life.first, life.last)})`
      ).join("; "),
      rss.every(({ t }) => t !== undefined && Math.abs(t.last / t.first - 1) <= 0.1),
      young
    ),
    judged(
      "Sockets and handles flat: last third's mean ≤ first third's most + 10 % + 1",
      res.map(({ handles: h, sockets: s, w }) => `${name(w)} sockets ${range(s)}, handles ${range(h)}`).join("; "),
      res.every(({ handles: h, sockets: s }) => flat(s) && flat(h)),
      young
    ),
    info(
      "Event-loop delay, p99 over the run",
      workers.map(({ w }) => `${name(w)} ${w.report === undefined ? "?" : fixed(w.report.lagP99Millis)} ms`).join(
        ", "
      ) +
        `; worst 5-s p99 ${fixed(Math.max(0, ...data.workers.flatMap((w) => w.samples.map((s) => s.lagP99Millis))))} ms`
    )
  ]
}
