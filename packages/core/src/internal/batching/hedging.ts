/**
 * Hedged reads: a lookup call still unanswered a wide margin after it was sent (twice the p99 of the
 * recent latencies, and never less than `minDelay`) gets a second, identical call, and the first to
 * succeed wins; the other is interrupted (a hedge that is slow too gets one more, `maxHedges`). Lookups are idempotent, so a slow answer (a server stuck
 * until the client's timeout) costs one hedge delay instead of the timeout, and a stream does not
 * stall behind it.
 *
 * The hedge goes through `TimRest` like any call, so it waits for the rate limiter like any call and
 * is counted by it. A budget keeps hedges to a small share of calls (`budget`, default 5 %) however
 * slow the server gets. Latency is measured from the moment a call's latest attempt was handed to
 * the HTTP client (after the limiter) to its answer, and so is the hedge delay: a retried call is
 * not hedged just after its retry went out. A call that starts before any latency is known is not
 * hedged; until `minSamples` are known, the delay is `unknownDelay` (1 s, or `minDelay` if longer),
 * read when the timer runs out.
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"

/** Hedging settings. */
export interface Options {
  /** Never hedge sooner than this after a call was sent (default 200 ms). */
  readonly minDelay: Duration.Duration
  /** Hedge after this many times the recent p99 latency (default 2). */
  readonly factor: number
  /** At most this share of calls is hedged, over time (default 0.05). */
  readonly budget: number
  /** Latencies to know before hedging at all (default 32). */
  readonly minSamples: number
}

/** One read command's hedging. */
export interface Hedging {
  /**
   * Runs `call` (which reports when it was handed to the HTTP client through `sent`), hedging it
   * with a second run when it is slow.
   */
  readonly run: <A, E>(call: (sent: (at: number) => void) => Effect.Effect<A, E>) => Effect.Effect<A, E>
}

const window = 128

/** Recent latencies (a ring of the last 128), with their p99 recomputed every 16 samples. */
const latencies = (minSamples: number) => {
  const ring = new Float64Array(window)
  let count = 0
  let p99: number | undefined
  return {
    record: (millis: number) => {
      ring[count++ % window] = millis
      if (count >= minSamples && (count % 16 === 0 || count === minSamples)) {
        const sorted = ring.slice(0, Math.min(count, window)).sort()
        p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]
      }
    },
    p99: () => p99,
    /** Whether any latency is known yet. */
    known: () => count > 0
  }
}

/** The hedge delay while fewer than `minSamples` latencies are known (or `minDelay`, if longer). */
export const unknownDelay: Duration.Duration = Duration.seconds(1)

/** Hedges per call at most: a hedge that is slow too gets one more. */
export const maxHedges = 2

/** A run of a call: its fiber, whether an attempt was sent, and when the latest was. */
interface Run<A, E> {
  readonly fiber: Fiber.Fiber<A, E>
  readonly sent: Deferred.Deferred<void>
  readonly sentAt: { value: number }
}

/** Hedging for one command. */
export const make = (options: Options): Hedging => {
  const recent = latencies(options.minSamples)
  const minDelay = Duration.toMillis(options.minDelay)
  const fallback = Math.max(minDelay, Duration.toMillis(unknownDelay))
  let tokens = 1
  const delay = () => {
    const p99 = recent.p99()
    return p99 === undefined ? fallback : Math.max(minDelay, options.factor * p99)
  }
  const start = <A, E>(call: (sent: (at: number) => void) => Effect.Effect<A, E>): Effect.Effect<Run<A, E>> =>
    Effect.gen(function*() {
      const sent = yield* Deferred.make<void>()
      const sentAt = { value: 0 }
      const fiber = yield* Effect.forkChild(timed(call, (at) => {
        sentAt.value = at
        Deferred.doneUnsafe(sent, Exit.void)
      }, recent))
      return { fiber, sent, sentAt }
    })
  // Slow: still unanswered `delay()` after its latest attempt was sent.
  const overdue = (run: Run<unknown, unknown>): Effect.Effect<boolean> =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const due = run.sentAt.value + delay()
      return now >= due ? Effect.succeed(true) : Effect.andThen(Effect.sleep(Duration.millis(due - now)), overdue(run))
    })
  /** Waits for `run`, hedging it when it is slow (and the hedge in turn, `hedges` times in all). */
  const hedged = <A, E>(
    call: (sent: (at: number) => void) => Effect.Effect<A, E>,
    run: Run<A, E>,
    hedges: number
  ): Effect.Effect<A, E> =>
    Effect.gen(function*() {
      const slow = yield* Effect.raceFirst(
        Effect.as(Fiber.await(run.fiber), false),
        Effect.andThen(Deferred.await(run.sent), overdue(run))
      )
      if (!slow || hedges === 0 || tokens < 1) return yield* Fiber.join(run.fiber)
      tokens -= 1
      const hedge = yield* start(call)
      return yield* Effect.race(Fiber.join(run.fiber), hedged(call, hedge, hedges - 1)).pipe(
        Effect.ensuring(Effect.andThen(Fiber.interrupt(run.fiber), Fiber.interrupt(hedge.fiber)))
      )
    })
  return {
    run: (call) =>
      Effect.gen(function*() {
        tokens = Math.min(5, tokens + options.budget)
        // Nothing known yet (a service's first calls): no hedge, and no fiber of its own. A call forked
        // here could be resumed from another request's I/O in an edge runtime (workerd cancels that).
        if (!recent.known()) return yield* timed(call, () => {}, recent)
        return yield* hedged(call, yield* start(call), maxHedges)
      })
  }
}

/** Runs `call`, telling `sent` when each attempt went, and records its latency (from the latest attempt). */
const timed = <A, E>(
  call: (sent: (at: number) => void) => Effect.Effect<A, E>,
  sent: (at: number) => void,
  recent: ReturnType<typeof latencies>
) => {
  let sentAt = 0
  return call((at) => {
    sentAt = at
    sent(at)
  }).pipe(Effect.tap(() => Effect.map(Clock.currentTimeMillis, (now) => recent.record(now - sentAt))))
}
