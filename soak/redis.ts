/**
 * The soak's Redis: a private `redis-server` (the Redis tests' `RedisServer`) that can be killed and started
 * again on the same port, and paused (SIGSTOP: the connections stay open, nothing answers) and resumed. It runs
 * ahead of the workers in priority (`priority.ts`).
 */
import { type RedisServer, startRedisServer } from "../packages/ratelimit-redis/test/support/RedisServer.js"
import * as Priority from "./priority.js"

/** The server, across restarts. */
export interface SoakRedis {
  readonly url: string
  /** SIGKILL; resolves once the process is gone. */
  readonly kill: () => Promise<void>
  /** Starts a fresh server (empty: nothing is persisted) on the same port. */
  readonly restart: () => Promise<void>
  readonly pause: () => void
  readonly resume: () => void
  readonly stop: () => Promise<void>
}

/** Starts a server on `port` (default a free one), ahead of the workers. */
const boosted = async (port?: number) => {
  const server = await startRedisServer(port === undefined ? {} : { port })
  Priority.set(server.pid, Priority.niceness.service)
  return server
}

/** Starts the server. */
export const start = async (): Promise<SoakRedis> => {
  let server: RedisServer = await boosted()
  return {
    url: server.url,
    kill: async () => {
      process.kill(server.pid, "SIGKILL")
      await server.stop()
    },
    restart: async () => {
      server = await boosted(server.port)
    },
    pause: () => server.pause(),
    resume: () => server.resume(),
    stop: () => server.stop()
  }
}
