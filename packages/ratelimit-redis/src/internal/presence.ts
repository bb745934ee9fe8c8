/**
 * How many processes share the limits, as Redis sees them: every process announces itself (a heartbeat,
 * every `heartbeatInterval`) in a sorted set of process ids scored by Redis's clock, and members not seen
 * for `processTtl` drop out. A process's share of a limit is the limit divided by the processes seen live;
 * its rank (its place among the ids) staggers the calls of shares below one call per window.
 *
 * The count is taken only while Redis is in steady use: during an outage and while rejoining it stays
 * what it was before (after a pause, Redis holds stale scores until every process has announced itself
 * again), and it is the most seen over the last `processTtl`, so one process that has not announced
 * itself yet does not make the others' shares larger. A process leaves the set when its scope closes.
 *
 * The heartbeat is also the limiter's probe: its answers end an outage and its failures start one, at a
 * steady pace whatever the traffic.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import { randomUUID } from "node:crypto"
import type { RedisRateLimitError } from "./error.js"
import { scriptOf } from "./store.js"

/** The key of the process set under `prefix`. */
export const processesKey = (prefix: string): string => `${prefix}processes`

/**
 * The heartbeat script. `KEYS[1]`: the process set; `ARGV[1]`: this process's id; `ARGV[2]`: the TTL in
 * ms; `ARGV[3]`: `"leave"` to leave. Answers `{processes, rank, now}`.
 */
export const heartbeat = scriptOf(`
if redis.replicate_commands then pcall(redis.replicate_commands) end
local set = KEYS[1]
local id = ARGV[1]
local ttl = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[3] == 'leave' then
  redis.call('ZREM', set, id)
  return { 0, 0, now }
end
redis.call('ZADD', set, now, id)
redis.call('ZREMRANGEBYSCORE', set, '-inf', '(' .. string.format('%d', now - ttl))
redis.call('PEXPIRE', set, string.format('%d', 2 * ttl))
local ids = redis.call('ZRANGE', set, 0, -1)
table.sort(ids)
local rank = 0
for i, member in ipairs(ids) do
  if member == id then rank = i - 1 end
end
return { #ids, rank, now }
`)

/** What a process knows of the others. */
export interface Presence {
  /** The processes sharing the limits (this one included), or `expectedProcesses` before Redis has said. */
  readonly processes: () => number
  /** This process's place among them, from 0. */
  readonly rank: () => number
}

/** Runs a script (the store's runner). */
export type Run = (
  script: typeof heartbeat,
  keys: ReadonlyArray<string>,
  args: ReadonlyArray<string | number>
) => Effect.Effect<unknown, RedisRateLimitError>

/** The counts of the last `ttl` ms of answers, the latest rank. */
const makeSightings = (ttl: number, expected: number) => {
  let seen: Array<{ readonly at: number; readonly processes: number }> = []
  let rank = 0
  return {
    add: (at: number, processes: number, rankNow: number) => {
      seen = [...seen.filter((s) => s.at > at - ttl), { at, processes }]
      rank = rankNow
    },
    processes: () => (seen.length === 0 ? expected : Math.max(...seen.map((s) => s.processes))),
    rank: () => rank
  }
}

/** What the heartbeat tells the limiter's health. */
export interface Probed {
  /** Whether Redis is in steady use (answers are taken only then). */
  readonly steady: Effect.Effect<boolean>
  /** Redis answered. */
  readonly up: Effect.Effect<void>
  /** Redis failed a heartbeat sent at `sentAt`. */
  readonly down: (error: RedisRateLimitError, sentAt: number) => Effect.Effect<void>
}

/** Announces this process now and every `heartbeatInterval` for the scope's lifetime, and leaves at its end. */
export const make = (
  run: Run,
  options: {
    readonly prefix: string
    readonly heartbeatInterval: number
    readonly processTtl: number
    readonly expectedProcesses: number
  },
  health: Probed
): Effect.Effect<Presence, never, Scope.Scope> =>
  Effect.gen(function*() {
    const id = `${process.pid}:${randomUUID()}`
    const key = processesKey(options.prefix)
    const sightings = makeSightings(options.processTtl, options.expectedProcesses)
    const beat = Effect.gen(function*() {
      const sentAt = yield* Clock.currentTimeMillis
      const reply = yield* run(heartbeat, [key], [id, Math.ceil(options.processTtl), ""]).pipe(
        Effect.tapError((error) => health.down(error, sentAt))
      )
      yield* health.up
      if (!Array.isArray(reply) || typeof reply[0] !== "number" || typeof reply[1] !== "number") return
      if (yield* health.steady) sightings.add(yield* Clock.currentTimeMillis, reply[0], reply[1])
    }).pipe(Effect.ignore)
    yield* beat
    yield* Effect.forkScoped(
      Effect.repeat(beat, Schedule.spaced(Duration.millis(options.heartbeatInterval)))
    )
    yield* Effect.addFinalizer(() => Effect.ignore(run(heartbeat, [key], [id, Math.ceil(options.processTtl), "leave"])))
    return { processes: sightings.processes, rank: sightings.rank }
  })
