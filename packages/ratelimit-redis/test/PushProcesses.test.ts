/**
 * Pushes from two OS processes sharing Redis: Tencent refuses a push less than a second after another of the
 * same app (90024), and counts a daily quota. Through the Redis limiter the two processes' pushes are written
 * at least 1.1 s apart (the emulator, which refuses pushes less than 1 s apart, sees every one of them at least
 * 1 s apart and refuses none), and they share one daily count.
 */
import { describe, expect, it } from "@effect/vitest"
import { Emulator } from "@timtags/emulator"
import { fileURLToPath } from "node:url"
import { runWorkers, type WorkerSpec } from "./support/MultiProcess.js"
import { freshPrefix, redisUrl, skipRedis } from "./support/Redis.js"

const app = { sdkAppId: 1400000321, secretKey: "push-processes-test-key" }
const script = fileURLToPath(new URL("./support/pushWorker.ts", import.meta.url))

const specs = (baseUrl: string, prefix: string, count: number, quota?: number): Array<WorkerSpec> =>
  [0, 1].map((id) => ({
    id,
    ...app,
    baseUrl,
    redisUrl,
    prefix,
    accountPrefix: "unused",
    from: 0,
    count,
    ...(quota === undefined ? {} : { limit: quota })
  }))

describe.skipIf(skipRedis)("pushes from two processes sharing Redis", () => {
  it("10 pushes: every one accepted, at least 1 s apart at the emulator, no 90024", { timeout: 90_000 }, async () => {
    const emulator = await Emulator.startEmulator({ ...app, seed: { alice: [], bob: [] } })
    try {
      const reports = await runWorkers(specs(emulator.baseUrl, freshPrefix("pushes"), 5), { script })
      for (const report of reports) expect(report, JSON.stringify(report)).toMatchObject({ found: 5, errors: {} })
      const calls = (await emulator.calls()).filter((c) => c.command === "push")
      expect(calls.map((c) => c.errorCode)).toEqual(Array.from({ length: 10 }, () => 0))
      const at = calls.map((c) => c.at).sort((a, b) => a - b)
      const gaps = at.slice(1).map((t, i) => t - at[i]!)
      expect(Math.min(...gaps), gaps.join(", ")).toBeGreaterThanOrEqual(1000)
      expect(await emulator.pushes()).toHaveLength(10)
    } finally {
      await emulator.close()
    }
  })

  it("one daily quota for both: 6 of 8 pushes go out, 2 are refused before any call", { timeout: 90_000 }, async () => {
    const emulator = await Emulator.startEmulator({ ...app, push: { minIntervalMillis: 0 } })
    try {
      const reports = await runWorkers(specs(emulator.baseUrl, freshPrefix("quota"), 4, 6), { script })
      expect(reports.reduce((n, r) => n + r.found, 0)).toBe(6)
      expect(reports.reduce((n, r) => n + (r.errors.TimQuotaError ?? 0), 0)).toBe(2)
      expect((await emulator.calls()).filter((c) => c.command === "push")).toHaveLength(6)
    } finally {
      await emulator.close()
    }
  })
})
