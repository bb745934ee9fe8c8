/**
 * The many-account forms of `PushTags`. Every input is validated first (see `Plans`): a bad one gets
 * its own `TimValidationError` and never stops the others. Outcomes are keyed by the input value
 * itself, so an input that is not a string (and is refused) can never shadow a valid account that
 * stringifies the same.
 *
 * The valid inputs' requests go to their resolver with `Effect.requestUnsafe` (one entry each, no
 * fiber each) a call's worth at a time, with at most `concurrency` of those in flight: memory stays
 * bounded by what is in flight, however many accounts there are, and registering them never holds
 * the event loop for long.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Request from "effect/Request"
import type * as RequestResolver from "effect/RequestResolver"
import * as Result from "effect/Result"
import { chunksOf } from "../Account.js"
import type { TimLookupError, TimValidationError } from "../TimError.js"

/** The outcome of one input. */
export type Outcome<A> = Result.Result<A, TimLookupError | TimValidationError>

/** What to send for many inputs: each request with the input it is for, and the inputs refused. */
export interface Plan<Req> {
  readonly requests: ReadonlyArray<Req>
  /** `owners[i]` is the input `requests[i]` is for (an input may have several requests). */
  readonly owners: ReadonlyArray<unknown>
  readonly refused: ReadonlyMap<unknown, TimValidationError>
}

/** How many requests go to the resolver at once, and how many such parts may be in flight. */
export interface Pace {
  readonly partSize: number
  readonly concurrency: number
}

/** Runs requests through a resolver without a fiber each; their exits come back in order. */
export const requestAll = <A extends Request.Any>(
  requests: ReadonlyArray<A>,
  resolver: RequestResolver.RequestResolver<A>
): Effect.Effect<Array<Exit.Exit<Request.Success<A>, Request.Error<A>>>> =>
  requests.length === 0 ?
    Effect.succeed([]) :
    Effect.withFiber((fiber) =>
      Effect.callback<Array<Exit.Exit<Request.Success<A>, Request.Error<A>>>>((resume) => {
        const exits = new Array<Exit.Exit<Request.Success<A>, Request.Error<A>>>(requests.length)
        let pending = requests.length
        const cancels = requests.map((request, i) =>
          Effect.requestUnsafe(request, {
            resolver,
            context: fiber.context,
            onExit: (exit) => {
              exits[i] = exit
              if (--pending === 0) resume(Effect.succeed(exits))
            }
          })
        )
        return Effect.sync(() => {
          for (const cancel of cancels) cancel()
        })
      })
    )

/**
 * Runs a plan: each input's outcome is its refusal, else the first failure among its requests, else
 * its success. A request that ended without a typed error (a defect) fails the whole effect.
 */
export const run = <Req extends Request.Request<unknown, TimLookupError>, A = Request.Success<Req>>(
  plan: Plan<Req>,
  resolver: RequestResolver.RequestResolver<Req>,
  pace: Pace
): Effect.Effect<ReadonlyMap<string, Outcome<A>>> =>
  Effect.forEach(chunksOf(plan.requests, pace.partSize), (part) => requestAll(part, resolver), {
    concurrency: pace.concurrency
  }).pipe(Effect.flatMap((parts) => {
    const outcomes = new Map<unknown, Outcome<A>>()
    for (const [input, refusal] of plan.refused) outcomes.set(input, Result.fail(refusal))
    let i = 0
    for (const exits of parts) {
      for (const exit of exits as Array<Exit.Exit<A, TimLookupError>>) {
        const owner = plan.owners[i++]
        const previous = outcomes.get(owner)
        if (previous !== undefined && Result.isFailure(previous)) continue
        if (Exit.isSuccess(exit)) outcomes.set(owner, Result.succeed(exit.value))
        else {
          const error = Cause.findError(exit.cause)
          if (Result.isFailure(error)) return Effect.failCause(error.failure)
          outcomes.set(owner, Result.fail(error.success))
        }
      }
    }
    return Effect.succeed(outcomes as ReadonlyMap<string, Outcome<A>>)
  }))
