/**
 * The batched resolvers behind `PushTags`: each takes the requests of one batch, plans REST calls
 * (at most `maxPerCall` accounts per call, each account at most once per call, calls in "rounds" so
 * that a second request for the same account goes out after the first), makes them, and completes
 * every request from its own account's part of the answer: `ErrorList` entries fail only their
 * account, a whole-call failure fails only the requests of that call.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Request from "effect/Request"
import * as RequestResolver from "effect/RequestResolver"
import type * as Schema from "effect/Schema"
import * as Account from "../Account.js"
import * as Envelope from "../Envelope.js"
import type { AddTags, ClearAllTags, GetTags, RemoveTags } from "../TagRequests.js"
import { TimAccountError, TimDecodeError, type TimLookupError } from "../TimError.js"
import type { Command, Service as TimRest } from "../TimRest.js"

/** How resolvers size and pace their calls. */
export interface Options {
  readonly maxPerCall: number
  readonly concurrency: number
}

type AccountRequest<S> = Request.Request<S, TimLookupError> & { readonly account: string }

/** One account's slot in a call, and the requests its outcome completes. */
interface Slot<R> {
  readonly account: string
  readonly requests: ReadonlyArray<R>
}

/** Splits slots into rounds (k-th slot of each account in round k), each chunked for calls. */
export const plan = <S extends { readonly account: string }>(slots: Iterable<S>, maxPerCall: number): Array<Array<Array<S>>> => {
  const rounds: Array<Array<S>> = []
  const seen = new Map<string, number>()
  for (const slot of slots) {
    const round = seen.get(slot.account) ?? 0
    seen.set(slot.account, round + 1)
    ;(rounds[round] ??= []).push(slot)
  }
  return rounds.map((round) => Account.chunksOf(round, maxPerCall))
}

/** Makes one call for `slots` and completes each slot's requests from the answer. */
const callAndComplete = <S, A extends Envelope.Envelope, I>(
  rest: TimRest,
  command: Command,
  slots: ReadonlyArray<Slot<AccountRequest<S>>>,
  body: unknown,
  schema: Schema.Schema<A, I>,
  success: (response: A, account: string) => Either.Either<S, TimLookupError>
): Effect.Effect<void> => {
  const completeSlot = (slot: Slot<AccountRequest<S>>, outcome: Either.Either<S, TimLookupError>) =>
    Effect.forEach(
      slot.requests,
      (request) => Either.isRight(outcome) ? Request.succeed(request, outcome.right) : Request.fail(request, outcome.left),
      { discard: true }
    )
  return rest.call(command, body, schema, { accounts: slots.length }).pipe(
    Effect.matchEffect({
      onFailure: (error) => Effect.forEach(slots, (slot) => completeSlot(slot, Either.left(error)), { discard: true }),
      onSuccess: (response) => {
        const failed = new Map(response.ErrorList.map((entry) => [entry.To_Account, entry] as const))
        return Effect.forEach(slots, (slot) => {
          const entry = failed.get(slot.account)
          return completeSlot(
            slot,
            entry !== undefined
              ? Either.left(TimAccountError.fromEntry(command, slot.account, entry.ErrorCode, entry.ErrorInfo))
              : success(response, slot.account)
          )
        }, { discard: true })
      }
    })
  )
}

/** Runs planned rounds one after the other, the calls of a round concurrently. */
const runRounds = <S>(
  rounds: Array<Array<Array<S>>>,
  concurrency: number,
  run: (chunk: ReadonlyArray<S>) => Effect.Effect<void>
) => Effect.forEach(rounds, (round) => Effect.forEach(round, run, { concurrency, discard: true }), { discard: true })

const getCommand: Command = "timpush/get_tag"

/** `get_tag`: requests for the same account share one slot; an account missing from the answer is a decode error. */
export const getTags = (rest: TimRest, options: Options): RequestResolver.RequestResolver<GetTags> =>
  RequestResolver.makeBatched((requests: ReadonlyArray<GetTags>) => {
    const byAccount = new Map<string, Array<GetTags>>()
    for (const request of requests) {
      const same = byAccount.get(request.account)
      if (same === undefined) byAccount.set(request.account, [request])
      else same.push(request)
    }
    const slots = [...byAccount].map(([account, same]) => ({ account, requests: same }))
    return runRounds(plan(slots, options.maxPerCall), options.concurrency, (chunk) =>
      callAndComplete(
        rest,
        getCommand,
        chunk,
        { To_Account: chunk.map((slot) => slot.account) },
        Envelope.GetTagResponse,
        (response, account) => {
          const entry = response.UserTags.find((e) => e.To_Account === account)
          return entry !== undefined ? Either.right(entry.Tags) : Either.left(
            new TimDecodeError({
              command: getCommand,
              detail: `the answer has neither tags nor an error for ${JSON.stringify(account)}`
            })
          )
        }
      ))
  })

/** A write resolver: one command, a body built from the slots of one call, success = not in `ErrorList`. */
const write = <R extends AccountRequest<void>>(
  rest: TimRest,
  options: Options,
  command: Command,
  body: (requests: ReadonlyArray<R>) => unknown,
  callGroup: (request: R) => string = () => ""
): RequestResolver.RequestResolver<R> =>
  RequestResolver.makeBatched((requests: ReadonlyArray<R>) => {
    const groups = new Map<string, Array<Slot<R>>>()
    for (const request of requests) {
      const key = callGroup(request)
      const slot = { account: request.account, requests: [request] }
      const group = groups.get(key)
      if (group === undefined) groups.set(key, [slot])
      else group.push(slot)
    }
    return Effect.forEach(
      groups.values(),
      (group) =>
        runRounds(plan(group, options.maxPerCall), options.concurrency, (chunk) =>
          callAndComplete(
            rest,
            command,
            chunk,
            body(chunk.map((slot) => slot.requests[0]!)),
            Envelope.Envelope,
            () => Either.right<void>(undefined)
          )),
      { concurrency: "unbounded", discard: true }
    )
  })

/** `add_tag`; requests that add and requests that replace go in separate calls. */
export const addTags = (rest: TimRest, options: Options) =>
  write<AddTags>(
    rest,
    options,
    "timpush/add_tag",
    (requests) => ({
      Replace: requests[0]!.replace ? 1 : 0,
      UserTags: requests.map((r) => ({ To_Account: r.account, Tags: r.tags }))
    }),
    (request) => request.replace ? "replace" : "add"
  )

/** `remove_tag`. */
export const removeTags = (rest: TimRest, options: Options) =>
  write<RemoveTags>(rest, options, "timpush/remove_tag", (requests) => ({
    UserTags: requests.map((r) => ({ To_Account: r.account, Tags: r.tags }))
  }))

/** `clear_all_tags`. */
export const clearAllTags = (rest: TimRest, options: Options) =>
  write<ClearAllTags>(rest, options, "timpush/clear_all_tags", (requests) => ({
    To_Account: requests.map((r) => r.account)
  }))
