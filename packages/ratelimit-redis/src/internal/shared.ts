/**
 * The limiter on the shared log: a call reserves its slot in Redis, sleeps until Redis's clock
 * reaches it (mapped onto this process's monotonic clock, never early), and starts. Refusals go to
 * Redis.
 *
 * - **Late wake-ups.** A call that wakes more than `maxLateness` after its slot (its process was
 *   stalled) gives the slot up and reserves again (a bounded number of times), since a late start
 *   could share a sliding window with the starts `limit` slots later.
 * - **Late writes.** A call counts from its slot as long as its request is written within
 *   `maxLateness` of it (the margin keeps that much for it). A request written later (it waited for a
 *   connection, or the event loop was busy) counts from its write: the permit's `started` records it
 *   in Redis, which pushes the window after it back for every process. That costs one more round
 *   trip, for those calls only, from a fiber of the limiter's scope (`started` is called
 *   synchronously, from the HTTP layer); a call written in time costs none.
 * - **Pauses.** Every answer carries the key's pause (after a refusal, by any process); a call whose
 *   slot falls in a pause it learned of while it slept reserves again, after the pause.
 * - **Few reservations ahead.** A process holds at most `burst` reservations per key at a time (more
 *   calls wait in the process, first come first served), so that a refusal or a late write reported
 *   now reaches the reservations of every call that has not started yet but a few, instead of slots
 *   handed out seconds ahead.
 * - **Rates.** Each call carries its key's rate (limit, window + margin, burst), which the scripts use.
 * - **Reservations told.** Each reservation also brings the slots the key's log got from every process
 *   since this process's previous reservation. A caller may ask to hear of them, as soon as Redis answers
 *   (with their numbers, on Effect's clock, the latest moment each may map to): the fall-back records
 *   them, so that it knows what was sent, the sleeping calls included, if Redis fails.
 */
import type * as RateLimit from "@timtags/core/RateLimit"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import type * as Scope from "effect/Scope"
import * as Semaphore from "effect/Semaphore"
import type { Redis } from "ioredis"
import type { Reservation, Store } from "../RedisRateLimit.js"
import { type ClockMap, makeClockMap } from "./clockMap.js"
import { RedisRateLimitError } from "./error.js"
import type { KeyRate, Settings } from "./settings.js"
import { loadScripts } from "./store.js"

/** Reservations per call at most: a process stalled again and again starts late rather than never. */
const maxAttempts = 6

/** A reservation that failed, and when it was sent (Effect's clock, ms): Redis was not answering by then. */
export interface Failed {
  readonly error: RedisRateLimitError
  readonly sentAt: number
}

/**
 * Hears, at `now` (Effect's clock, ms), of the slots a reservation brought (Redis's clock, ms, oldest
 * first): the i-th is reservation `first + i`, and maps to Effect's clock (the latest moment it may be)
 * as `slot + shift`.
 */
export type Hear = (first: number, slots: ReadonlyArray<number>, shift: number, now: number) => void

/** The limiter on the shared log. */
export interface Shared {
  /**
   * Reserves, waits and starts at `rate`; fails if Redis fails (the caller falls back). `reserved` hears,
   * as soon as Redis answers, of the slots reserved under `key` by every process since this process's
   * previous reservation, oldest first; the last is this call's. A call that waited for its turn (at most
   * `burst` reservations per key at a time) while an outage began fails at once when `usable` says so,
   * instead of sending a request that would time out.
   */
  readonly acquire: (
    key: string,
    rate: KeyRate,
    options?: { readonly reserved?: Hear | undefined; readonly usable?: (() => boolean) | undefined }
  ) => Effect.Effect<RateLimit.Permit, Failed>
  /** Records a refusal at `at` (epoch ms, Effect's `Clock`) in Redis, for every process. */
  readonly refused: (key: string, at: number, rate: KeyRate) => Effect.Effect<void, RedisRateLimitError>
  /** Redis's clock now, at least (ms), as this process maps it; `undefined` before Redis first answered. */
  readonly redisTime: Effect.Effect<number | undefined>
}

/** This process's monotonic clock, in ms (`currentTimeMillis` follows the wall clock, which may be stepped). */
const localMillis = Effect.map(Clock.monotonicTimeNanos, (nanos) => Number(nanos) / 1e6)

/** The latest pause (Redis's clock) this process knows of, per key. */
const makePauses = () => {
  const until = new Map<string, number>()
  return {
    learn: (key: string, pausedUntil: number) => {
      if (pausedUntil > (until.get(key) ?? 0)) until.set(key, pausedUntil)
    },
    covers: (key: string, slot: number) => slot < (until.get(key) ?? 0)
  }
}

/** A FIFO semaphore per key, of the key's burst: how many reservations a process may hold per key. */
const makeTurns = () => {
  const turns = new Map<string, Semaphore.Semaphore>()
  return <A, E>(key: string, permits: number, effect: Effect.Effect<A, E>): Effect.Effect<A, E> => {
    let turn = turns.get(key)
    if (turn === undefined) turns.set(key, turn = Semaphore.makeUnsafe(permits))
    return turn.withPermit(effect)
  }
}

/**
 * Loads the scripts and samples Redis's clock a few times, so that the first reservations neither pay
 * a `NOSCRIPT` round trip nor judge their lateness on a cold, slow sample. Best effort, time-boxed.
 */
const warmUp = (redis: Redis, clock: ClockMap, timeout: number): Effect.Effect<void> => {
  const sample = Effect.gen(function*() {
    const sent = yield* localMillis
    const [seconds, micros] = yield* Effect.tryPromise(() => redis.time())
    clock.observe(Number(seconds) * 1000 + Math.floor(Number(micros) / 1000), sent, yield* localMillis)
  })
  if (redis.status !== "ready") return Effect.void
  return Effect.tryPromise(() => loadScripts(redis)).pipe(
    Effect.andThen(Effect.repeat(sample, { times: 4 })),
    Effect.timeout(Duration.millis(timeout * 2)),
    Effect.ignore
  )
}

/**
 * Permits that report late writes. A permit of a reservation granted at `grantedLocal` (monotonic ms)
 * = `grantedAt` (Effect clock ms) maps the write time `started` gives onto Redis's clock (upper bound)
 * and, if it is more than `maxLateness` after the slot, records it in Redis with `report`, which runs
 * it on a fiber of the limiter's scope (`started` is called synchronously, from the HTTP layer).
 */
const makePermits = (
  clock: ClockMap,
  maxLateness: number,
  report: (key: string, rate: KeyRate, reservation: Reservation, writtenAt: number) => void
) => {
  const permit = (
    key: string,
    rate: KeyRate,
    reservation: Reservation,
    grantedLocal: number,
    grantedAt: number
  ): RateLimit.Permit => {
    const slot = reservation.now + reservation.wait
    let told = false
    return {
      started: (at) => {
        if (told) return
        told = true
        const written = grantedLocal + (at - grantedAt) + clock.upper()
        if (Number.isFinite(written) && written - slot > maxLateness) report(key, rate, reservation, written)
      }
    }
  }
  return permit
}

/** A call not sent: an outage began while it waited for its turn. */
const unusable: Effect.Effect<never, Failed> = Effect.flatMap(Clock.currentTimeMillis, (sentAt) =>
  Effect.fail({
    error: new RedisRateLimitError({ reason: "Unavailable", message: "an outage began while the call waited" }),
    sentAt
  }))

/** Makes the shared limiter. `answered` runs after every answer from Redis (it ends an outage). */
export const make = (
  redis: Redis,
  store: Store,
  settings: Settings,
  answered: Effect.Effect<void>
): Effect.Effect<Shared, never, Scope.Scope> =>
  Effect.gen(function*() {
    const clock = makeClockMap()
    const pauses = makePauses()
    const inTurn = makeTurns()
    /** The last reservation number this process has seen, per key. */
    const seen = new Map<string, number>()
    const runFork = yield* FiberSet.makeRuntime<never, unknown, unknown>()
    const permit = makePermits(clock, settings.maxLateness, (key, rate, reservation, writtenAt) => {
      runFork(Effect.ignore(store.started(key, reservation, writtenAt, rate.rate)))
    })
    yield* warmUp(redis, clock, settings.timeout)

    /**
     * One reservation, with the clock bounds and the pause it teaches; `received`: local ms of the answer.
     * Tells `reserved` the latest moment (Effect's clock) the slot may be.
     */
    const reserve = (key: string, rate: KeyRate, reserved: Hear | undefined) =>
      Effect.gen(function*() {
        const sent = yield* localMillis
        const sentAt = yield* Clock.currentTimeMillis
        const reservation = yield* store.reserve(key, rate.rate, undefined, seen.get(key) ?? 0).pipe(
          Effect.mapError((error): Failed => ({ error, sentAt }))
        )
        const received = yield* localMillis
        clock.observe(reservation.now, sent, received)
        pauses.learn(key, reservation.pausedUntil)
        seen.set(key, reservation.seq)
        if (reserved !== undefined) {
          // Redis's ms to Effect's clock: the latest local moment (lower bound of the offset), then from `received`.
          const now = yield* Clock.currentTimeMillis
          const shift = now - received - clock.lower()
          const first = reservation.seq - reservation.recent.length + 1
          reserved(first, reservation.recent, shift, now)
        }
        yield* answered
        return { reservation, received }
      })

    /** Sleeps until Redis's clock has surely reached `slot`: by the clock bounds, or `wait` after the answer. */
    const sleepUntil = (slot: number, wait: number, received: number) => {
      const sleep = Math.min(slot - clock.lower(), received + wait) - received
      return sleep > 0 ? Effect.sleep(Duration.millis(Math.ceil(sleep))) : Effect.void
    }

    /** Whether a call that woke at `woke` (local ms) must give up `slot`: it is too late, or in a pause. */
    const mustReserveAgain = (key: string, slot: number, woke: number) =>
      woke + clock.upper() - slot > settings.maxLateness || pauses.covers(key, slot)

    /** Reserve, sleep until the slot, start, or reserve again (attempt `n` of at most `maxAttempts`). */
    const attempt = (
      key: string,
      rate: KeyRate,
      reserved: Hear | undefined,
      n: number
    ): Effect.Effect<RateLimit.Permit, Failed> =>
      Effect.gen(function*() {
        const { received, reservation } = yield* reserve(key, rate, reserved)
        const slot = reservation.now + reservation.wait
        yield* sleepUntil(slot, reservation.wait, received)
        const woke = yield* localMillis
        if (n < maxAttempts && mustReserveAgain(key, slot, woke)) return yield* attempt(key, rate, reserved, n + 1)
        return permit(key, rate, reservation, woke, yield* Clock.currentTimeMillis)
      })

    return {
      acquire: (key, rate, options) =>
        inTurn(
          key,
          rate.burst,
          Effect.suspend(() =>
            options?.usable === undefined || options.usable() ? attempt(key, rate, options?.reserved, 1) : unusable
          )
        ),
      refused: (key, at, rate) =>
        Effect.gen(function*() {
          const refusal = yield* store.refused(key, (yield* Clock.currentTimeMillis) - at, rate.rate)
          pauses.learn(key, refusal.pausedUntil)
        }),
      redisTime: Effect.map(localMillis, (local) => {
        const lower = clock.lower()
        return Number.isFinite(lower) ? local + lower : undefined
      })
    }
  })
