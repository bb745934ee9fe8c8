/**
 * Quota counters in Redis, shared by every process: one Redis key per counter and period,
 * `prefix + "quota:" + resetsAt + ":" + key`, which expires at `resetsAt` on Redis's clock (`PEXPIREAT`).
 * One atomic script takes a use only below `max`, gives one back, marks the counter used up, or reads it.
 *
 * While Redis is unreachable the counters fall back to core's in-memory ones, so the count is then per
 * process. Each count read from Redis raises the in-memory one to it, so a process that falls back starts
 * from the last count it saw rather than from 0; uses taken during the outage are not added to Redis's
 * count afterwards.
 */
import type * as RateLimit from "@timtags/core/RateLimit"
import * as Effect from "effect/Effect"
import { RedisRateLimitError } from "./error.js"
import type { Health } from "./outage.js"
import { type makeRunner, scriptOf } from "./store.js"

/**
 * The quota script. `KEYS[1]`: the counter; `ARGV[1]`: `take`, `giveBack`, `exhaust` or `used`; `ARGV[2]`:
 * max; `ARGV[3]`: resetsAt (epoch ms). Answers `{allowed, uses}`: whether a `take` took a use, and the uses
 * counted after the operation. A period that has ended on Redis's clock counts nothing (a `take` is allowed).
 */
export const script = scriptOf(`
if redis.replicate_commands then pcall(redis.replicate_commands) end
local counter = KEYS[1]
local op = ARGV[1]
local max = tonumber(ARGV[2])
local resetsAt = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if op == 'take' and max < 1 then return { 0, 0 } end
if resetsAt <= now then
  if op == 'take' then return { 1, 0 } end
  return { 0, 0 }
end
local uses = tonumber(redis.call('GET', counter) or '0')
if op == 'take' then
  if uses >= max then return { 0, uses } end
  uses = redis.call('INCR', counter)
  redis.call('PEXPIREAT', counter, string.format('%d', resetsAt))
  return { 1, uses }
elseif op == 'giveBack' then
  if uses > 0 then uses = redis.call('DECR', counter) end
  return { 0, uses }
elseif op == 'exhaust' then
  if uses < max then
    redis.call('SET', counter, string.format('%d', max))
    redis.call('PEXPIREAT', counter, string.format('%d', resetsAt))
    uses = max
  end
  return { 0, uses }
end
return { 0, uses }
`)

/** The Redis key of counter `key` for the period ending at `resetsAt`. */
export const counterKey = (prefix: string, key: string, resetsAt: number): string =>
  `${prefix}quota:${Math.round(resetsAt)}:${key}`

type Op = "take" | "giveBack" | "exhaust" | "used"

/** Quota counters in Redis, falling back to `local` as `health` says. */
export const make = (
  run: ReturnType<typeof makeRunner>,
  prefix: string,
  health: Health,
  local: RateLimit.Quota
): RateLimit.Quota => {
  /** One script call: `[allowed, uses]`. */
  const call = (
    op: Op,
    key: string,
    max: number,
    resetsAt: number
  ): Effect.Effect<[boolean, number], RedisRateLimitError> =>
    Effect.flatMap(
      run(script, [counterKey(prefix, key, resetsAt)], [op, max, Math.round(resetsAt)]),
      (reply) =>
        Effect.andThen(
          health.up,
          Array.isArray(reply) && typeof reply[0] === "number" && typeof reply[1] === "number"
            ? Effect.succeed<[boolean, number]>([reply[0] === 1, reply[1]])
            : Effect.fail(new RedisRateLimitError({ reason: "Command", message: "unexpected quota script reply" }))
        )
    )
  /** Redis if it is to be tried (its count raises the local one), else `orElse`; `orElse` also when Redis fails. */
  const tried = <A>(
    op: Op,
    key: string,
    max: number,
    resetsAt: number,
    answer: (reply: [boolean, number]) => A,
    orElse: Effect.Effect<A>
  ): Effect.Effect<A> =>
    Effect.flatMap(health.route(0), (route) =>
      route === "local" ? orElse : call(op, key, max, resetsAt).pipe(
        Effect.tap(([, uses]) => (uses > 0 ? local.exhaust(key, uses, resetsAt) : Effect.void)),
        Effect.map(answer),
        Effect.catch((error) => Effect.andThen(health.down(error), orElse))
      ))
  /** Both: the local counter, then Redis while it is in use. */
  const told = (op: Op, key: string, max: number, resetsAt: number, locally: Effect.Effect<void>) =>
    Effect.andThen(
      locally,
      Effect.suspend(() =>
        health.inUse() ? Effect.catch(Effect.asVoid(call(op, key, max, resetsAt)), health.down) : Effect.void
      )
    )
  return {
    take: (key, max, resetsAt) =>
      tried("take", key, max, resetsAt, ([allowed]) => allowed, local.take(key, max, resetsAt)),
    giveBack: (key, resetsAt) => told("giveBack", key, 0, resetsAt, local.giveBack(key, resetsAt)),
    exhaust: (key, max, resetsAt) => told("exhaust", key, max, resetsAt, local.exhaust(key, max, resetsAt)),
    used: (key, resetsAt) => tried("used", key, 0, resetsAt, ([, uses]) => uses, local.used(key, resetsAt))
  }
}
