/**
 * Hedged reads: a lookup call still unanswered a wide margin after it was sent (twice the p99 of the
 * recent latencies, and never less than `minDelay`) gets a second, identical call, and the first to
 * succeed wins; the other is interrupted. Lookups are idempotent, so a slow answer (a server stuck
 * until the client's timeout) costs one hedge delay instead of the timeout, and a stream does not
 * stall behind it.
 *
 * The hedge goes through `TimRest` like any call, so it waits for the rate limiter like any call and
 * is counted by it. A budget keeps hedges to a small share of calls (`budget`, default 5 %) however
 * slow the server gets, and nothing is hedged before `minSamples` latencies are known. Latency is
 * measured from the moment a call was handed to the HTTP client (after the limiter) to its answer.
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

/** The defaults. */
export const defaults: Options = { minDelay: Duration.millis(200), factor: 2, budget: 0.05, minSamples: 32 }

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
      if (count >= minSamples && count % 16 === 0) {
        const sorted = ring.slice(0, Math.min(count, window)).sort()
        p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]
      } else if (count === minSamples) {
        p99 = ring.slice(0, count).sort()[Math.floor(count * 0.99)]
      }
    },
    p99: () => p99
  }
}

/** Hedging for one command. */
export const make = (options: Options): Hedging => {
  const recent = latencies(options.minSamples)
  const minDelay = Duration.toMillis(options.minDelay)
  let tokens = 1
  const delay = () => {
    const p99 = recent.p99()
    return p99 === undefined ? undefined : Math.max(minDelay, options.factor * p99)
  }
  const timed = <A, E>(call: (sent: (at: number) => void) => Effect.Effect<A, E>, sent: Deferred.Deferred<number>) => {
    let sentAt = 0
    return call((at) => {
      sentAt = at
      Deferred.doneUnsafe(sent, Exit.succeed(at))
    }).pipe(Effect.tap(() => Effect.map(Clock.currentTimeMillis, (now) => recent.record(now - sentAt))))
  }
  return {
    run: (call) =>
      Effect.gen(function*() {
        tokens = Math.min(5, tokens + options.budget)
        const after = delay()
        const sent = yield* Deferred.make<number>()
        if (after === undefined) return yield* timed(call, sent)
        const primary = yield* Effect.forkChild(timed(call, sent))
        const slow = yield* Effect.raceFirst(
          Effect.as(Fiber.await(primary), false),
          Effect.as(Effect.andThen(Deferred.await(sent), Effect.sleep(Duration.millis(after))), true)
        )
        if (!slow || tokens < 1) return yield* Fiber.join(primary)
        tokens -= 1
        const hedge = yield* Effect.forkChild(timed(call, yield* Deferred.make<number>()))
        return yield* Effect.race(Fiber.join(primary), Fiber.join(hedge)).pipe(
          Effect.ensuring(Effect.andThen(Fiber.interrupt(primary), Fiber.interrupt(hedge)))
        )
      })
  }
}
