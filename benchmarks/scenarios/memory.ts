/**
 * `getTagsStream` over 1,000,000 accounts generated lazily (`Stream.range`), all of them seeded in the
 * emulator beforehand (in POSTs of 50,000), against an uncapped emulator with the client's limiter
 * disabled. The stream runs in a child process of its own, bundled and run by plain `node` against the
 * built packages (no TypeScript loader, whose thread alone adds ~60 MB), so its peak RSS (the kernel's
 * high-water mark, cross-checked by sampling `process.memoryUsage().rss` every 100 ms) is the client's.
 * The child also reports its CPU time and heap allocations per account (`meter.ts`) and the largest sizes
 * V8's young and old generations reached. The same child runs against v0.2.0's packages (`baseline.ts`),
 * and both again with V8's old space capped at 64 MB.
 *
 * With `TIMTAGS_BENCH_HEAP_SNAPSHOT=DIR`, the child writes heap snapshots into DIR just before the stream,
 * halfway through it and at its end (`tools/heap-summary.ts` summarises them).
 *
 * This file is both the scenario and, run directly, the child: `memory.ts BASE_URL COUNT EMULATOR_PID`.
 */
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { join } from "node:path"
import { PerformanceObserver } from "node:perf_hooks"
import * as v8 from "node:v8"
import { accountName } from "../accounts.js"
import { baseline, baselineTag } from "../baseline.js"
import { childMain, isMain, runChild } from "../child.js"
import { withEmulator } from "../emulator.js"
import { type Cost, costFigures, meter } from "../meter.js"
import { makePortableClient } from "../portable.js"
import { cpuSeconds } from "../proc.js"
import type { Figure, Scenario } from "../Scenario.js"
import { round, scaled, timed } from "../stats.js"

const accountsCount = scaled(1_000_000)
const mib = 2 ** 20
const cappedOldSpaceMiB = 64

/** What the child reports. */
interface ChildResult extends Cost {
  readonly accounts: number
  readonly found: number
  readonly failed: number
  readonly maxRssMiB: number
  readonly sampledPeakRssMiB: number
  readonly rssBeforeMiB: number
  /** The largest sizes V8's spaces reached (sampled every 100 ms), MiB. */
  readonly peakNewSpaceMiB: number
  readonly peakOldSpaceMiB: number
  readonly clientCpuPercent: number
  readonly emulatorCpuPercent: number
  readonly gcPercent: number
}

/** Samples RSS and V8's space sizes every 100 ms, keeping the largest. */
const sampler = () => {
  const peaks = { rss: process.memoryUsage().rss, newSpace: 0, oldSpace: 0 }
  const sample = () => {
    peaks.rss = Math.max(peaks.rss, process.memoryUsage().rss)
    for (const space of v8.getHeapSpaceStatistics()) {
      if (space.space_name === "new_space") peaks.newSpace = Math.max(peaks.newSpace, space.space_size)
      if (space.space_name === "old_space") peaks.oldSpace = Math.max(peaks.oldSpace, space.space_size)
    }
  }
  const timer = setInterval(sample, 100)
  return {
    stop: () => {
      clearInterval(timer)
      sample()
      return peaks
    }
  }
}

const snapshot = (name: string) => {
  const dir = process.env["TIMTAGS_BENCH_HEAP_SNAPSHOT"]
  if (dir !== undefined && dir !== "") v8.writeHeapSnapshot(join(dir, `${name}-${process.pid}.heapsnapshot`))
}

/** The child: streams `count` accounts through the client and measures itself. */
const child = async (args: ReadonlyArray<string>): Promise<ChildResult> => {
  const [baseUrl, countText, emulatorPid] = args
  const count = Number(countText)
  const half = Math.floor(count / 2)
  const peaks = sampler()
  let gcMs = 0
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration
  })
  const client = await makePortableClient(baseUrl!, false)
  await client.run(Stream.runDrain(client.tags.getTagsStream(Stream.make(accountName("m", 0)))))
  snapshot("before")
  const rssBefore = process.memoryUsage().rss
  const emulatorCpu0 = cpuSeconds(Number(emulatorPid))
  gc.observe({ entryTypes: ["gc"] })
  const m = meter()
  const { value: counts } = await timed(() =>
    client.run(
      client.tags.getTagsStream(Stream.range(0, count - 1).pipe(Stream.map((i) => accountName("m", i)))).pipe(
        Stream.runFold(() => ({ found: 0, failed: 0 }), (acc, item) => {
          if (Result.isSuccess(item.result)) acc.found++
          else acc.failed++
          if (acc.found + acc.failed === half) snapshot("during")
          return acc
        })
      )
    )
  )
  const cost = m.stop()
  const emulatorCpu = cpuSeconds(Number(emulatorPid)) - emulatorCpu0
  snapshot("after")
  const peak = peaks.stop()
  gc.disconnect()
  await client.dispose()
  return {
    ...cost,
    accounts: counts.found + counts.failed,
    ...counts,
    maxRssMiB: (process.resourceUsage().maxRSS * 1024) / mib,
    sampledPeakRssMiB: peak.rss / mib,
    rssBeforeMiB: rssBefore / mib,
    peakNewSpaceMiB: peak.newSpace / mib,
    peakOldSpaceMiB: peak.oldSpace / mib,
    clientCpuPercent: (cost.cpuMicros / 1000 / cost.ms) * 100,
    emulatorCpuPercent: ((emulatorCpu * 1000) / cost.ms) * 100,
    gcPercent: (gcMs / cost.ms) * 100
  }
}

const peakOf = (r: ChildResult) => Math.max(r.maxRssMiB, r.sampledPeakRssMiB)

const bottleneck = (r: ChildResult) =>
  r.emulatorCpuPercent > 85
    ? `the emulator was the bottleneck (${r.emulatorCpuPercent.toFixed(0)}% of a core vs the client's ${
      r.clientCpuPercent.toFixed(0)
    }%)`
    : r.clientCpuPercent > 85
    ? `the client was the bottleneck (${r.clientCpuPercent.toFixed(0)}% of a core vs the emulator's ${
      r.emulatorCpuPercent.toFixed(0)
    }%)`
    : `neither process saturated a core (client ${r.clientCpuPercent.toFixed(0)}%, emulator ${
      r.emulatorCpuPercent.toFixed(0)
    }%)`

/** The figures of one version's two runs (default flags, old space capped), labelled with `version`. */
const figuresOf = (version: string, r: ChildResult, capped: ChildResult): Array<Figure> => {
  const judged = version === ""
  const under = (peak: number, run: ChildResult) => peak * mib <= 200e6 && run.accounts === accountsCount
  return [
    {
      label: `peak RSS${version}`,
      value: round(peakOf(r), 0),
      unit: "MiB",
      ...(judged ? { target: "≤ 200 MB", met: under(peakOf(r), r) } : {})
    },
    { label: `RSS before the stream${version}`, value: round(r.rssBeforeMiB, 0), unit: "MiB" },
    {
      label: `peak RSS, old space capped at ${cappedOldSpaceMiB} MB${version}`,
      value: round(peakOf(capped), 0),
      unit: "MiB",
      ...(judged ? { target: "≤ 200 MB", met: under(peakOf(capped), capped) } : {})
    },
    {
      label: `peak young / old generation${version}`,
      value: round(r.peakNewSpaceMiB, 0),
      unit: `/ ${round(r.peakOldSpaceMiB, 0)} MiB`
    },
    { label: `accounts/s${version}`, value: round(r.accounts / (r.ms / 1000), 0), unit: "/s" },
    {
      label: `accounts/s, old space capped at ${cappedOldSpaceMiB} MB${version}`,
      value: round(capped.accounts / (capped.ms / 1000), 0),
      unit: "/s"
    },
    {
      label: `accounts streamed${version}`,
      value: r.accounts,
      unit: "",
      target: accountsCount.toLocaleString("en-US"),
      met: r.accounts === accountsCount
    },
    { label: `failed accounts${version}`, value: r.failed, unit: "", target: "0", met: r.failed === 0 },
    { label: `client GC pauses${version}`, value: round(r.gcPercent, 0), unit: "% of wall time" }
  ]
}

/** Both runs of one version (`root`: the baseline's checkout). */
const runsOf = async (args: ReadonlyArray<string>, root?: string) => {
  const r = await runChild<ChildResult>(import.meta.url, args, { compiled: true, root })
  // The same stream with V8's old space capped: it can only finish if what the client keeps alive is
  // bounded; the default run's peak is V8 letting garbage pile up between major GCs.
  const capped = await runChild<ChildResult>(import.meta.url, args, {
    compiled: true,
    root,
    nodeFlags: [`--max-old-space-size=${cappedOldSpaceMiB}`]
  })
  return { r, capped }
}

const describe = (r: ChildResult) =>
  `stream took ${round(r.ms / 1000, 1)} s; ${bottleneck(r)}; peak RSS is the larger of the kernel's high-water mark (${
    round(r.maxRssMiB, 0)
  } MiB) and 100 ms samples (${round(r.sampledPeakRssMiB, 0)} MiB)`

export const memory: Scenario = {
  name: "memory",
  description: `getTagsStream over ${
    accountsCount.toLocaleString("en-US")
  } lazily generated accounts in a child process, uncapped, beside ${baselineTag}`,
  run: () =>
    withEmulator({ rateLimit: 0 }, async (emulator) => {
      const seeding = await timed(() => emulator.seedRange(accountsCount, (i) => accountName("m", i), () => [], 50_000))
      const args = [emulator.baseUrl, String(accountsCount), String(emulator.pid)]
      const current = await runsOf(args)
      const base = await baseline()
      const previous = "unavailable" in base ? undefined : await runsOf(args, base.root)
      const what = `getTagsStream of ${accountsCount.toLocaleString("en-US")}, uncapped`
      return {
        figures: [
          ...figuresOf("", current.r, current.capped),
          ...(previous === undefined ? [] : figuresOf(`, ${baselineTag}`, previous.r, previous.capped)),
          ...costFigures(what, current.r, previous?.r)
        ],
        notes: `All ${accountsCount.toLocaleString("en-US")} accounts seeded first (${
          round(seeding.ms / 1000, 1)
        } s, not timed). This version: ${describe(current.r)}. ${
          previous === undefined
            ? `${baselineTag} not measured: ${"unavailable" in base ? base.unavailable : ""}`
            : `${baselineTag}: ${describe(previous.r)}.`
        }`
      }
    })
}

if (isMain(import.meta.url)) childMain(child)
