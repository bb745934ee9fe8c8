/**
 * The guarantee where it matters: 4 OS processes, each with its own client and Redis connection, look up their
 * accounts in one emulator as fast as the shared limiter lets them. The emulator's own call log (arrival times on
 * its clock, rate limit off so it refuses nothing) must show at most 100 `get_tag` calls in any sliding second,
 * at ≥ 90% of that rate.
 */
import { describe, expect, it } from "@effect/vitest"
import { Emulator } from "@timtags/emulator"
import * as RedisRateLimit from "@timtags/ratelimit-redis/RedisRateLimit"
import * as Duration from "effect/Duration"
import { Redis } from "ioredis"
import { accountNames, runWorkers, type WorkerSpec } from "./support/MultiProcess.js"
import { freshPrefix, rateBetween, redisUrl, skipRedis } from "./support/Redis.js"

const app = { sdkAppId: 1400000123, secretKey: "multi-process-test-key" }
const processes = 4
const accountsPerProcess = 10_000 // 100 calls of 100 accounts each: 400 calls, about 4 s at 100/s

describe.skipIf(skipRedis)("4 processes share one limit through Redis", () => {
  it("at most 100 get_tag calls in any sliding second at the emulator, at ≥ 90% of the limit", {
    timeout: 120_000,
    // On a loaded 2-core machine the emulator (in this process) can stamp a backlog of arrivals late
    // and see 101 in a second while the workers' own starts stayed at 100 (seen once in about ten runs
    // when other suites ran alongside). One retry; two failures in a row still fail the suite.
    retry: 1
  }, async () => {
    const total = processes * accountsPerProcess
    const emulator = await Emulator.startEmulator({
      ...app,
      rateLimit: 0,
      seed: Object.fromEntries(accountNames("user", 0, total).map((a) => [a, ["t"]]))
    })
    try {
      const prefix = freshPrefix("multiprocess")
      const specs: Array<WorkerSpec> = Array.from({ length: processes }, (_, id) => ({
        id,
        ...app,
        baseUrl: emulator.baseUrl,
        redisUrl,
        prefix,
        accountPrefix: "user",
        from: id * accountsPerProcess,
        count: accountsPerProcess,
        warmUp: 500
      }))
      // Warm-up calls go through the same limiter; the measured log starts at "go".
      const reports = await runWorkers(specs, { timeoutMillis: 90_000, beforeGo: () => emulator.resetCalls() })

      for (const report of reports) {
        expect(report.found, JSON.stringify(report)).toBe(accountsPerProcess)
        expect(report.warnings, "no Redis outage during the run").toEqual([])
      }
      const calls = (await emulator.calls()).filter((c) => c.command === "get_tag")
      const times = calls.map((c) => c.at)
      const window = await emulator.maxInSlidingWindow(1000, "get_tag")
      // The sustained rate: from one second after the first call (start-up transients are over: each process has
      // queued its first calls) to the moment the first worker finishes (all four still compete).
      const from = Math.min(...times) + 1000
      const to = Math.min(...reports.map((r) => r.endedAt))
      const rate = rateBetween(times, from, to)
      const ceiling = 100 / (1 + Duration.toMillis(RedisRateLimit.defaults.margin) / 1000)
      console.log(
        `[multiprocess] ${calls.length} get_tag calls from ${processes} processes; max in any sliding second ${window.received}; sustained ${
          rate.toFixed(1)
        } calls/s over ${to - from} ms (long-run cap with the default margin: ${ceiling.toFixed(1)})`
      )
      expect(calls.length).toBe(total / 100)
      expect(calls.every((c) => c.errorCode === 0)).toBe(true)
      expect(window.received).toBeLessThanOrEqual(100)
      expect(to - from).toBeGreaterThan(1500)
      expect(rate).toBeGreaterThanOrEqual(90)
      // The shared log expires by itself (about one window after the last call): never a key without a TTL.
      const redis = new Redis(redisUrl)
      try {
        const ttl = await redis.pttl(`${prefix}${app.sdkAppId}:timpush/get_tag`)
        expect(ttl === -2 || ttl > 0, `PTTL ${ttl}`).toBe(true)
      } finally {
        redis.disconnect()
      }
    } finally {
      await emulator.close()
    }
  })
})
