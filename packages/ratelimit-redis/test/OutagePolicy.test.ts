/**
 * The outage policy under `TestClock`, for several processes at once: each simulated process is the real
 * policy (`fallback.ts`, `outage.ts`, `share.ts`, `presence.ts`, core's in-memory limiter) over a stand-in for
 * Redis, the reservation script's arithmetic shared by all, which can stop answering (its calls then time out,
 * as a paused Redis's do).
 * The real Redis and real processes are in `OutageProcesses.test.ts`; the stand-in lets the whole outage run
 * on virtual time, so every start is counted exactly.
 */
import { describe, expect, it } from "@effect/vitest"
import * as RateLimit from "@timtags/core/RateLimit"
import { CallLog } from "@timtags/emulator"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import type * as Scope from "effect/Scope"
import * as Semaphore from "effect/Semaphore"
import * as TestClock from "effect/testing/TestClock"
import { RedisRateLimitError } from "../src/internal/error.js"
import * as Fallback from "../src/internal/fallback.js"
import * as Outage from "../src/internal/outage.js"
import * as Presence from "../src/internal/presence.js"
import * as Settings from "../src/internal/settings.js"
import type { KeyRate } from "../src/internal/settings.js"
import * as Share from "../src/internal/share.js"
import type { Hear, Shared } from "../src/internal/shared.js"
import { modelLog } from "./support/ModelLog.js"

const timeout = 200
const retryInterval = 1000

/** A test in a scope (the heartbeats run on fibers of it). */
const scoped = <A, E>(name: string, effect: () => Effect.Effect<A, E, Scope.Scope>) =>
  it.effect(name, () => Effect.scoped(effect()))

/**
 * A stand-in for Redis: the reservation script's arithmetic (`modelLog`), shared by every simulated process;
 * while `down`, calls time out.
 */
const makeRedis = Effect.sync(() => {
  /** Per key: the model and every slot so far (reservation n is slots[n - 1]). */
  const logs = new Map<string, { readonly next: (now: number) => number; readonly slots: Array<number> }>()
  const logOf = (key: string, rate: KeyRate) => {
    let log = logs.get(key)
    if (log === undefined) logs.set(key, log = { next: modelLog(rate.limit, rate.spacing, rate.burst), slots: [] })
    return log
  }
  const state = { down: false }
  const failure = Effect.andThen(
    Effect.sleep(Duration.millis(timeout)),
    Effect.fail(new RedisRateLimitError({ reason: "Timeout", message: "paused" }))
  )
  /** A call that waited for its turn while the outage began is not sent: it fails at once. */
  const notSent = Effect.flatMap(
    Clock.currentTimeMillis,
    (sentAt) => Effect.fail({ error: new RedisRateLimitError({ reason: "Unavailable", message: "outage" }), sentAt })
  )
  /** A reservation fails as the real one does: after the time-out, with the time it was sent. */
  const failed = Effect.flatMap(
    Clock.currentTimeMillis,
    (sentAt) => Effect.mapError(failure, (error) => ({ error, sentAt }))
  )
  /**
   * The `Shared` of one process, as the real one: at most `burst` reservations at a time; each slot is told
   * to `reserved` as soon as it is reserved, then the call sleeps until it.
   */
  const sharedOf = (answered: Effect.Effect<void>): Shared => {
    const turns = Semaphore.makeUnsafe(10)
    let seen = 0
    /** The request carries the last reservation this process has seen; the answer comes 1 ms later. */
    const reserve = (key: string, rate: KeyRate, reserved: Hear | undefined) =>
      Effect.gen(function*() {
        const since = seen
        const now = yield* Clock.currentTimeMillis
        const log = logOf(key, rate)
        const slot = log.next(now)
        log.slots.push(slot)
        const recent = log.slots.slice(since)
        yield* Effect.sleep("1 millis")
        yield* answered
        reserved?.(since + 1, recent, 0, now + 1)
        seen = since + recent.length
        yield* Effect.sleep(Duration.millis(Math.max(0, slot - now - 1)))
        return { started: () => {} }
      })
    return {
      acquire: (key, rate, options) =>
        turns.withPermit(
          Effect.suspend(() =>
            options?.usable?.() === false ? notSent : state.down ? failed : reserve(key, rate, options?.reserved)
          )
        ),
      refused: () => (state.down ? failure : Effect.void),
      redisTime: Effect.map(Clock.currentTimeMillis, (now) => now)
    }
  }
  return { state, failure, sharedOf }
})

type Redis = Effect.Success<typeof makeRedis>

/**
 * One simulated process: the policy of `policy`, process `rank` of `processes`, with its heartbeat (which
 * probes the stand-in, and tells the process how many processes there are and its rank).
 */
const makeProcess = (
  redis: Redis,
  options: { readonly policy: "share" | "whole"; readonly processes: number; readonly rank: number }
) =>
  Effect.gen(function*() {
    const settings = Settings.settings({ outage: options.policy, timeout: `${timeout} millis` })
    const health = Outage.make({ status: "ready" }, {
      retryInterval,
      rejoinGrace: options.policy === "share" ? Settings.rejoinGrace(settings) : undefined,
      callsProbe: options.policy === "whole",
      fallback: () => "falling back"
    })
    const local = yield* RateLimit.makeMemory(settings.fallback)
    const presence = options.policy === "whole"
      ? { processes: () => 1, rank: () => 0 }
      : yield* Presence.make(
        (_script, _keys, _args) =>
          redis.state.down
            ? redis.failure
            : Effect.map(Clock.currentTimeMillis, (now) => [options.processes, options.rank, now]),
        settings,
        health
      )
    return Fallback.make(settings, health, redis.sharedOf(health.up), local, presence)
  })

/** What one caller does: start calls back to back (writes at once), from `from` ms, each `pause` ms after the last. */
interface Caller {
  readonly process: number
  readonly from?: number
  readonly pause?: number
}

/** Runs `callers` on `processes`; every start time, and how to stop them. */
const demand = (
  processes: ReadonlyArray<Pick<RateLimit.Service, "acquire">>,
  callers: ReadonlyArray<Caller>,
  rate?: RateLimit.Rate
) =>
  Effect.gen(function*() {
    const starts: Array<{ readonly process: number; readonly at: number }> = []
    const fibers = yield* Effect.forEach(callers, ({ from = 0, pause = 0, process }) => {
      const call = Effect.flatMap(processes[process]!.acquire("k", rate), (permit) =>
        Effect.map(Clock.currentTimeMillis, (at) => {
          permit.started(at)
          starts.push({ process, at })
        }))
      return Effect.forkChild(
        Effect.andThen(Effect.sleep(Duration.millis(from)), Effect.forever(Effect.andThen(call, Effect.sleep(pause))))
      )
    })
    return { starts, stop: Effect.forEach(fibers, Fiber.interrupt, { discard: true }) }
  })

/** `loops` callers per process, each starting calls back to back. */
const saturate = (processes: ReadonlyArray<Pick<RateLimit.Service, "acquire">>, loops: number, rate?: RateLimit.Rate) =>
  demand(processes, processes.flatMap((_, process) => Array.from({ length: loops }, () => ({ process }))), rate)

/** 12 callers per process, each starting calls back to back. */
const busy: ReadonlyArray<Caller> = [0, 1, 2, 3].flatMap((process) => Array.from({ length: 12 }, () => ({ process })))

/** Runs 4 processes through a 6 s outage (from 5 s to 11 s) for 20 s; every start. */
const throughOutage = (policy: "share" | "whole", callers: ReadonlyArray<Caller> = busy) =>
  Effect.gen(function*() {
    const redis = yield* makeRedis
    const processes = yield* Effect.forEach([0, 1, 2, 3], (rank) => makeProcess(redis, { policy, processes: 4, rank }))
    const run = yield* demand(processes, callers)
    yield* TestClock.adjust("5 seconds")
    redis.state.down = true
    yield* TestClock.adjust("6 seconds")
    redis.state.down = false
    yield* TestClock.adjust("9 seconds")
    yield* run.stop
    return run.starts
  })

const within = (times: ReadonlyArray<number>, from: number, to: number) =>
  times.filter((t) => t >= from && t < to).length

describe("the outage policy (TestClock, 4 processes, a stand-in for Redis)", () => {
  scoped(
    "share (the default): at most 100 starts in any sliding second, before, during and after the outage",
    () =>
      Effect.gen(function*() {
        const starts = yield* throughOutage("share")
        const times = starts.map((s) => s.at)
        expect(CallLog.maxInWindow(times, 1000)).toBeLessThanOrEqual(100)
        // Not by stopping: during the outage each process sends its 25 per 1050 ms.
        for (let second = 6; second < 11; second++) {
          expect(within(times, second * 1000, (second + 1) * 1000)).toBeGreaterThanOrEqual(92)
        }
        for (let process = 0; process < 4; process++) {
          const mine = starts.filter((s) => s.process === process).map((s) => s.at)
          expect(within(mine, 6000, 11_000)).toBeGreaterThanOrEqual(115)
        }
        // And back to the shared limit after it: a process may again use more than its share.
        expect(within(times, 15_000, 20_000)).toBeGreaterThanOrEqual(470)
      })
  )

  scoped("share: however unevenly the processes used Redis before the outage", () =>
    Effect.gen(function*() {
      // Process 0 takes most of the limit before the outage; the others call every 100 ms, then get busy as it starts.
      const callers: Array<Caller> = [
        ...Array.from({ length: 16 }, () => ({ process: 0 })),
        ...[1, 2, 3].flatMap((process) => [
          { process, pause: 100 },
          ...Array.from({ length: 12 }, () => ({ process, from: 4900 }))
        ])
      ]
      const starts = yield* throughOutage("share", callers)
      const times = starts.map((s) => s.at)
      const mine = (process: number, from: number, to: number) =>
        within(starts.filter((s) => s.process === process).map((s) => s.at), from, to)
      expect(mine(0, 3000, 4000)).toBeGreaterThan(60)
      expect(mine(1, 3000, 4000)).toBeLessThan(12)
      expect(CallLog.maxInWindow(times, 1000)).toBeLessThanOrEqual(100)
    }))

  scoped(
    "share: when the others get busy just before Redis stops, each taking its reservations ahead at once",
    () =>
      Effect.gen(function*() {
        // Process 0 keeps 4 callers going; the other three get 12 callers each in the last milliseconds before
        // the outage, and each reserves its 10 slots ahead at once. Process 0 never hears of those; its part
        // of them must still count against its share when it goes on alone.
        for (const from of [4995, 4999, 5000]) {
          const callers: Array<Caller> = [
            ...Array.from({ length: 4 }, () => ({ process: 0 })),
            ...[1, 2, 3].flatMap((process) => Array.from({ length: 12 }, () => ({ process, from })))
          ]
          const times = (yield* throughOutage("share", callers)).map((s) => s.at)
          const busiest = CallLog.maxInWindow(times, 1000)
          expect(busiest, `busy from ${from} ms`).toBeLessThanOrEqual(100)
          expect(busiest, `busy from ${from} ms`).toBeGreaterThanOrEqual(90)
        }
      })
  )

  scoped(
    "whole (throughput first): each process uses the whole limit during the outage, so together they exceed it",
    () =>
      Effect.gen(function*() {
        const times = (yield* throughOutage("whole")).map((s) => s.at)
        expect(within(times, 6000, 7000)).toBeGreaterThan(300)
        expect(CallLog.maxInWindow(times.filter((t) => t < 5000), 1000)).toBeLessThanOrEqual(100)
      })
  )

  scoped(
    "a share below one call per window is staggered: 4 processes, pushes 1.1 s apart, take turns",
    () =>
      Effect.gen(function*() {
        const redis = yield* makeRedis
        const push = { limit: 1, windowMillis: 1100 }
        const processes = yield* Effect.forEach(
          [0, 1, 2, 3],
          (rank) => makeProcess(redis, { policy: "share", processes: 4, rank })
        )
        redis.state.down = true
        const run = yield* saturate(processes, 3, push)
        for (let second = 0; second < 60; second++) yield* TestClock.adjust("1 second")
        yield* run.stop
        redis.state.down = false // each process leaves the set as its scope closes
        const sorted = run.starts.map((s) => s.at).sort((a, b) => a - b)
        // One start per (1100 + 50) ms across all four, each process every fourth one.
        expect(sorted.length).toBeGreaterThanOrEqual(48)
        for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(1150)
        for (let process = 0; process < 4; process++) {
          const mine = run.starts.filter((s) => s.process === process).map((s) => s.at)
          expect(mine.length).toBeGreaterThanOrEqual(12)
          for (const at of mine) expect(((at - process * 1150) % 4600 + 4600) % 4600).toBe(0)
        }
      })
  )
})

describe("share", () => {
  const rate = (limit: number, windowMillis: number) =>
    Settings.keyRate({ margin: 50, burst: 10 }, { limit, windowMillis })

  it("is the limit divided by the processes, rounded down", () => {
    expect(Share.of(rate(100, 1000), 4, 0, "share", 50)).toEqual({ rate: { limit: 25, windowMillis: 1000 } })
    expect(Share.of(rate(100, 1000), 3, 2, "share", 50)).toEqual({ rate: { limit: 33, windowMillis: 1000 } })
    expect(Share.of(rate(10, 1000), 10, 9, "share", 50)).toEqual({ rate: { limit: 1, windowMillis: 1000 } })
  })

  it("is the whole rate for one process, or under the whole policy", () => {
    expect(Share.of(rate(100, 1000), 1, 0, "share", 50).rate).toEqual({ limit: 100, windowMillis: 1000 })
    expect(Share.of(rate(100, 1000), 8, 3, "whole", 50).rate).toEqual({ limit: 100, windowMillis: 1000 })
  })

  it("below one call per window: one call per K / L windows, on points staggered by rank", () => {
    const share = Share.of(rate(1, 1100), 4, 2, "share", 50)
    // Unstaggered: one per 4 × 1150 ms (the in-memory limiter adds the 50 ms margin back).
    expect(share.rate).toEqual({ limit: 1, windowMillis: 4600 - 50 })
    expect(share.lattice).toEqual({ period: 4600, offset: 2300, rate: { limit: 1, windowMillis: 2300 - 50 } })
    expect(Share.nextPoint(share.lattice!, 0)).toBe(2300)
    expect(Share.nextPoint(share.lattice!, 2300)).toBe(2300)
    expect(Share.nextPoint(share.lattice!, 2301)).toBe(6900)
    // Three calls per window, four processes: points 1150 / 3 ms apart, one process every 4600 / 3 ms.
    const three = Share.of(rate(3, 1100), 4, 1, "share", 50)
    expect(three.lattice!.period).toBeCloseTo(4600 / 3)
    expect(three.lattice!.offset).toBeCloseTo(1150 / 3)
  })
})

describe("health", () => {
  const makeHealth = () =>
    Outage.make({ status: "ready" }, {
      retryInterval: 1000,
      rejoinGrace: 2000,
      callsProbe: false,
      fallback: () => "falling back"
    })

  it.effect("a call that fails while Redis answers others is slow, not an outage", () =>
    Effect.gen(function*() {
      yield* Effect.updateServiceScoped(Logger.CurrentLoggers, () => new Set())
      const health = makeHealth()
      const error = new RedisRateLimitError({ reason: "Timeout", message: "slow" })
      yield* TestClock.adjust("100 millis")
      yield* health.up // an answer at 100
      yield* TestClock.adjust("200 millis")
      expect(health.answeredSince(50)).toBe(true)
      yield* health.down(error, 50) // sent at 50, before that answer: Redis is alive
      expect(health.inUse()).toBe(true)
      expect(health.outages()).toBe(0)
      expect(health.answeredSince(150)).toBe(false)
      yield* health.down(error, 150) // nothing answered since 150: an outage
      expect(health.inUse()).toBe(false)
      expect(health.outages()).toBe(1)
      expect(yield* health.route(1050)).toBe("local")
      // Redis answers again: calls go to both for rejoinGrace + the key's window and margin.
      yield* health.up
      expect(yield* health.route(1050)).toBe("rejoining")
      yield* TestClock.adjust("3049 millis")
      expect(yield* health.route(1050)).toBe("rejoining")
      yield* TestClock.adjust("1 millis")
      expect(yield* health.route(1050)).toBe("redis")
    }).pipe(Effect.scoped))
})
