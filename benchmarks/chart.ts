/**
 * SVG line charts without dependencies: panels stacked on one time axis, each with its own lines, an optional
 * dashed limit line and shaded spans of time (disruptions). `render` draws arrivals per sliding second with
 * the limit (what the server's limiter counted at every moment of a run), one panel per run; `renderPanels`
 * draws any lines (the soak's arrivals and memory).
 */

/** One line: arrival times (epoch ms) of one command. */
export interface Series {
  readonly name: string
  readonly times: ReadonlyArray<number>
  readonly color: string
}

/** One panel: a run. */
export interface Panel {
  readonly title: string
  readonly series: ReadonlyArray<Series>
}

/** A point: ms from the panel's start, and a value. */
export type Point = readonly [number, number]

/** One line of a panel. */
export interface Line {
  readonly name: string
  readonly color: string
  readonly points: ReadonlyArray<Point>
}

/** A shaded stretch of time, ms from the panel's start (a disruption); `to === from` draws a mark. */
export interface Span {
  readonly from: number
  readonly to: number
  readonly label: string
}

/** One panel of lines. */
export interface LinePanel {
  readonly title: string
  readonly lines: ReadonlyArray<Line>
  /** Top of the y axis; default the highest point, and at least 1.2 × the limit. */
  readonly yMax?: number
  /** A dashed red line at `value`, labelled. */
  readonly limit?: { readonly value: number; readonly label: string }
  readonly spans?: ReadonlyArray<Span>
}

/**
 * Counts the arrivals in the window `(x - windowMillis, x]`, for `x` that never decreases from one call to the
 * next; `next()` is the earliest arrival not counted yet.
 */
const windowCounter = (times: ReadonlyArray<number>, windowMillis: number) => {
  const sorted = [...times].sort((a, b) => a - b)
  let lo = 0
  let hi = 0
  return {
    countAt: (x: number) => {
      while (hi < sorted.length && sorted[hi]! <= x) hi++
      while (lo < hi && sorted[lo]! <= x - windowMillis) lo++
      return hi - lo
    },
    next: (): number | undefined => sorted[hi]
  }
}

/** For each step from the first arrival to the last, how many arrivals fell in the window ending there. */
export const slidingCounts = (
  times: ReadonlyArray<number>,
  start: number,
  end: number,
  windowMillis = 1000,
  stepMillis = 25
) => {
  const counter = windowCounter(times, windowMillis)
  const points: Array<Point> = []
  for (let t = start; t <= end + windowMillis; t += stepMillis) points.push([t - start, counter.countAt(t)])
  return points
}

/**
 * For each step `[t, t + stepMillis)` from `start` to `end`, the most arrivals in any window `(x - windowMillis,
 * x]` with `x` in the step: exact (a step's maximum is reached at one of its arrivals, or at its start), so a
 * long run can be drawn with coarse steps and still show every peak.
 */
export const slidingMaxima = (
  times: ReadonlyArray<number>,
  start: number,
  end: number,
  windowMillis = 1000,
  stepMillis = 1000
): Array<Point> => {
  const counter = windowCounter(times, windowMillis)
  const points: Array<Point> = []
  for (let t = start; t < end; t += stepMillis) {
    let max = counter.countAt(t)
    for (let x = counter.next(); x !== undefined && x < t + stepMillis; x = counter.next()) {
      max = Math.max(max, counter.countAt(x))
    }
    points.push([t - start, max])
  }
  return points
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;")

const width = 900
const height = 260
const pad = { left: 48, right: 16, top: 28, bottom: 34 }

/** Seconds between ticks: at most 40 ticks across. */
const tickSeconds = (maxX: number) =>
  [1, 2, 5, 10, 15, 30, 60, 120, 300, 600].find((s) => maxX / 1000 / s <= 40) ?? 1200

/** The time axis: a tick each `tickSeconds`, every other one labelled. */
const timeTicks = (maxX: number, x: (ms: number) => number) => {
  const step = tickSeconds(maxX)
  return Array.from({ length: Math.floor(maxX / 1000 / step) + 1 }, (_, i) => {
    const s = i * step
    const tick = `<line x1="${x(s * 1000)}" y1="${height - pad.bottom}" x2="${x(s * 1000)}" y2="${
      height - pad.bottom + 4
    }" stroke="#888"/>`
    return tick + (i % 2 === 0
      ? `<text x="${x(s * 1000)}" y="${height - pad.bottom + 16}" font-size="10" text-anchor="middle">${s} s</text>`
      : "")
  })
}

/** Shaded spans with their labels at the top, staggered so that neighbours do not overlap. */
const spanMarks = (spans: ReadonlyArray<Span>, x: (ms: number) => number) =>
  spans.map((span, i) =>
    `<rect x="${x(span.from).toFixed(1)}" y="${pad.top}" width="${
      Math.max(1.5, x(span.to) - x(span.from)).toFixed(1)
    }" height="${height - pad.top - pad.bottom}" fill="#ff7f0e" fill-opacity="0.18"/>` +
    `<text x="${(x(span.from) + 3).toFixed(1)}" y="${pad.top + 10 + (i % 3) * 11}" font-size="10" fill="#a0522d">${
      escape(span.label)
    }</text>`
  )

/** One panel, drawn at the origin: axes, spans, limit line, lines and legend. */
const panelBody = (panel: LinePanel, x: (ms: number) => number, maxX: number) => {
  const limit = panel.limit
  const maxY = panel.yMax ??
    Math.max(limit === undefined ? 1 : limit.value * 1.2, ...panel.lines.flatMap((l) => l.points.map(([, v]) => v)))
  const y = (n: number) => pad.top + (1 - n / maxY) * (height - pad.top - pad.bottom)
  const top = limit?.value ?? Math.round(maxY)
  const yTicks = [0, top / 2, top].map((n) =>
    `<text x="${pad.left - 6}" y="${y(n) + 3}" font-size="10" text-anchor="end">${n}</text>`
  )
  const limitLine = limit === undefined ?
    "" :
    `<line x1="${pad.left}" y1="${y(limit.value)}" x2="${width - pad.right}" y2="${
      y(limit.value)
    }" stroke="#d62728" stroke-dasharray="6 4"/>` +
    `<text x="${pad.left + 4}" y="${y(limit.value) - 4}" font-size="10" fill="#d62728">${escape(limit.label)}</text>`
  const paths = panel.lines.map(({ color, points }) =>
    `<polyline fill="none" stroke="${color}" stroke-width="1.2" points="${
      points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(" ")
    }"/>`
  )
  const legend = panel.lines.map(({ color, name }, j) =>
    `<text x="${width - pad.right - 6}" y="${pad.top + 12 + j * 13}" font-size="11" text-anchor="end" fill="${color}">${
      escape(name)
    }</text>`
  )
  return `<text x="${pad.left}" y="18" font-size="13" font-weight="bold">${escape(panel.title)}</text>` +
    `<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${
      height - pad.bottom
    }" stroke="#888"/>` +
    `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" stroke="#888"/>` +
    timeTicks(maxX, x).join("") + yTicks.join("") + spanMarks(panel.spans ?? [], x).join("") + limitLine +
    paths.join("") + legend.join("")
}

/** Panels stacked on one time axis from 0 to `maxX` ms (default: the last point of any line), and a caption. */
export const renderPanels = (panels: ReadonlyArray<LinePanel>, caption: string, maxX?: number): string => {
  const xEnd = maxX ?? Math.max(1000, ...panels.flatMap((p) => p.lines.flatMap((l) => l.points.map(([px]) => px))))
  const x = (ms: number) => pad.left + (ms / xEnd) * (width - pad.left - pad.right)
  const body = panels.map((panel, i) => `<g transform="translate(0 ${i * height})">${panelBody(panel, x, xEnd)}</g>`)
  const total = panels.length * height + 24
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/>${body.join("")}` +
    `<text x="${pad.left}" y="${total - 8}" font-size="11" fill="#444">${escape(caption)}</text></svg>\n`
}

/** The arrivals chart: panels stacked, shared scales, the limit as a dashed red line. */
export const render = (panels: ReadonlyArray<Panel>, limit: number, caption: string): string => {
  const all = panels.map((panel) => {
    const times = panel.series.flatMap((s) => s.times)
    const start = Math.min(...times)
    const end = Math.max(...times)
    return { panel, start, end, lines: panel.series.map((s) => ({ s, points: slidingCounts(s.times, start, end) })) }
  })
  const maxX = Math.max(...all.map((a) => a.end - a.start + 1000))
  const yMax = Math.max(limit * 1.2, ...all.flatMap((a) => a.lines.flatMap((l) => l.points.map(([, y]) => y))))
  return renderPanels(
    all.map(({ lines, panel }) => ({
      title: panel.title,
      yMax,
      limit: { value: limit, label: `limit ${limit} per sliding second` },
      lines: lines.map(({ points, s }) => ({ name: s.name, color: s.color, points }))
    })),
    caption,
    maxX
  )
}
