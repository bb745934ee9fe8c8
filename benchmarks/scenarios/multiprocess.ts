/**
 * Several processes, one limit: 4 worker processes × 25,000 accounts look their tags up through `getTagsMany`
 * with the Redis-backed limiter (`@timtags/ratelimit-redis`), against one emulator process (its own rate limit
 * off, so it only measures) and one private `redis-server` on loopback. Reports the aggregate accounts/s against
 * the 10,000/s ceiling (100 calls/s × 100 accounts) and the most `get_tag` calls the emulator saw in any sliding
 * second. The workers and the Redis helper are the ones of the package's multi-process test.
 */
import { findRedisServer, startRedisServer } from "../../packages/ratelimit-redis/test/support/RedisServer.js"
import { withEmulator } from "../emulator.js"
import { runRedisWorkers } from "../redisWorkers.js"
import type { Scenario, ScenarioResult } from "../Scenario.js"
import { warmUp } from "../warmup.js"

const processes = 4
const accountsPerProcess = 25_000
const limit = 100
const ceiling = limit * 100 // accounts per second: 100 calls of 100 accounts
const burst = 10 // the limiter's default

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits

export const multiprocess: Scenario = {
  name: "multiprocess",
  description: `${processes} processes × ${
    accountsPerProcess.toLocaleString("en")
  } accounts through one Redis limiter: aggregate accounts/s and max calls in any sliding second`,
  run: async (): Promise<ScenarioResult> => {
    const binary = findRedisServer()
    if (binary === undefined) {
      return { figures: [], notes: "skipped: no redis-server binary on PATH (bash .ci/setup-redis.sh installs it)" }
    }
    const redis = await startRedisServer({ binary })
    try {
      return await withEmulator({ rateLimit: 0 }, async (emulator) => {
        const total = processes * accountsPerProcess
        await emulator.seedRange(total, (i) => `mp${i}`, () => ["t"])
        await warmUp(emulator, Array.from({ length: 30_000 }, (_, i) => `mp${i}`))
        // Warm-up lookups go through the same limiter; the measured log starts when all workers are told "go".
        const reports = await runRedisWorkers(emulator, redis.url, {
          processes,
          perProcess: accountsPerProcess,
          accountPrefix: "mp"
        })
        const stats = await emulator.stats()
        const times = (await emulator.calls()).filter((c) => c.command === "get_tag").map((c) => c.at).sort((a, b) =>
          a - b
        )

        const found = reports.reduce((sum, r) => sum + r.found, 0)
        const failed = reports.reduce((sum, r) => sum + (r.accounts - r.found), 0)
        const warnings = reports.flatMap((r) => r.warnings)
        const seconds = (Math.max(...reports.map((r) => r.endedAt)) - Math.min(...reports.map((r) => r.startedAt))) /
          1000
        const aggregate = total / seconds
        const maxInSecond = stats.maxInAnySecond.get_tag?.received ?? 0
        const sustained = ((times.length - burst) / (times[times.length - 1]! - times[0]!)) * 1000
        return {
          figures: [
            {
              label: `aggregate accounts/s (${processes} processes)`,
              value: round(aggregate),
              unit: "accounts/s",
              target: `≥ ${round(ceiling * 0.9)} (90% of ${ceiling})`,
              met: aggregate >= ceiling * 0.9 && failed === 0
            },
            {
              label: "max get_tag calls in any sliding second",
              value: maxInSecond,
              unit: "calls",
              target: `≤ ${limit}`,
              met: maxInSecond <= limit
            },
            { label: "sustained get_tag calls/s (after the first burst)", value: round(sustained, 1), unit: "calls/s" },
            { label: "get_tag calls", value: times.length, unit: "calls" },
            { label: "accounts failed", value: failed, unit: "accounts", target: "0", met: failed === 0 }
          ],
          notes: [
            `${found.toLocaleString("en")} accounts in ${round(seconds, 2)} s from "go" to the last worker's end.`,
            `The limiter's default margin (50 ms) caps the sustained rate at ${round(limit / 1.05, 1)} calls/s;`,
            `the first ${burst} calls may start at once.`,
            warnings.length === 0 ? "" : `Workers logged: ${[...new Set(warnings)].join("; ")}`
          ].filter((s) => s !== "").join(" ")
        }
      })
    } finally {
      await redis.stop()
    }
  }
}
