/**
 * What each command's resolver does with a batch of entries: make its REST calls (a lookup batch
 * is one call; writes are planned at most `maxPerCall` accounts per call, each account at most once
 * per call, so that a second write for the same account goes out in a later "round", after the
 * first), and complete every entry from its own account's part of the answer. `ErrorList` entries
 * fail only their account; a whole-call failure fails only the entries of that call. Results are
 * matched by `To_Account`, never by position.
 */
import type { NonEmptyArray } from "effect/Array"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Request from "effect/Request"
import * as Account from "../Account.js"
import * as Envelope from "../Envelope.js"
import { TimAccountError, TimDecodeError, type TimLookupError } from "../TimError.js"
import type { Command, Service as TimRest } from "../TimRest.js"
import type { AddTags, ClearAllTags, GetTags, RemoveTags } from "./requests.js"

/** Runs the entries of one batch, completing every one of them. */
export type Runner<A extends Request.Any> = (entries: NonEmptyArray<Request.Entry<A>>) => Effect.Effect<void>

/** What the runners need: the REST caller, a way to bound calls in flight, and the call size. */
export interface Context {
  readonly rest: TimRest
  /** Wraps each REST call (a semaphore bounding the calls in flight). */
  readonly bounded: <A, E>(call: Effect.Effect<A, E>) => Effect.Effect<A, E>
  readonly maxPerCall: number
}

/** A request for one account, succeeding with `S`. */
type ForAccount<S> = Request.Request<S, TimLookupError> & { readonly account: string }

/** Splits entries into rounds (the k-th entry of each account in round k), each chunked for calls. */
const plan = <S extends { readonly request: { readonly account: string } }>(
  entries: Iterable<S>,
  maxPerCall: number
): Array<Array<Array<S>>> => {
  const rounds: Array<Array<S>> = []
  const seen = new Map<string, number>()
  for (const entry of entries) {
    const round = seen.get(entry.request.account) ?? 0
    seen.set(entry.request.account, round + 1)
    ;(rounds[round] ??= []).push(entry)
  }
  return rounds.map((round) => Account.chunksOf(round, maxPerCall))
}

/** One command: how a chunk of entries becomes a request body, and an answer each entry's outcome. */
interface Spec<S, R extends Envelope.Envelope, Req extends ForAccount<S>> {
  readonly command: Command
  readonly decoder: Envelope.Decoder<R>
  readonly body: (chunk: ReadonlyArray<Request.Entry<Req>>) => unknown
  readonly success: (response: R) => (account: string) => Exit.Exit<S, TimLookupError>
  /** Called once a call has ended, before its entries are completed (writes count themselves here). */
  readonly ended?: (() => void) | undefined
}

/** One call for `chunk`; each entry completed from its account's part of the answer. */
const callFor =
  <S, R extends Envelope.Envelope, Req extends ForAccount<S>>(ctx: Context, spec: Spec<S, R, Req>) =>
  (chunk: ReadonlyArray<Request.Entry<Req>>): Effect.Effect<void> =>
    ctx.bounded(ctx.rest.call(spec.command, spec.body(chunk), spec.decoder, { accounts: chunk.length })).pipe(
      Effect.match({
        onFailure: (error) => {
          spec.ended?.()
          const failed = Exit.fail(error)
          for (const entry of chunk as ReadonlyArray<Request.Entry<ForAccount<S>>>) entry.completeUnsafe(failed)
        },
        onSuccess: (response) => {
          spec.ended?.()
          const failed = new Map(response.ErrorList.map((item) => [item.To_Account, item] as const))
          const resultOf = spec.success(response)
          for (const entry of chunk as ReadonlyArray<Request.Entry<ForAccount<S>>>) {
            const { account } = entry.request
            const item = failed.get(account)
            entry.completeUnsafe(
              item !== undefined
                ? Exit.fail(
                  new TimAccountError({ command: spec.command, account, code: item.ErrorCode, info: item.ErrorInfo })
                )
                : resultOf(account)
            )
          }
        }
      })
    )

/** A runner making the command's calls: rounds one after the other, the calls of a round together. */
const runner = <S, R extends Envelope.Envelope, Req extends ForAccount<S>>(
  ctx: Context,
  spec: Spec<S, R, Req>
): Runner<Req> => {
  const call = callFor(ctx, spec)
  return (entries) =>
    Effect.forEach(
      plan(entries, ctx.maxPerCall),
      (round) => Effect.forEach(round, call, { concurrency: "unbounded", discard: true }),
      { discard: true }
    )
}

const getCommand: Command = "timpush/get_tag"

const accountsOf = (chunk: ReadonlyArray<Request.Entry<ForAccount<unknown>>>) =>
  chunk.map((entry) => entry.request.account)

/**
 * `get_tag`; an account missing from both `UserTags` and `ErrorList` is a decode error. A lookup
 * batch is one call: `Sharing` merges lookups of one account and the resolver caps a batch at
 * `maxPerCall` entries, so its accounts are distinct and fit; no rounds to plan.
 */
export const getTags = (ctx: Context): Runner<GetTags> =>
  callFor(ctx, {
    command: getCommand,
    decoder: Envelope.getTagResponse,
    body: (chunk) => ({ To_Account: accountsOf(chunk) }),
    success: (response) => {
      const tags = new Map(response.UserTags.map((item) => [item.To_Account, item.Tags] as const))
      return (account) => {
        const found = tags.get(account)
        return found !== undefined ? Exit.succeed(found) : Exit.fail(
          new TimDecodeError({
            command: getCommand,
            detail: `the answer has neither tags nor an error for ${JSON.stringify(account)}`
          })
        )
      }
    }
  })

const written = () => () => Exit.void

/**
 * A write command: answered with the envelope alone, planned in rounds; `ended` is told when each
 * call has ended, before its callers resume.
 */
const write = <Req extends ForAccount<void>>(
  ctx: Context,
  command: Command,
  body: (chunk: ReadonlyArray<Request.Entry<Req>>) => unknown,
  ended: () => void
): Runner<Req> => runner(ctx, { command, decoder: Envelope.envelope, body, success: written, ended })

const userTags = (chunk: ReadonlyArray<Request.Entry<AddTags | RemoveTags>>) =>
  chunk.map(({ request }) => ({ To_Account: request.account, Tags: request.tags }))

/** `add_tag` with `Replace` 0 (add to the user's tags) or, with `replace`, 1 (overwrite them all). */
export const addTags = (ctx: Context, replace: boolean, ended: () => void): Runner<AddTags> =>
  write(ctx, "timpush/add_tag", (chunk) => ({ Replace: replace ? 1 : 0, UserTags: userTags(chunk) }), ended)

/** `remove_tag`. */
export const removeTags = (ctx: Context, ended: () => void): Runner<RemoveTags> =>
  write(ctx, "timpush/remove_tag", (chunk) => ({ UserTags: userTags(chunk) }), ended)

/** `clear_all_tags`. */
export const clearAllTags = (ctx: Context, ended: () => void): Runner<ClearAllTags> =>
  write(ctx, "timpush/clear_all_tags", (chunk) => ({ To_Account: accountsOf(chunk) }), ended)
