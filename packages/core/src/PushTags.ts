/**
 * The push-tag service applications use. `getTags` looks one account up: lookups from any fiber
 * within a short window are coalesced into `get_tag` calls of up to 100 distinct accounts, and
 * every caller gets its own account's answer. `getTagsMany` looks up any number of accounts at
 * once (chunked at 100, duplicates sent once) and reports each account's outcome separately.
 *
 * Results are matched to accounts by `To_Account`, never by position. An account in the server's
 * `ErrorList` (70107: it does not exist) fails with a `TimAccountError`, never an empty list; an
 * existing account without tags gets `[]` whether the server sends `Tags: []` or leaves `Tags` out.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Request from "effect/Request"
import * as RequestResolver from "effect/RequestResolver"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Account from "./Account.js"
import * as Envelope from "./Envelope.js"
import * as Coalescer from "./internal/Coalescer.js"
import { TimRest } from "./TimRest.js"
import { type TimLookupError, TimAccountError, TimDecodeError, type TimValidationError } from "./TimError.js"

/**
 * An account's tags.
 *
 * @since 0.1.0
 * @category models
 */
export type Tags = ReadonlyArray<string>

/**
 * The outcome of one account in a many-account call.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome<A> = Either.Either<A, TimLookupError | TimValidationError>

/**
 * One account's outcome in a stream.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamItem<A> {
  readonly account: string
  readonly result: Outcome<A>
}

/**
 * Progress of a stream so far.
 *
 * @since 0.1.0
 * @category models
 */
export interface Progress {
  /** Accounts with an outcome. */
  readonly accounts: number
  /** Of those, the failed ones. */
  readonly failed: number
  /** Milliseconds since the stream started. */
  readonly elapsedMillis: number
}

/**
 * Options of `getTagsStream`.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamOptions {
  /** Called after each chunk of (up to 100) accounts completes. */
  readonly onProgress?: ((progress: Progress) => void) | undefined
  /** Calls in flight at once; default the service's `concurrency`. */
  readonly concurrency?: number | undefined
}

/**
 * The push-tag operations.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** One account's tags. */
  readonly getTags: (account: string) => Effect.Effect<Tags, TimLookupError | TimValidationError>
  /** Many accounts' tags, each account with its own outcome (keyed by the input value). */
  readonly getTagsMany: (accounts: Iterable<string>) => Effect.Effect<ReadonlyMap<string, Outcome<Tags>>>
  /**
   * Tags of a stream of accounts of any length, in input order, in bounded memory: accounts are
   * read in chunks of 100 and at most `concurrency` calls are in flight. Duplicates are merged
   * within a chunk only.
   */
  readonly getTagsStream: <E, R>(
    accounts: Stream.Stream<string, E, R>,
    options?: StreamOptions
  ) => Stream.Stream<StreamItem<Tags>, E, R>
}

/**
 * The `PushTags` service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class PushTags extends Context.Tag("@timtags/core/PushTags")<PushTags, Service>() {}

/**
 * A request for one account's tags, served by `getTagsResolver`.
 *
 * @since 0.1.0
 * @category requests
 */
export class GetTags extends Request.TaggedClass("GetTags")<Tags, TimLookupError, { readonly account: string }> {}

/**
 * Options of the service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** How long a lookup waits for others to share its call; default 5 ms. */
  readonly window?: Duration.DurationInput | undefined
  /** Distinct accounts per call; default (and at most) 100. */
  readonly maxBatchSize?: number | undefined
  /** REST calls in flight at once for one batch; default 32 (the rate limiter paces them). */
  readonly concurrency?: number | undefined
}

/**
 * Defaults of the service.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = { window: Duration.millis(5), maxBatchSize: Account.maxPerCall, concurrency: 32 } as const

const command = "timpush/get_tag"

/**
 * The batched resolver behind `GetTags`: dedupes accounts, chunks them at `maxBatchSize`, calls
 * `get_tag` per chunk and completes every request from its own account's entry.
 *
 * @since 0.1.0
 * @category resolvers
 */
export const getTagsResolver = (
  rest: TimRest["Type"],
  options: { readonly maxBatchSize: number; readonly concurrency: number }
): RequestResolver.RequestResolver<GetTags> =>
  RequestResolver.makeBatched((requests: ReadonlyArray<GetTags>) => {
    const byAccount = new Map<string, Array<GetTags>>()
    for (const request of requests) {
      const same = byAccount.get(request.account)
      if (same === undefined) byAccount.set(request.account, [request])
      else same.push(request)
    }
    const completeAll = (accounts: ReadonlyArray<string>, result: (account: string) => Either.Either<Tags, TimLookupError>) =>
      Effect.forEach(accounts, (account) => {
        const outcome = result(account)
        return Effect.forEach(byAccount.get(account)!, (request) =>
          Either.isRight(outcome) ? Request.succeed(request, outcome.right) : Request.fail(request, outcome.left), {
          discard: true
        })
      }, { discard: true })
    return Effect.forEach(
      Account.chunksOf([...byAccount.keys()], options.maxBatchSize),
      (chunk) =>
        rest.call(command, { To_Account: chunk }, Envelope.GetTagResponse, { accounts: chunk.length }).pipe(
          Effect.matchEffect({
            onFailure: (error) => completeAll(chunk, () => Either.left(error)),
            onSuccess: (response) => {
              const tags = new Map(response.UserTags.map((entry) => [entry.To_Account, entry.Tags] as const))
              const failed = new Map(response.ErrorList.map((entry) => [entry.To_Account, entry] as const))
              return completeAll(chunk, (account) => {
                const found = tags.get(account)
                if (found !== undefined) return Either.right(found)
                const error = failed.get(account)
                if (error !== undefined) {
                  return Either.left(TimAccountError.fromEntry(command, account, error.ErrorCode, error.ErrorInfo))
                }
                return Either.left(
                  new TimDecodeError({ command, detail: `the answer has neither tags nor an error for ${JSON.stringify(account)}` })
                )
              })
            }
          })
        ),
      { concurrency: options.concurrency, discard: true }
    )
  })

/**
 * Builds the service on a `TimRest`; needs a scope for its batching fiber set.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, TimRest | Scope.Scope> =>
  Effect.gen(function*() {
    const rest = yield* TimRest
    const maxBatchSize = Math.min(options.maxBatchSize ?? defaults.maxBatchSize, Account.maxPerCall)
    const concurrency = options.concurrency ?? defaults.concurrency
    const resolver = getTagsResolver(rest, { maxBatchSize, concurrency })
    const lookup = yield* Coalescer.make(resolver, (account) => new GetTags({ account }), {
      window: options.window ?? defaults.window,
      maxBatchSize
    })

    const getTags = (account: string): Effect.Effect<Tags, TimLookupError | TimValidationError> =>
      Effect.flatMap(Account.validate(account), lookup).pipe(Effect.withSpan("PushTags.getTags"))

    const lookupAll = (accounts: Iterable<string>) =>
      Effect.gen(function*() {
        const results = new Map<string, Outcome<Tags>>()
        const valid = new Set<string>()
        for (const value of accounts) {
          const key = String(value)
          if (results.has(key) || valid.has(key)) continue
          const checked = Account.validate(value)
          if (Either.isLeft(checked)) results.set(key, Either.left(checked.left))
          else valid.add(checked.right)
        }
        const outcomes = yield* Effect.forEach(
          valid,
          (account) => Effect.either(Effect.request(new GetTags({ account }), resolver)),
          { batching: true }
        )
        let i = 0
        for (const account of valid) results.set(account, outcomes[i++]!)
        return results as ReadonlyMap<string, Outcome<Tags>>
      })

    const getTagsMany = (accounts: Iterable<string>) => lookupAll(accounts).pipe(Effect.withSpan("PushTags.getTagsMany"))

    const getTagsStream = <E, R>(accounts: Stream.Stream<string, E, R>, streamOptions: StreamOptions = {}) =>
      Stream.suspend(() => {
        const started = Date.now()
        let done = 0
        let failed = 0
        return accounts.pipe(
          Stream.grouped(maxBatchSize),
          Stream.mapEffect((chunk) =>
            Effect.map(lookupAll(chunk), (results) => {
              const items = Array.from(chunk, (account): StreamItem<Tags> => ({ account, result: results.get(String(account))! }))
              done += items.length
              failed += items.filter((item) => Either.isLeft(item.result)).length
              streamOptions.onProgress?.({ accounts: done, failed, elapsedMillis: Date.now() - started })
              return items
            }), { concurrency: streamOptions.concurrency ?? concurrency }),
          Stream.flattenIterables
        )
      })

    return { getTags, getTagsMany, getTagsStream }
  })

/**
 * The service as a layer over `TimRest`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<PushTags, never, TimRest> => Layer.scoped(PushTags, make(options))
