/** A line every half minute while the soak runs: accounts served per second lately, rounds, RSS. */
import type { Supervisor } from "./supervisor.js"

/** Prints progress every `everyMillis` until the returned function is called. */
export const start = (workers: Supervisor, since: () => number, everyMillis = 30_000) => {
  const timer = setInterval(() => {
    const live = workers.all().filter((w) => w.exit === undefined && w.samples.length >= 2)
    let lookups = 0
    let attrs = 0
    for (const w of live) {
      const [a, b] = w.samples.slice(-2) as [typeof w.samples[number], typeof w.samples[number]]
      const seconds = (b.at - a.at) / 1000
      lookups += (b.tally.ok.tagLookups - a.tally.ok.tagLookups) / seconds
      attrs += (b.tally.ok.attrLookups - a.tally.ok.attrLookups) / seconds
    }
    const rounds = live.map((w) => w.lastRoundStarted).join(",")
    const rss = live.map((w) => Math.round(w.samples.at(-1)!.rssBytes / 2 ** 20)).join(",")
    console.log(
      `[${String(Math.round(since() / 1000)).padStart(4)} s] tag lookups ${Math.round(lookups)}/s, attribute lookups ${
        Math.round(attrs)
      }/s; rounds ${rounds}; RSS ${rss} MiB`
    )
  }, everyMillis)
  return () => clearInterval(timer)
}
