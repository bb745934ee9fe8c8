/**
 * `getTagsStream` over 1,000,000 accounts generated lazily (`Stream.range`), all of them seeded in the
 * emulator beforehand (in POSTs of 50,000), against an uncapped emulator with the client's limiter
 * disabled. The stream runs in a child process of its own, bundled and run by plain `node` against the
 * built packages (no TypeScript loader, whose thread alone adds ~60 MB), so its peak RSS (the kernel's
 * high-water mark, cross-checked by sampling `process.memoryUsage().rss` every 100 ms) is the client's.
 *
 * This file is both the scenario and, run directly, the child: `memory.ts BASE_URL COUNT EMULATOR_PID`.
 */
import { RateLimit } from "@timtags/core"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { PerformanceObserver } from "node:perf_hooks"
import { accountName } from "../accounts.js"
import { childMain, isMain, runChild } from "../child.js"
import { makeClient } from "../client.js"
import { withEmulator } from "../emulator.js"
import { cpuSeconds } from "../proc.js"
import type { Scenario } from "../Scenario.js"
import { round, timed } from "../stats.js"

const accountsCount = 1_000_000
const mib = 2 ** 20
const cappedOldSpaceMiB = 64

/** What the child reports. */
interface ChildResult {
  readonly accounts: number
  readonly found: number
  readonly failed: number
  readonly ms: number
  readonly maxRssMiB: number
  readonly sampledPeakRssMiB: number
  readonly rssBeforeMiB: number
  readonly clientCpuPercent: number
  readonly emulatorCpuPercent: number
  readonly gcPercent: number
}

/** The child: streams `count` accounts through the client and measures itself. */
const child = async (args: ReadonlyArray<string>): Promise<ChildResult> => {
  const [baseUrl, countText, emulatorPid] = args
  const count = Number(countText)
  let sampledPeak = process.memoryUsage().rss
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 100)
  let gcMs = 0
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration
  })
  const client = await makeClient(baseUrl!, { rateLimit: RateLimit.layerDisabled })
  await client.run(Stream.runDrain(client.tags.getTagsStream(Stream.make(accountName("m", 0)))))
  const rssBefore = process.memoryUsage().rss
  const cpu0 = process.cpuUsage()
  const emulatorCpu0 = cpuSeconds(Number(emulatorPid))
  gc.observe({ entryTypes: ["gc"] })
  const { value: counts, ms } = await timed(() =>
    client.run(
      client.tags.getTagsStream(Stream.range(0, count - 1).pipe(Stream.map((i) => accountName("m", i)))).pipe(
        Stream.runFold(() => ({ found: 0, failed: 0 }), (acc, item) => {
          if (Result.isSuccess(item.result)) acc.found++
          else acc.failed++
          return acc
        })
      )
    )
  )
  const cpu = process.cpuUsage(cpu0)
  const emulatorCpu = cpuSeconds(Number(emulatorPid)) - emulatorCpu0
  clearInterval(sampler)
  gc.disconnect()
  sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)
  await client.dispose()
  return {
    accounts: counts.found + counts.failed,
    ...counts,
    ms,
    maxRssMiB: (process.resourceUsage().maxRSS * 1024) / mib,
    sampledPeakRssMiB: sampledPeak / mib,
    rssBeforeMiB: rssBefore / mib,
    clientCpuPercent: ((cpu.user + cpu.system) / 1000 / ms) * 100,
    emulatorCpuPercent: ((emulatorCpu * 1000) / ms) * 100,
    gcPercent: (gcMs / ms) * 100
  }
}

export const memory: Scenario = {
  name: "memory",
  description: `getTagsStream over ${
    accountsCount.toLocaleString("en-US")
  } lazily generated accounts in a child process, uncapped`,
  run: () =>
    withEmulator({ rateLimit: 0 }, async (emulator) => {
      const seeding = await timed(() => emulator.seedRange(accountsCount, (i) => accountName("m", i), () => [], 50_000))
      const args = [emulator.baseUrl, String(accountsCount), String(emulator.pid)]
      const r = await runChild<ChildResult>(import.meta.url, args, { compiled: true })
      // The same stream with V8's old space capped at 64 MB: it can only finish if what the client keeps
      // alive is bounded; the default run's peak is V8 letting garbage pile up between major GCs.
      const capped = await runChild<ChildResult>(import.meta.url, args, {
        compiled: true,
        nodeFlags: [`--max-old-space-size=${cappedOldSpaceMiB}`]
      })
      const cappedPeak = Math.max(capped.maxRssMiB, capped.sampledPeakRssMiB)
      const peak = Math.max(r.maxRssMiB, r.sampledPeakRssMiB)
      const rate = r.accounts / (r.ms / 1000)
      const bottleneck = r.emulatorCpuPercent > 85
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
      return {
        figures: [
          { label: "peak RSS", value: round(peak, 0), unit: "MiB", target: "≤ 200 MB", met: peak * mib <= 200e6 },
          { label: "RSS before the stream", value: round(r.rssBeforeMiB, 0), unit: "MiB" },
          {
            label: `peak RSS, old space capped at ${cappedOldSpaceMiB} MB`,
            value: round(cappedPeak, 0),
            unit: "MiB",
            target: "≤ 200 MB",
            met: cappedPeak * mib <= 200e6 && capped.accounts === accountsCount
          },
          {
            label: `accounts/s, old space capped at ${cappedOldSpaceMiB} MB`,
            value: round(capped.accounts / (capped.ms / 1000), 0),
            unit: "/s"
          },
          { label: "accounts/s", value: round(rate, 0), unit: "/s" },
          {
            label: "accounts streamed",
            value: r.accounts,
            unit: "",
            target: accountsCount.toLocaleString("en-US"),
            met: r.accounts === accountsCount
          },
          { label: "failed accounts", value: r.failed, unit: "", target: "0", met: r.failed === 0 },
          { label: "client CPU", value: round(r.clientCpuPercent, 0), unit: "% of a core" },
          { label: "emulator CPU", value: round(r.emulatorCpuPercent, 0), unit: "% of a core" },
          { label: "client GC pauses", value: round(r.gcPercent, 0), unit: "% of wall time" }
        ],
        notes:
          `All ${accountsCount.toLocaleString("en-US")} accounts seeded first (${
            round(seeding.ms / 1000, 1)
          } s, not timed); ` +
          `stream took ${
            round(r.ms / 1000, 1)
          } s; ${bottleneck}. Peak RSS is the larger of the kernel's high-water mark ` +
          `(${round(r.maxRssMiB, 0)} MiB) and 100 ms samples (${round(r.sampledPeakRssMiB, 0)} MiB).`
      }
    })
}

if (isMain(import.meta.url)) childMain(child)
