/**
 * The many-account forms of `PushTags`. Every input is validated first: a bad one gets its own
 * `TimValidationError` and never stops the others. Outcomes are keyed by the input value itself, so
 * an input that is not a string (and is refused) can never shadow a valid account that stringifies
 * the same. The valid inputs go through their resolver with `Effect.requestUnsafe`, one entry each
 * and no fiber each, and every one gets its outcome.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Request from "effect/Request"
import type * as RequestResolver from "effect/RequestResolver"
import * as Result from "effect/Result"
import type { TimLookupError, TimValidationError } from "../TimError.js"

/** The outcome of one input. */
export type Outcome<A> = Result.Result<A, TimLookupError | TimValidationError>

/** The requests of each input (keyed by the input), or why the input was refused. */
export type Plan<Req> = ReadonlyMap<unknown, Result.Result<ReadonlyArray<Req>, TimValidationError>>

/** Runs requests through a resolver without a fiber each; their exits come back in order. */
export const requestAll = <A extends Request.Any>(
  requests: ReadonlyArray<A>,
  resolver: RequestResolver.RequestResolver<A>
): Effect.Effect<Array<Exit.Exit<Request.Success<A>, Request.Error<A>>>> =>
  requests.length === 0 ? Effect.succeed([]) : Effect.withFiber((fiber) =>
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
export const run = <Req extends Request.Request<any, TimLookupError>, A = Request.Success<Req>>(
  plan: Plan<Req>,
  resolver: RequestResolver.RequestResolver<Req>
): Effect.Effect<ReadonlyMap<string, Outcome<A>>> => {
  const requests: Array<Req> = []
  const owners: Array<unknown> = []
  const outcomes = new Map<unknown, Outcome<A>>()
  for (const [input, planned] of plan) {
    if (Result.isFailure(planned)) outcomes.set(input, Result.fail(planned.failure))
    else for (const request of planned.success) requests.push(request), owners.push(input)
  }
  return Effect.flatMap(requestAll(requests, resolver), (exits) => {
    for (let i = 0; i < exits.length; i++) {
      const exit = exits[i] as Exit.Exit<A, TimLookupError>
      const previous = outcomes.get(owners[i])
      if (previous !== undefined && Result.isFailure(previous)) continue
      if (Exit.isSuccess(exit)) outcomes.set(owners[i], Result.succeed(exit.value))
      else {
        const error = Cause.findError(exit.cause)
        if (Result.isFailure(error)) return Effect.failCause(error.failure)
        outcomes.set(owners[i], Result.fail(error.success))
      }
    }
    return Effect.succeed(outcomes as ReadonlyMap<string, Outcome<A>>)
  })
}
