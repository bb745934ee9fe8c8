/**
 * Worker processes sharing one Redis limiter against one emulator (the workers of the Redis package's
 * multi-process test), for the scenarios that measure several processes: accounts `${accountPrefix}${i}`,
 * `perProcess` each, a fresh Redis key prefix per run, 500 warm-up lookups per worker; the emulator's call
 * log is emptied when every worker is ready, just before "go".
 */
import { runWorkers, type WorkerReport } from "../packages/ratelimit-redis/test/support/MultiProcess.js"
import { app, type EmulatorProcess } from "./emulator.js"

/** What to run. */
export interface Workers {
  readonly processes: number
  readonly perProcess: number
  readonly accountPrefix: string
}

/** Runs the workers; their reports, once all are done. */
export const runRedisWorkers = (
  emulator: EmulatorProcess,
  redisUrl: string,
  workers: Workers
): Promise<ReadonlyArray<WorkerReport>> =>
  runWorkers(
    Array.from({ length: workers.processes }, (_, id) => ({
      id,
      baseUrl: emulator.baseUrl,
      sdkAppId: app.sdkAppId,
      secretKey: app.secretKey,
      redisUrl,
      prefix: `bench:${workers.accountPrefix}:${Date.now()}:`,
      accountPrefix: workers.accountPrefix,
      from: id * workers.perProcess,
      count: workers.perProcess,
      warmUp: 500
    })),
    { timeoutMillis: 300_000, beforeGo: () => emulator.resetCalls() }
  )
