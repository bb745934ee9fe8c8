/**
 * An SVG line chart of arrivals per sliding second over time, with the limit as a line: what the
 * server's limiter counted at every moment of a run. No dependencies; one panel per run.
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

/** For each step from the first arrival to the last, how many arrivals fell in the window ending there. */
export const slidingCounts = (
  times: ReadonlyArray<number>,
  start: number,
  end: number,
  windowMillis = 1000,
  stepMillis = 25
) => {
  const sorted = [...times].sort((a, b) => a - b)
  const points: Array<readonly [number, number]> = []
  let lo = 0
  let hi = 0
  for (let t = start; t <= end + windowMillis; t += stepMillis) {
    while (hi < sorted.length && sorted[hi]! <= t) hi++
    while (lo < hi && sorted[lo]! <= t - windowMillis) lo++
    points.push([t - start, hi - lo])
  }
  return points
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;")

/** The chart: panels stacked, shared scales, the limit as a dashed red line. */
export const render = (panels: ReadonlyArray<Panel>, limit: number, caption: string): string => {
  const width = 900
  const height = 260
  const pad = { left: 48, right: 16, top: 28, bottom: 34 }
  const all = panels.map((panel) => {
    const times = panel.series.flatMap((s) => s.times)
    const start = Math.min(...times)
    const end = Math.max(...times)
    return { panel, start, end, lines: panel.series.map((s) => ({ s, points: slidingCounts(s.times, start, end) })) }
  })
  const maxX = Math.max(...all.map((a) => a.end - a.start + 1000))
  const maxY = Math.max(limit * 1.2, ...all.flatMap((a) => a.lines.flatMap((l) => l.points.map(([, y]) => y))))
  const x = (ms: number) => pad.left + (ms / maxX) * (width - pad.left - pad.right)
  const y = (n: number) => pad.top + (1 - n / maxY) * (height - pad.top - pad.bottom)
  const body = all.map(({ lines, panel }, i) => {
    const ticks = Array.from(
      { length: Math.floor(maxX / 1000) + 1 },
      (_, s) =>
        `<line x1="${x(s * 1000)}" y1="${height - pad.bottom}" x2="${x(s * 1000)}" y2="${
          height - pad.bottom + 4
        }" stroke="#888"/>` +
        (s % 2 === 0
          ? `<text x="${x(s * 1000)}" y="${height - pad.bottom + 16}" font-size="10" text-anchor="middle">${s} s</text>`
          : "")
    )
    const yTicks = [0, limit / 2, limit].map((n) =>
      `<text x="${pad.left - 6}" y="${y(n) + 3}" font-size="10" text-anchor="end">${n}</text>`
    )
    const paths = lines.map(({ points, s }) =>
      `<polyline fill="none" stroke="${s.color}" stroke-width="1.2" points="${
        points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(" ")
      }"/>`
    )
    const legend = lines.map(({ s }, j) =>
      `<text x="${width - pad.right - 6}" y="${
        pad.top + 12 + j * 13
      }" font-size="11" text-anchor="end" fill="${s.color}">${escape(s.name)}</text>`
    )
    return `<g transform="translate(0 ${i * height})">` +
      `<text x="${pad.left}" y="18" font-size="13" font-weight="bold">${escape(panel.title)}</text>` +
      `<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${
        height - pad.bottom
      }" stroke="#888"/>` +
      `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" stroke="#888"/>` +
      ticks.join("") + yTicks.join("") +
      `<line x1="${pad.left}" y1="${y(limit)}" x2="${width - pad.right}" y2="${
        y(limit)
      }" stroke="#d62728" stroke-dasharray="6 4"/>` +
      `<text x="${pad.left + 4}" y="${
        y(limit) - 4
      }" font-size="10" fill="#d62728">limit ${limit} per sliding second</text>` +
      paths.join("") + legend.join("") + `</g>`
  })
  const total = all.length * height + 24
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/>${body.join("")}` +
    `<text x="${pad.left}" y="${total - 8}" font-size="11" fill="#444">${escape(caption)}</text></svg>\n`
}
