/**
 * The soak's Redis: a private `redis-server` (the Redis tests' `RedisServer`) that can be killed and started
 * again on the same port, and paused (SIGSTOP: the connections stay open, nothing answers) and resumed; it runs ahead
 * of the workers in priority (`priority.ts`).
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

/** Starts the server. */
export const start = async (): Promise<SoakRedis> => {
  const boosted = async (port?: number) => {
    const started = await startRedisServer(port === undefined ? {} : { port })
    Priority.set(started.pid, Priority.niceness.service)
    return started
  }
  let server: RedisServer = await boosted()
  let paused = false
  const signal = (name: NodeJS.Signals) => process.kill(server.pid, name)
  return {
    url: server.url,
    kill: async () => {
      signal("SIGKILL")
      await server.stop()
    },
    restart: async () => {
      server = await boosted(server.port)
    },
    pause: () => {
      signal("SIGSTOP")
      paused = true
    },
    resume: () => {
      signal("SIGCONT")
      paused = false
    },
    stop: async () => {
      if (paused) signal("SIGCONT")
      await server.stop()
    }
  }
}
