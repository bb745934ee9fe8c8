/** The raw store: each operation is one script call, time-boxed, failing with a typed error. */
import type * as RateLimit from "@timtags/core/RateLimit"
import * as Effect from "effect/Effect"
import type { Redis } from "ioredis"
import { createHash } from "node:crypto"
import type { Refusal, Reservation, Store } from "../RedisRateLimit.js"
import { deadline, DeadlineExceeded } from "./deadline.js"
import { describe, RedisRateLimitError } from "./error.js"
import * as Scripts from "./scripts.js"
import { type KeyRate, keyRate, type LogSettings } from "./settings.js"

/** A script and its SHA-1 (scripts run by SHA and are loaded on `NOSCRIPT`). */
export interface Script {
  readonly source: string
  readonly sha: string
}

/** A script from its source. */
export const scriptOf = (source: string): Script => ({ source, sha: createHash("sha1").update(source).digest("hex") })

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

/** Runs scripts on `redis`, by SHA (loading them on `NOSCRIPT`), time-boxed, failing with a typed error. */
export const makeRunner = (redis: Redis, timeout: number) => {
  const evaluate = async (script: Script, keys: ReadonlyArray<string>, args: ReadonlyArray<string | number>) => {
    try {
      return await redis.evalsha(script.sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (describe(error).startsWith("NOSCRIPT")) return await redis.eval(script.source, keys.length, ...keys, ...args)
      throw error
    }
  }
  return (
    script: Script,
    keys: ReadonlyArray<string>,
    args: ReadonlyArray<string | number>
  ): Effect.Effect<unknown, RedisRateLimitError> =>
    Effect.suspend(() => {
      if (redis.status !== "ready") {
        return Effect.fail(
          new RedisRateLimitError({ reason: "Unavailable", message: `Redis connection is ${redis.status}` })
        )
      }
      return Effect.tryPromise({
        try: () => deadline(evaluate(script, keys, args), timeout),
        catch: (error) =>
          new RedisRateLimitError({
            reason: error instanceof DeadlineExceeded ? "Timeout" : "Command",
            message: describe(error)
          })
      })
    })
}

/** Makes the store over `redis`. */
export const make = (redis: Redis, settings: LogSettings): Store => {
  const evaluate = makeRunner(redis, settings.timeout)
  /** Runs `script` on the key's log and state at the key's rate; `now` is the test time, if any. */
  const run = (
    script: Script,
    key: string,
    rate: RateLimit.Rate | undefined,
    now: number | undefined,
    args: (rate: KeyRate) => ReadonlyArray<string | number>
  ) =>
    Effect.suspend(() => {
      const keyed = rate === undefined ? settings.rate : keyRate(settings, rate)
      const log = settings.prefix + key
      return evaluate(script, [log, Scripts.stateKeyOf(log)], [now ?? "", keyed.limit, keyed.spacing, ...args(keyed)])
    })
  return {
    reserve: (key, rate, now, seen) =>
      Effect.flatMap(run(scripts.reserve, key, rate, now, (keyed) => [keyed.burst, seen ?? ""]), (reply) => {
        const r = numbers(reply, 5)
        const recent = r === undefined ? undefined : numbers(r.slice(5), r.length - 5)
        return r === undefined || recent === undefined
          ? Effect.fail(unexpected())
          : Effect.succeed<Reservation>({
            wait: r[0]!,
            now: r[1]!,
            seq: r[2]!,
            limit: r[3]!,
            pausedUntil: r[4]!,
            recent
          })
      }),
    refused: (key, agoMillis, rate, now) =>
      Effect.flatMap(run(scripts.refused, key, rate, now, () => [Math.max(0, Math.round(agoMillis))]), (reply) => {
        const r = numbers(reply, 3)
        return r === undefined
          ? Effect.fail(unexpected())
          : Effect.succeed<Refusal>({ pausedUntil: r[0]!, limit: r[1]!, now: r[2]! })
      }),
    started: (key, reservation, writtenAt, rate, now) =>
      Effect.map(
        run(scripts.started, key, rate, now, () => [
          reservation.seq,
          reservation.now + reservation.wait,
          Math.ceil(writtenAt)
        ]),
        (reply) => reply === 1
      )
  }
}
