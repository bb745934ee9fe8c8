/**
 * 50,000 distinct seeded accounts through `getTagsMany`, then 50,000 through `getAttrsMany` (attribute
 * names and values seeded first), against an emulator enforcing its default 100 calls per sliding second
 * per command, with the client's default limiter: how close the client runs to the ceiling of 100 calls ×
 * 100 accounts = 10,000 accounts/s without ever being refused (60007).
 *
 * Sustained rate: a sliding-second limit lets the first 100 calls go at once, so accounts / wall time
 * overstates the rate of a short run (50,000 accounts can finish in ~4.1 s). Instead the rate is read from
 * the emulator's arrival times (see `sustained.ts`).
 *
 * Then what the client pays at the cap: CPU µs and bytes allocated per account of the same `getTagsMany`,
 * in a child process of its own, for this version and v0.2.0 (see `cost.ts`).
 */
import { RateLimit } from "@timtags/core"
import * as Duration from "effect/Duration"
import * as Result from "effect/Result"
import { accountName, accountNames, tagsFor } from "../accounts.js"
import { type BenchClient, withClient } from "../client.js"
import { compareCosts } from "../cost.js"
import { type EmulatorProcess, withEmulator } from "../emulator.js"
import type { Figure, Scenario } from "../Scenario.js"
import { round, scaled, timed } from "../stats.js"
import { sustained } from "../sustained.js"
import { warmUp } from "../warmup.js"

const accountsCount = scaled(50_000)
const limit = 100
const ceiling = limit * 100
const cities = ["Shenzhen", "Beijing", "Shanghai", "Chengdu", "Hangzhou"] as const
const tiers = ["free", "plus", "pro"] as const

/** One measured command: its client call and the emulator's name for it. */
interface Run {
  readonly method: string
  readonly command: string
  readonly prefix: string
  readonly lookup: (client: BenchClient, accounts: ReadonlyArray<string>) => Promise<ReadonlyMap<string, unknown>>
}

const runs: ReadonlyArray<Run> = [
  {
    method: "getTagsMany",
    command: "get_tag",
    prefix: "t",
    lookup: ({ run, tags }, accounts) => run(tags.getTagsMany(accounts))
  },
  {
    method: "getAttrsMany",
    command: "get_attr",
    prefix: "a",
    lookup: ({ attrs, run }, accounts) => run(attrs.getAttrsMany(accounts))
  }
]

/** Attribute values in POSTs of 25,000. */
const seedAttrs = async (emulator: EmulatorProcess, prefix: string) => {
  await emulator.setAttrNames({ "0": "city", "1": "tier" })
  for (let start = 0; start < accountsCount; start += 25_000) {
    const record: Record<string, Record<string, string>> = {}
    for (let i = start; i < Math.min(accountsCount, start + 25_000); i++) {
      record[accountName(prefix, i)] = { city: cities[i % cities.length]!, tier: tiers[i % tiers.length]! }
    }
    await emulator.seedAttrs(record)
  }
}

const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 1100)) // out of both limiters' windows

/** One command's run through a fresh client, and its figures. */
const measure = async (emulator: EmulatorProcess, r: Run): Promise<{ figures: Array<Figure>; note: string }> =>
  withClient(emulator.baseUrl, {}, async (client) => {
    await r.lookup(client, [accountName(r.prefix, 0)]) // connection, UserSig (and the attribute names)
    await pause()
    await emulator.resetCalls()
    const accounts = accountNames(r.prefix, accountsCount)
    const { ms, value: results } = await timed(() => r.lookup(client, accounts))
    const failed = [...results.values()].filter((o) => Result.isFailure(o as Result.Result<unknown, unknown>)).length
    const stats = await emulator.stats()
    const log = (await emulator.calls()).filter((c) => c.command === r.command)
    const rate = sustained(log, limit)
    const throttled = stats.byErrorCode["60007"] ?? 0
    const maxInSecond = stats.maxInAnySecond[r.command]?.received ?? 0
    const figures: Array<Figure> = [
      {
        label: `${r.method}: sustained accounts/s`,
        value: round(rate.perSecond, 0),
        unit: "/s",
        target: `ceiling ${ceiling.toLocaleString("en-US")}`
      },
      {
        label: `${r.method}: sustained / ceiling`,
        value: round((100 * rate.perSecond) / ceiling, 1),
        unit: "%",
        target: "≥ 95%",
        met: rate.perSecond >= 0.95 * ceiling
      },
      { label: `${r.method}: 60007 answers`, value: throttled, unit: "", target: "0", met: throttled === 0 },
      {
        label: `${r.method}: max calls in any second`,
        value: maxInSecond,
        unit: "",
        target: `≤ ${limit}`,
        met: maxInSecond <= limit
      },
      { label: `${r.method}: failed accounts`, value: failed, unit: "", target: "0", met: failed === 0 },
      { label: `${r.method}: wall time`, value: round(ms, 0), unit: "ms" }
    ]
    const note = `${r.method}: ${log.length} ${r.command} calls (${
      log.filter((c) => !c.rateLimited).length
    } accepted); sustained rate = accounts in the first ${rate.calls} calls over the ${rate.spanMs} ms from the first call's arrival to call ${rate.calls}'s`
    return { figures, note }
  })

export const cappedThroughput: Scenario = {
  name: "capped-throughput",
  description: `getTagsMany and getAttrsMany over ${
    accountsCount.toLocaleString("en-US")
  } accounts each, emulator limited to ${limit} calls/s per command; client CPU and allocations per account beside v0.2.0`,
  run: () =>
    withEmulator({ rateLimit: limit }, async (emulator) => {
      await emulator.seedRange(accountsCount, (i) => accountName("t", i), tagsFor)
      await seedAttrs(emulator, "a")
      await warmUp(emulator, accountNames("t", accountsCount))
      const figures: Array<Figure> = []
      const notes: Array<string> = []
      for (const r of runs) {
        const result = await measure(emulator, r)
        figures.push(...result.figures)
        notes.push(result.note)
      }
      const costs = await compareCosts(
        emulator.baseUrl,
        `getTagsMany of ${accountsCount.toLocaleString("en-US")} at the cap`,
        { kind: "many", count: accountsCount, prefix: "t", capped: true },
        pause
      )
      return {
        figures: [...figures, ...costs.figures],
        notes: `${notes.join("; ")} (a sliding-second limit allows at most ${
          ceiling.toLocaleString("en-US")
        }/s by this measure; the client's limiter adds a ${
          Duration.toMillis(RateLimit.defaults.margin)
        } ms margin per window). ${costs.note}.`
      }
    })
}
