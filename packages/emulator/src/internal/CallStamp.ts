/**
 * The time a call is counted (by the rate limit) and logged (`CallRecord.at`) at. The arrival jitter first
 * holds the call for a uniform random 0 to `arrivalJitter` whole milliseconds (Effect's `Random`, then
 * `Effect.sleep` on its `Clock`), as a network between the client and the server's counter would. Then the
 * stamp is the arrival time plus that delay (`stampAtArrival`), or the handler's `Clock` time (otherwise).
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import type { RateLimitMode } from "../Emulator.js"

/** Waits out the call's jitter, then returns its stamp; `arrivedAt` is its arrival stamp, if it has one. */
export const stamp = (mode: RateLimitMode, arrivedAt: number | undefined): Effect.Effect<number> =>
  Effect.gen(function*() {
    const delay = mode.arrivalJitter > 0 ? yield* Random.nextIntBetween(0, mode.arrivalJitter) : 0
    if (delay > 0) yield* Effect.sleep(delay)
    return mode.stampAtArrival && arrivedAt !== undefined ? arrivedAt + delay : yield* Clock.currentTimeMillis
  })
