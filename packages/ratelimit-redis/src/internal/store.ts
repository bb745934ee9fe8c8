/** The raw store: each operation is one script call, time-boxed, failing with a typed error. */
import * as Effect from "effect/Effect"
import type { Redis } from "ioredis"
import { createHash } from "node:crypto"
import type { Refusal, Reservation, Store } from "../RedisRateLimit.js"
import { deadline, DeadlineExceeded } from "./deadline.js"
import { describe, RedisRateLimitError } from "./error.js"
import * as Scripts from "./scripts.js"
import type { LogSettings } from "./settings.js"

/** A script and its SHA-1 (scripts run by SHA and are loaded on `NOSCRIPT`). */
export interface Script {
  readonly source: string
  readonly sha: string
}

const scriptOf = (source: string): Script => ({ source, sha: createHash("sha1").update(source).digest("hex") })

/** The three scripts. */
export const scripts = {
  reserve: scriptOf(Scripts.reserve),
  refused: scriptOf(Scripts.refused),
  started: scriptOf(Scripts.started)
} as const

/** Loads every script, so that the first calls do not pay a `NOSCRIPT` round trip. */
export const loadScripts = (redis: Redis): Promise<unknown> =>
  Promise.all(Object.values(scripts).map((script) => redis.script("LOAD", script.source)))

/** A reply that is an array of `n` numbers, or `undefined`. */
const numbers = (reply: unknown, n: number): ReadonlyArray<number> | undefined =>
  Array.isArray(reply) && reply.length >= n && reply.slice(0, n).every((x) => typeof x === "number") ? reply : undefined

const unexpected = () => new RedisRateLimitError({ reason: "Command", message: "unexpected script reply" })

/** Makes the store over `redis`. */
export const make = (redis: Redis, settings: LogSettings): Store => {
  const { burst, limit, prefix, spacing, timeout } = settings
  const evaluate = async (script: Script, keys: ReadonlyArray<string>, args: ReadonlyArray<string | number>) => {
    try {
      return await redis.evalsha(script.sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (describe(error).startsWith("NOSCRIPT")) return await redis.eval(script.source, keys.length, ...keys, ...args)
      throw error
    }
  }
  /** Runs `script` on the key's log and state; `now` is the test time, if any. */
  const run = (script: Script, key: string, now: number | undefined, args: ReadonlyArray<string | number>) =>
    Effect.suspend(() => {
      if (redis.status !== "ready") {
        return Effect.fail(
          new RedisRateLimitError({ reason: "Unavailable", message: `Redis connection is ${redis.status}` })
        )
      }
      const log = prefix + key
      return Effect.tryPromise({
        try: () =>
          deadline(evaluate(script, [log, Scripts.stateKeyOf(log)], [now ?? "", limit, spacing, ...args]), timeout),
        catch: (error) =>
          new RedisRateLimitError({
            reason: error instanceof DeadlineExceeded ? "Timeout" : "Command",
            message: describe(error)
          })
      })
    })
  return {
    reserve: (key, now) =>
      Effect.flatMap(run(scripts.reserve, key, now, [burst]), (reply) => {
        const r = numbers(reply, 5)
        return r === undefined
          ? Effect.fail(unexpected())
          : Effect.succeed<Reservation>({ wait: r[0]!, now: r[1]!, seq: r[2]!, limit: r[3]!, pausedUntil: r[4]! })
      }),
    refused: (key, agoMillis, now) =>
      Effect.flatMap(run(scripts.refused, key, now, [Math.max(0, Math.round(agoMillis))]), (reply) => {
        const r = numbers(reply, 3)
        return r === undefined
          ? Effect.fail(unexpected())
          : Effect.succeed<Refusal>({ pausedUntil: r[0]!, limit: r[1]!, now: r[2]! })
      }),
    started: (key, reservation, writtenAt, now) =>
      Effect.map(
        run(scripts.started, key, now, [reservation.seq, reservation.now + reservation.wait, Math.ceil(writtenAt)]),
        (reply) => reply === 1
      )
  }
}
