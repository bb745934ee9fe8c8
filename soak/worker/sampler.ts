/**
 * The worker's own measures: resident memory, heap, live resources (sockets, timers, …, from
 * `process.getActiveResourcesInfo()`) and event-loop delay (`monitorEventLoopDelay`), per sample and over the
 * whole run.
 */
import { monitorEventLoopDelay } from "node:perf_hooks"
import type { Sample } from "../protocol.js"
import type { Recorder } from "./recorder.js"

/** Counts of each kind of live resource. */
const resources = (): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

const toMillis = (nanos: number) => Math.round((nanos / 1e6) * 100) / 100

/** A sampler, measuring event-loop delay from now on. */
export const make = (recorder: Recorder) => {
  const window = monitorEventLoopDelay({ resolution: 10 })
  const whole = monitorEventLoopDelay({ resolution: 10 })
  window.enable()
  whole.enable()
  return {
    /** A sample of now, with the delay since the previous sample. */
    sample: (): Sample => {
      const memory = process.memoryUsage()
      const sample: Sample = {
        at: Date.now(),
        rssBytes: memory.rss,
        heapTotalBytes: memory.heapTotal,
        heapUsedBytes: memory.heapUsed,
        externalBytes: memory.external,
        resources: resources(),
        lagP99Millis: toMillis(window.percentile(99)),
        lagMaxMillis: toMillis(window.max),
        tally: recorder.tally(),
        answers: recorder.takeNewAnswers()
      }
      window.reset()
      return sample
    },
    /** The 99th percentile of event-loop delay over every sample so far (ms). */
    lagP99: () => toMillis(whole.percentile(99))
  }
}
