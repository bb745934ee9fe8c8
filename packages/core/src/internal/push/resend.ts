/**
 * The one road a push takes at the retry: a push is resent only when Tencent certainly did not take
 * it, because a resend of a push it did take is a second notification on every phone (`MsgRandom`
 * de-duplicates only within one second, and a resend after a 3 s server timeout is always later).
 *
 * Every failed attempt gets a verdict:
 * - `refused`: certainly not taken, so resent (the same body, the same `MsgRandom`): a frequency-limit
 *   answer (60007 and the like, 90024 "pushes less than a second apart", 90051, HTTP 429), or a
 *   network failure or timeout before the request was written (`RequestWrites`; a platform that
 *   cannot see the write counts every request as written);
 * - `rejected`: the server answered that it will not do it (any other error code): not resent, the
 *   error is the answer;
 * - `unknown`: it may have been taken: a timeout or reset after the write, a 5xx or non-JSON answer,
 *   91000 and the other server-busy codes. Never resent, whatever the retry policy: the caller gets
 *   the failure with `unknown: true`, to report as an outcome-unknown error.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Envelope from "../../Envelope.js"
import { type TimCallError, TimOutcomeUnknownError } from "../../TimError.js"
import type { Command, Service as Rest } from "../../TimRest.js"

/** What a failed attempt says about whether Tencent took the push. */
export type Verdict = "refused" | "rejected" | "unknown"

/** The verdict on one failed attempt, given whether its request was written. */
export const verdict = (error: TimCallError, written: boolean): Verdict => {
  switch (error._tag) {
    case "TimApiError":
      if (error.reason === "RateLimited") return "refused"
      return error.reason === "ServerBusy" ? "unknown" : "rejected"
    case "TimTransportError":
      if (error.kind === "HttpStatus") return error.status === 429 ? "refused" : "unknown"
      return written || error.kind !== "Network" && error.kind !== "Timeout" ? "unknown" : "refused"
    case "TimDecodeError":
      return "unknown"
  }
}

/** How a push ended when it did not succeed. */
export interface Failed {
  readonly error: TimCallError
  /** Whether Tencent may have taken it. */
  readonly unknown: boolean
  /** Attempts made (the first included). */
  readonly attempts: number
}

/**
 * Runs `attempt` (one request, which reports through `written` that it reached the network) until it
 * succeeds, is rejected, ends unknown, or has been refused `maxAttempts` times. A refused request
 * waits `backoff(n)` before the n-th resend (frequency limits also wait in the rate limiter).
 */
export const withResends = <A>(
  attempt: (written: () => void) => Effect.Effect<A, TimCallError>,
  maxAttempts: number,
  backoff: (resend: number) => Effect.Effect<void>
): Effect.Effect<A, Failed> => {
  const loop = (n: number): Effect.Effect<A, Failed> => {
    let written = false
    return attempt(() => {
      written = true
    }).pipe(
      Effect.catch((error) => {
        const found = verdict(error, written)
        if (found !== "refused" || n >= maxAttempts) {
          return Effect.fail({ error, unknown: found === "unknown", attempts: n })
        }
        return Effect.andThen(backoff(n), loop(n + 1))
      })
    )
  }
  return Effect.suspend(() => loop(1))
}

/** Attempts of a push that Tencent refused for its frequency (resends included), unless an option says otherwise. */
export const defaultMaxAttempts = 3

/** The backoff before the n-th resend of a push refused before it was written: 100 ms, 200 ms, … */
const backoff = (n: number) => Effect.sleep(100 * 2 ** (n - 1))

/** One push request: what to send, and what an outcome-unknown error says of it. */
export interface Send<A> {
  readonly command: Command
  readonly body: unknown
  readonly decoder: Envelope.Decoder<A>
  /** Whom it is for, as `TimOutcomeUnknownError.target` says it. */
  readonly target: string
  /** Its `MsgRandom` (a scheduled push has none). */
  readonly msgRandom?: number | undefined
  readonly maxAttempts: number
}

/**
 * Sends one push request through `rest` (never idempotent), resent only when refused; an ambiguous end becomes
 * a `TimOutcomeUnknownError`. The answer comes with the time it was first sent.
 */
export const send = <A extends Envelope.Envelope>(
  rest: Rest,
  request: Send<A>
): Effect.Effect<{ readonly answer: A; readonly sentAt: number }, TimCallError | TimOutcomeUnknownError> =>
  Effect.flatMap(Clock.currentTimeMillis, (sentAt) =>
    withResends(
      (written) => rest.call(request.command, request.body, request.decoder, { idempotent: false, written }),
      request.maxAttempts,
      backoff
    ).pipe(
      Effect.mapError((failed): TimCallError | TimOutcomeUnknownError =>
        failed.unknown
          ? new TimOutcomeUnknownError({
            command: request.command,
            ...(request.msgRandom === undefined ? {} : { msgRandom: request.msgRandom }),
            target: request.target,
            sentAt,
            attempts: failed.attempts,
            detail: failed.error.message
          })
          : failed.error
      ),
      Effect.map((answer) => ({ answer, sentAt }))
    ))
