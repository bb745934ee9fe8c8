/**
 * The daily push quota (10 pushes a day on the free edition, 100 on the paid ones, more if bought),
 * counted in the rate limiter's store so that every process sharing it shares the count. It is
 * advisory: the console and other services push under the same SDKAppID, so Tencent's 90047 is the
 * final word. A push takes one use before it is sent; it gives it back when Tencent certainly did
 * not take the push, keeps it when the outcome is unknown, and a 90047 marks the day used up.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as RateLimit from "../../RateLimit.js"
import { TimQuotaError } from "../../TimError.js"

const day = 24 * 60 * 60 * 1000

/** The next midnight (epoch ms) in the time zone `utcOffset` hours from UTC, after `now`. */
export const nextReset = (now: number, utcOffset: number): number => {
  const offset = utcOffset * 60 * 60 * 1000
  return (Math.floor((now + offset) / day) + 1) * day - offset
}

/** The quota of one SDKAppID's pushes. */
export interface DailyQuota {
  /** Runs `push` within the quota: refused before it when the day's quota is used up. */
  readonly around: <A, E extends { readonly _tag: string; readonly code?: number }>(
    push: Effect.Effect<A, E>
  ) => Effect.Effect<A, E | TimQuotaError>
}

/** A quota of `max` pushes a day under `key` (`false`: not counted). */
export const make = (
  store: RateLimit.Quota,
  key: string,
  max: number | false,
  utcOffset: number
): DailyQuota => ({
  around: <A, E extends { readonly _tag: string; readonly code?: number }>(
    push: Effect.Effect<A, E>
  ): Effect.Effect<A, E | TimQuotaError> =>
    max === false ? push : Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const resetsAt = nextReset(now, utcOffset)
      const exhausted = (source: "client" | "server") =>
        new TimQuotaError({ command: "timpush/push", quota: max, resetsAt, source })
      return Effect.flatMap(store.take(key, max, resetsAt), (taken) =>
        !taken ? Effect.fail(exhausted("client")) : push.pipe(
          Effect.catch((error): Effect.Effect<never, E | TimQuotaError> => {
            if (error._tag === "TimOutcomeUnknownError") {
              return Effect.fail(error)
            }
            if (error._tag === "TimApiError" && error.code === 90047) {
              return Effect.andThen(store.exhaust(key, max, resetsAt), Effect.fail(exhausted("server")))
            }
            return Effect.andThen(store.giveBack(key, resetsAt), Effect.fail(error))
          })
        ))
    })
})
