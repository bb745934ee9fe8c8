/**
 * Client CPU time and heap allocations of a stretch of work in this process, and their figures per account.
 *
 * - CPU: `process.cpuUsage()` (user + system, every thread of the process) over the stretch. At the cap
 *   that includes the client's idle timers while its limiter paces it.
 * - Allocations: bytes allocated on V8's heap (objects, strings, arrays, closures), read as the growth of
 *   the used heap between consecutive GCs (`v8.GCProfiler`: each GC's used size before, minus the previous
 *   one's after, plus the growth since the last). Exact for V8's heap; memory outside it (ArrayBuffer
 *   backing stores of socket reads, native buffers) is not counted.
 *
 * Kept apart from the child entry points, which a bundle must not inline into another child.
 */
import * as v8 from "node:v8"
import { baselineTag } from "./baseline.js"
import type { Figure } from "./Scenario.js"
import { round } from "./stats.js"

/** What one measured stretch cost the process. */
export interface Cost {
  readonly ms: number
  readonly cpuMicros: number
  readonly allocatedBytes: number
  readonly gcCount: number
  readonly gcMillis: number
}

/** Starts measuring this process's CPU time and heap allocations; `stop` returns them. */
export const meter = (): { readonly stop: () => Cost } => {
  const profiler = new v8.GCProfiler()
  const usedBefore = v8.getHeapStatistics().used_heap_size
  const cpu = process.cpuUsage()
  const start = performance.now()
  profiler.start()
  return {
    stop: () => {
      const usedAfter = v8.getHeapStatistics().used_heap_size
      const { statistics } = profiler.stop()
      const used = process.cpuUsage(cpu)
      let allocated = 0
      let previous = usedBefore
      let gcMicros = 0
      for (const gc of statistics) {
        allocated += gc.beforeGC.heapStatistics.usedHeapSize - previous
        previous = gc.afterGC.heapStatistics.usedHeapSize
        gcMicros += gc.cost
      }
      return {
        ms: performance.now() - start,
        cpuMicros: used.user + used.system,
        allocatedBytes: allocated + usedAfter - previous,
        gcCount: statistics.length,
        gcMillis: gcMicros / 1000
      }
    }
  }
}

/** Accounts a measured stretch went through. */
export interface Counted {
  readonly accounts: number
  readonly failed: number
}

/** CPU µs and bytes per account, and the figures for them (this version, then the baseline's). */
export const costFigures = (
  what: string,
  current: Cost & Counted,
  previous: (Cost & Counted) | undefined
): Array<Figure> => {
  const rows = (version: string, c: Cost & Counted): Array<Figure> => [
    { label: `${what}: client CPU per account${version}`, value: round(c.cpuMicros / c.accounts, 2), unit: "µs" },
    {
      label: `${what}: bytes allocated per account${version}`,
      value: round(c.allocatedBytes / c.accounts, 0),
      unit: "B"
    }
  ]
  return [...rows("", current), ...(previous === undefined ? [] : rows(`, ${baselineTag}`, previous))]
}
