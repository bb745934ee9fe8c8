/**
 * 10,000 `getTags` lookups from 10,000 independent fibers over 8,000 distinct (seeded) accounts: how many
 * `get_tag` calls the coalescer makes against the ideal of one call per 100 distinct accounts, and how long
 * each lookup takes from the start of its fiber to its result.
 *
 * The measured workload draws 2,000 of the accounts a second time and shuffles all 10,000 lookups (fixed
 * seed), so a repeat usually comes long after the first lookup of its account. For context the same
 * lookups also run with each repeat right after its first lookup (same window).
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Result from "effect/Result"
import * as Scheduler from "effect/Scheduler"
import { accountName, accountNames, tagsFor } from "../accounts.js"
import { type BenchClient, withClient } from "../client.js"
import { type EmulatorProcess, withEmulator } from "../emulator.js"
import type { Scenario } from "../Scenario.js"
import { percentile, prng, round, shuffle } from "../stats.js"

const lookups = 10_000
const distinct = 8_000
const ideal = Math.ceil(distinct / 100)

/** Every account once, and `lookups - distinct` of them again: shuffled, or each repeat next to its first. */
const workload = (adjacent: boolean): Array<string> => {
  const random = prng(42)
  const accounts = accountNames("c", distinct)
  const repeated = new Set(shuffle([...accounts], random).slice(0, lookups - distinct))
  return adjacent
    ? shuffle(accounts.map((a) => (repeated.has(a) ? [a, a] : [a])), random).flat()
    : shuffle([...accounts, ...repeated], random)
}

/** Forks one fiber per lookup, joins them all; returns the calls made and each lookup's latency. */
const measure = async (
  emulator: EmulatorProcess,
  { run, tags }: BenchClient,
  accounts: ReadonlyArray<string>,
  preventYield = true
) => {
  // Leave the client limiter's window of the previous run, then count from zero.
  await new Promise((r) => setTimeout(r, 1100))
  await emulator.resetCalls()
  const latency = new Float64Array(accounts.length)
  const startedAt = Date.now()
  const started = performance.now()
  const forkAll = Effect.forEach(accounts, (account, i) =>
    Effect.forkChild(Effect.suspend(() => {
      const t0 = performance.now()
      return Effect.result(tags.getTags(account)).pipe(
        Effect.tap(() => Effect.sync(() => (latency[i] = performance.now() - t0)))
      )
    }))).pipe(
      // Every lookup is forked before any batch goes out, as under Effect 3's scheduler. Effect 4's makes a fiber
      // yield to the event loop every 2048 operations (`Scheduler.MaxOpsBeforeYield`), so this loop would pause many
      // times, window timers would fire in between and send partial batches, early lookups would complete before
      // their repeats are forked, and the count would measure the loop's speed instead of the coalescing of 10,000
      // concurrent lookups. The forked fibers inherit the setting; they run only a few operations each.
      Effect.provideService(Scheduler.PreventSchedulerYield, preventYield)
    )
  const results = await run(Effect.flatMap(forkAll, Fiber.joinAll))
  const wallMs = performance.now() - started
  const stats = await emulator.stats()
  const arrivals = (await emulator.calls()).map((c) => c.at)
  return {
    firstCallAfterMs: Math.min(...arrivals) - startedAt,
    calls: stats.byCommand["get_tag"] ?? 0,
    throttled: stats.byErrorCode["60007"] ?? 0,
    failed: results.filter(Result.isFailure).length,
    latency,
    wallMs
  }
}

export const coalescing: Scenario = {
  name: "coalescing",
  description: `${lookups.toLocaleString("en-US")} getTags from as many forked fibers over ${
    distinct.toLocaleString("en-US")
  } accounts (emulator limit 100/s)`,
  run: () =>
    withEmulator({}, async (emulator) => {
      await emulator.seedRange(distinct, (i) => accountName("c", i), tagsFor)
      return withClient(emulator.baseUrl, {}, async (client) => {
        // Warm-up: connection, admin UserSig, JIT.
        await measure(emulator, client, accountNames("c", 1_000))
        const shuffled = await measure(emulator, client, workload(false))
        const adjacent = await measure(emulator, client, workload(true))
        const yielding = await measure(emulator, client, workload(false), false)
        const ratio = shuffled.calls / ideal
        return {
          figures: [
            { label: "get_tag calls", value: shuffled.calls, unit: "", target: `ideal ${ideal}` },
            { label: "calls / ideal", value: round(ratio, 3), unit: "x", target: "≤ 1.02", met: ratio <= 1.02 },
            { label: "lookup latency p50", value: round(percentile(shuffled.latency, 50), 1), unit: "ms" },
            { label: "lookup latency p99", value: round(percentile(shuffled.latency, 99), 1), unit: "ms" },
            { label: "failed lookups", value: shuffled.failed, unit: "", target: "0", met: shuffled.failed === 0 },
            { label: "first call arrived after", value: shuffled.firstCallAfterMs, unit: "ms" },
            { label: "wall time", value: round(shuffled.wallMs, 0), unit: "ms" },
            { label: "calls / ideal, repeats adjacent", value: round(adjacent.calls / ideal, 3), unit: "x" },
            {
              label: "calls / ideal, forking loop yields (Effect 4 default)",
              value: round(yielding.calls / ideal, 3),
              unit: "x"
            },
            { label: "first call arrived after, forking loop yields", value: yielding.firstCallAfterMs, unit: "ms" }
          ],
          notes: `${lookups} lookups: 8,000 accounts, 2,000 of them looked up twice, shuffled with a fixed seed ` +
            `(${adjacent.calls} calls when each repeat follows its first lookup); calls counted by the emulator ` +
            `(60007 answers: ${shuffled.throttled + adjacent.throttled}).`
        }
      })
    })
}
