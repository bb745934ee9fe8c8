/**
 * Gives the tests a Redis on loopback: `TIM_TEST_REDIS_URL` if set, else a private `redis-server` started here
 * (and stopped in teardown). Without a `redis-server` binary, CI fails loudly (`.ci/setup-redis.sh` should have
 * installed it) and a developer machine skips the Redis tests with a printed reason.
 */
import type { TestProject } from "vitest/node"
import { findRedisServer, type RedisServer, startRedisServer } from "./RedisServer.js"

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the shared test Redis listens; "" when the Redis tests are skipped. */
    readonly redisUrl: string
    /** Why the Redis tests are skipped ("" when they run). */
    readonly redisSkipReason: string
    /** The redis-server binary, for tests that start and stop their own server; "" when there is none. */
    readonly redisServerBinary: string
  }
}

export default async function setup(project: TestProject) {
  const binary = findRedisServer() ?? ""
  project.provide("redisServerBinary", binary)
  const given = process.env.TIM_TEST_REDIS_URL
  if (given !== undefined && given !== "") {
    project.provide("redisUrl", given)
    project.provide("redisSkipReason", "")
    return
  }
  if (binary === "") {
    const reason = "no redis-server binary on PATH and TIM_TEST_REDIS_URL is not set"
    if (process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false") {
      throw new Error(`@timtags/ratelimit-redis tests need Redis: ${reason} (CI must run .ci/setup-redis.sh first)`)
    }
    console.warn(
      `\n[ratelimit-redis] SKIPPING the Redis tests: ${reason}. Install redis-server (bash .ci/setup-redis.sh) to run them.\n`
    )
    project.provide("redisUrl", "")
    project.provide("redisSkipReason", reason)
    return
  }
  const server: RedisServer = await startRedisServer({ binary })
  project.provide("redisUrl", server.url)
  project.provide("redisSkipReason", "")
  return async () => {
    await server.stop()
  }
}
