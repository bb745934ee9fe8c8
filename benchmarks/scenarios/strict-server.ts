/**
 * The rate limit as a strict server sees it. The emulator counts every request on arrival, refused ones
 * too, each after a random 0–30 ms of arrival jitter (the network). The client runs mixed traffic:
 *
 * 1. 3,000 single lookups from as many fibers,
 * 2. then one `getTagsMany` of 50,000 accounts,
 * 3. then `addTagsMany` for 5,000 accounts.
 *
 * It runs twice: once with the in-memory limiter, once as 4 processes × 25,000 accounts sharing the Redis
 * limiter. Targets: no frequency-limit answer (60007) at all; ≥ 95 % of 10,000 accounts/s sustained
 * during the `getTagsMany` (in-memory) and ≥ 90 % in aggregate (Redis). It writes
 * `results/strict-server.svg`: arrivals per sliding second over time, with the limit as a line. The emulator
 * is warmed up first (see `warmup.ts`); the client starts cold.
 */
import { CallLog } from "@timtags/emulator"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { findRedisServer, startRedisServer } from "../../packages/ratelimit-redis/test/support/RedisServer.js"
import { accountName, accountNames, tagsFor } from "../accounts.js"
import { type Panel, render } from "../chart.js"
import { withClient } from "../client.js"
import { withEmulator } from "../emulator.js"
import { runRedisWorkers } from "../redisWorkers.js"
import type { Figure, Scenario } from "../Scenario.js"
import { round } from "../stats.js"
import { sustained } from "../sustained.js"
import { warmUp } from "../warmup.js"

const jitter = 30
const limit = 100
const ceiling = limit * 100
const singles = 3_000
const many = 50_000
const writes = 5_000
const processes = 4
const perProcess = 25_000
const chartPath = fileURLToPath(new URL("../results/strict-server.svg", import.meta.url))

type Calls = ReadonlyArray<CallLog.CallRecord>

const ofCommand = (calls: Calls, command: string) => calls.filter((c) => c.command === command)
const refusals = (calls: Calls) => calls.filter((c) => c.rateLimited).length

/** The most arrivals of one command in any sliding second (the emulator's own measure). */
const maxInSecond = (calls: Calls, command: string) =>
  CallLog.maxInWindow(ofCommand(calls, command).map((c) => c.at), 1000)

/** The figures every run reports: refusals, and the most arrivals per sliding second of each command. */
const limitFigures = (run: string, calls: Calls, commands: ReadonlyArray<string>): Array<Figure> => [
  { label: `${run}: 60007 answers`, value: refusals(calls), unit: "", target: "0", met: refusals(calls) === 0 },
  ...commands.map((command): Figure => {
    const max = maxInSecond(calls, command)
    return {
      label: `${run}: max ${command} arrivals in any sliding second`,
      value: max,
      unit: "",
      target: `≤ ${limit}`,
      met: max <= limit
    }
  })
]

/** Mixed traffic through one client with the in-memory limiter. */
const inMemory = () =>
  withEmulator({ arrivalJitter: jitter }, async (emulator) => {
    await emulator.seedRange(singles + many + writes, (i) => accountName("x", i), tagsFor)
    const accounts = accountNames("x", singles + many + writes)
    await warmUp(emulator, accounts)
    return withClient(emulator.baseUrl, {}, async ({ run, tags }) => {
      await run(tags.getTagsMany([accounts[0]!])) // connection, UserSig, JIT
      await new Promise((r) => setTimeout(r, 1100))
      await emulator.resetCalls()
      const lookups = await run(
        Effect.forEach(accounts.slice(0, singles), (a) => Effect.result(tags.getTags(a)), { concurrency: "unbounded" })
      )
      const manyFrom = Date.now()
      const results = await run(tags.getTagsMany(accounts.slice(singles, singles + many)))
      const manyTo = Date.now()
      const written = await run(
        tags.addTagsMany(accounts.slice(singles + many).map((account) => ({ account, tags: ["strict"] })))
      )
      const failures = (outcomes: Iterable<Result.Result<unknown, unknown>>) =>
        [...outcomes].filter((r) => Result.isFailure(r)).length
      const failed = failures(lookups) + failures(results.values()) + failures(written.values())
      const calls = await emulator.calls()
      const manyCalls = ofCommand(calls, "get_tag").filter((c) => c.at >= manyFrom && c.at <= manyTo + 1000)
      return { calls, failed, sustained: sustained(manyCalls, limit).perSecond }
    })
  })

/** 4 processes sharing the Redis limiter, `getTagsMany` each. */
const sharedRedis = async () => {
  const binary = findRedisServer()
  if (binary === undefined) return undefined
  const redis = await startRedisServer({ binary })
  try {
    return await withEmulator({ arrivalJitter: jitter }, async (emulator) => {
      await emulator.seedRange(processes * perProcess, (i) => `sr${i}`, () => ["t"])
      await warmUp(emulator, Array.from({ length: 30_000 }, (_, i) => `sr${i}`))
      const reports = await runRedisWorkers(emulator, redis.url, { processes, perProcess, accountPrefix: "sr" })
      const seconds = (Math.max(...reports.map((r) => r.endedAt)) - Math.min(...reports.map((r) => r.startedAt))) / 1000
      return {
        calls: await emulator.calls(),
        failed: reports.reduce((sum, r) => sum + (r.accounts - r.found), 0),
        aggregate: (processes * perProcess) / seconds
      }
    })
  } finally {
    await redis.stop()
  }
}

export const strictServer: Scenario = {
  name: "strict-server",
  description:
    `mixed traffic against a strict emulator (stamped on arrival, refusals counted, 0–${jitter} ms jitter): in-memory, then ${processes} processes on Redis`,
  run: async () => {
    const memory = await inMemory()
    const shared = await sharedRedis()
    const panels: Array<Panel> = [{
      title: `In-memory limiter: ${singles.toLocaleString("en-US")} lookups from fibers, getTagsMany of ${
        many.toLocaleString("en-US")
      }, addTagsMany of ${writes.toLocaleString("en-US")}`,
      series: [
        {
          name: "get_tag arrivals in the last second",
          times: ofCommand(memory.calls, "get_tag").map((c) => c.at),
          color: "#1f77b4"
        },
        {
          name: "add_tag arrivals in the last second",
          times: ofCommand(memory.calls, "add_tag").map((c) => c.at),
          color: "#2ca02c"
        }
      ]
    }]
    const figures: Array<Figure> = [
      ...limitFigures("in-memory", memory.calls, ["get_tag", "add_tag"]),
      {
        label: "in-memory: sustained accounts/s during getTagsMany",
        value: round(memory.sustained, 0),
        unit: "/s",
        target: `≥ 95% of ${ceiling.toLocaleString("en-US")}`,
        met: memory.sustained >= 0.95 * ceiling
      },
      { label: "in-memory: failed operations", value: memory.failed, unit: "", target: "0", met: memory.failed === 0 }
    ]
    if (shared !== undefined) {
      panels.push({
        title: `${processes} processes × ${perProcess.toLocaleString("en-US")} accounts, one Redis limiter`,
        series: [{
          name: "get_tag arrivals in the last second",
          times: ofCommand(shared.calls, "get_tag").map((c) => c.at),
          color: "#1f77b4"
        }]
      })
      figures.push(...limitFigures("redis, 4 processes", shared.calls, ["get_tag"]), {
        label: "redis, 4 processes: aggregate accounts/s",
        value: round(shared.aggregate, 0),
        unit: "/s",
        target: `≥ 90% of ${ceiling.toLocaleString("en-US")}`,
        met: shared.aggregate >= 0.9 * ceiling && shared.failed === 0
      })
    }
    writeFileSync(
      chartPath,
      render(
        panels,
        limit,
        `Emulator stamping on arrival, counting refusals, 0–${jitter} ms arrival jitter; ${
          new Date().toISOString().slice(0, 10)
        }.`
      )
    )
    return {
      figures,
      notes: `Chart: results/strict-server.svg.${
        shared === undefined ? " Redis run skipped: no redis-server on PATH." : ""
      }`
    }
  }
}
