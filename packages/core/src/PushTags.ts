/**
 * The push-tag service applications use: read (`getTags`, `getTagsMany`, `getTagsStream`) and
 * write (`addTags`, `removeTags`, `clearAllTags`, each also for many accounts) push tags.
 *
 * Single-account operations from any fiber within a short window are coalesced into shared REST
 * calls of up to 100 accounts; many-account operations are chunked at 100 with duplicates merged.
 * Every account gets its own outcome: results are matched by `To_Account`, never by position; an
 * account in the server's `ErrorList` (70107: it does not exist, 90035: tag bound to the other
 * account type, …) fails with a `TimAccountError`, never an empty list; a whole-call failure fails
 * only the accounts of that call. An existing account without tags reads as `[]` whether the server
 * sends `Tags: []` or leaves `Tags` out.
 *
 * Reads never see an earlier window's answer: a lookup joins only a batch that has not been sent,
 * so a `getTags` issued after an `addTags` for the same account completed sees the write.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Account from "./Account.js"
import * as Coalescer from "./internal/Coalescer.js"
import * as Resolvers from "./internal/resolvers.js"
import * as Tag from "./Tag.js"
import { AddTags, ClearAllTags, GetTags, RemoveTags } from "./TagRequests.js"
import type { TimLookupError, TimValidationError } from "./TimError.js"
import { TimRest } from "./TimRest.js"

/**
 * An account's tags.
 *
 * @since 0.1.0
 * @category models
 */
export type Tags = ReadonlyArray<string>

/**
 * The outcome of one account in a many-account operation.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome<A> = Either.Either<A, TimLookupError | TimValidationError>

/**
 * The errors of a single-account operation.
 *
 * @since 0.1.0
 * @category models
 */
export type Failure = TimLookupError | TimValidationError

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
 * Options of `addTags`: `replace: true` overwrites all of the account's tags (`Replace: 1`).
 *
 * @since 0.1.0
 * @category models
 */
export interface AddOptions {
  readonly replace?: boolean | undefined
}

/**
 * Tags for one account, in many-account writes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry {
  readonly account: string
  readonly tags: Iterable<string>
}

/**
 * The push-tag operations.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** One account's tags. */
  readonly getTags: (account: string) => Effect.Effect<Tags, Failure>
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
  /**
   * Adds tags to an account (or, with `replace`, overwrites all its tags). More than 10 tags without
   * `replace` go out as several requests of 10; a replace is always one request (at most 100 tags).
   */
  readonly addTags: (account: string, tags: Iterable<string>, options?: AddOptions) => Effect.Effect<void, Failure>
  /** `addTags` for many accounts; an account listed twice gets the union of its tags. */
  readonly addTagsMany: (entries: Iterable<Entry>, options?: AddOptions) => Effect.Effect<ReadonlyMap<string, Outcome<void>>>
  /** Removes some tags of an account. */
  readonly removeTags: (account: string, tags: Iterable<string>) => Effect.Effect<void, Failure>
  /** `removeTags` for many accounts. */
  readonly removeTagsMany: (entries: Iterable<Entry>) => Effect.Effect<ReadonlyMap<string, Outcome<void>>>
  /** Removes every tag of an account. */
  readonly clearAllTags: (account: string) => Effect.Effect<void, Failure>
  /** `clearAllTags` for many accounts. */
  readonly clearAllTagsMany: (accounts: Iterable<string>) => Effect.Effect<ReadonlyMap<string, Outcome<void>>>
}

/**
 * The `PushTags` service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class PushTags extends Context.Tag("@timtags/core/PushTags")<PushTags, Service>() {}

/**
 * Options of the service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** How long an operation waits for others to share its call; default 5 ms. */
  readonly window?: Duration.DurationInput | undefined
  /** Accounts per call; default (and at most) 100. */
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

/** Validates each account of `inputs`; invalid ones get their outcome at once, valid ones are collected. */
const partition = <I, V>(
  inputs: Iterable<I>,
  keyOf: (input: I) => string,
  check: (input: I) => Either.Either<V, TimValidationError>
) => {
  const rejected = new Map<string, Outcome<never>>()
  const accepted: Array<V> = []
  for (const input of inputs) {
    const checked = check(input)
    if (Either.isLeft(checked)) rejected.set(keyOf(input), Either.left(checked.left))
    else accepted.push(checked.right)
  }
  return { rejected, accepted }
}

/** Splits tags into the requests one `add_tag` per account allows. */
const addRequests = (account: string, tags: ReadonlyArray<string>, replace: boolean): Array<AddTags> =>
  (replace ? [tags] : Account.chunksOf(tags, Tag.limits.maxPerAdd)).map((part) => new AddTags({ account, tags: part, replace }))

/**
 * Builds the service on a `TimRest`; needs a scope for its batching fibers.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, TimRest | Scope.Scope> =>
  Effect.gen(function*() {
    const rest = yield* TimRest
    const maxPerCall = Math.min(options.maxBatchSize ?? defaults.maxBatchSize, Account.maxPerCall)
    const concurrency = options.concurrency ?? defaults.concurrency
    const resolverOptions = { maxPerCall, concurrency }
    const resolvers = {
      get: Resolvers.getTags(rest, resolverOptions),
      add: Resolvers.addTags(rest, resolverOptions),
      remove: Resolvers.removeTags(rest, resolverOptions),
      clear: Resolvers.clearAllTags(rest, resolverOptions)
    }
    const coalescerOptions = { window: options.window ?? defaults.window, maxBatchSize: maxPerCall }
    const coalesced = {
      get: yield* Coalescer.make(resolvers.get, coalescerOptions),
      add: yield* Coalescer.make(resolvers.add, coalescerOptions),
      remove: yield* Coalescer.make(resolvers.remove, coalescerOptions),
      clear: yield* Coalescer.make(resolvers.clear, coalescerOptions)
    }
    let writeId = 0
    const uniqueKey = () => String(writeId++)

    /** Runs requests batched (one fiber), and folds their outcomes per account (first failure wins). */
    const runMany = <R extends { readonly account: string }, A>(
      requests: ReadonlyArray<R>,
      send: (request: R) => Effect.Effect<A, TimLookupError>,
      rejected: ReadonlyMap<string, Outcome<never>>,
      inputOrder: ReadonlyArray<string>
    ) =>
      Effect.map(
        Effect.forEach(requests, (request) => Effect.either(send(request)), { batching: true }),
        (outcomes) => {
          const byAccount = new Map<string, Outcome<A>>()
          requests.forEach((request, i) => {
            const previous = byAccount.get(request.account)
            if (previous === undefined || Either.isRight(previous)) byAccount.set(request.account, outcomes[i]!)
          })
          const results = new Map<string, Outcome<A>>()
          for (const key of inputOrder) {
            const outcome = rejected.get(key) ?? byAccount.get(key)
            if (outcome !== undefined) results.set(key, outcome)
          }
          return results as ReadonlyMap<string, Outcome<A>>
        }
      )

    const lookupAll = (accounts: Iterable<string>) => {
      const inputs = [...accounts]
      const { accepted, rejected } = partition(inputs, String, (a) => Account.validate(a))
      const requests = [...new Set(accepted)].map((account) => new GetTags({ account }))
      return runMany(requests, (r) => Effect.request(r, resolvers.get), rejected, inputs.map(String))
    }

    /** Merges the tags of entries for the same account, validating accounts and tags. */
    const entriesOf = (entries: Iterable<Entry>, maxTags: number) => {
      const inputs = [...entries]
      const merged = new Map<string, Array<unknown>>()
      for (const entry of inputs) {
        const key = String(entry.account)
        const tags = merged.get(key) ?? []
        tags.push(...entry.tags)
        merged.set(key, tags)
      }
      const { accepted, rejected } = partition(
        merged,
        ([account]) => account,
        ([account, tags]) =>
          Either.flatMap(Account.validate(account), (valid) =>
            Either.map(Tag.validateList(tags, maxTags), (list) => ({ account: valid, tags: list })))
      )
      return { accepted, rejected, order: [...merged.keys()] }
    }

    const getTagsStream = <E, R>(accounts: Stream.Stream<string, E, R>, streamOptions: StreamOptions = {}) =>
      Stream.suspend(() => {
        const started = Date.now()
        let done = 0
        let failed = 0
        return accounts.pipe(
          Stream.grouped(maxPerCall),
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

    const addTags = (account: string, tags: Iterable<string>, addOptions: AddOptions = {}) => {
      const replace = addOptions.replace ?? false
      return Effect.gen(function*() {
        const valid = yield* Account.validate(account)
        const list = yield* Tag.validateList(tags, Tag.limits.maxPerUser)
        for (const request of addRequests(valid, list, replace)) yield* coalesced.add(request, uniqueKey())
      }).pipe(Effect.withSpan("PushTags.addTags", { attributes: { "tim.replace": replace } }))
    }

    const addTagsMany = (entries: Iterable<Entry>, addOptions: AddOptions = {}) => {
      const replace = addOptions.replace ?? false
      const { accepted, order, rejected } = entriesOf(entries, Tag.limits.maxPerUser)
      const requests = accepted.flatMap(({ account, tags }) => addRequests(account, tags, replace))
      return runMany(requests, (r) => Effect.request(r, resolvers.add), rejected, order).pipe(
        Effect.withSpan("PushTags.addTagsMany")
      )
    }

    const removeTags = (account: string, tags: Iterable<string>) =>
      Effect.gen(function*() {
        const valid = yield* Account.validate(account)
        const list = yield* Tag.validateList(tags, Tag.limits.maxPerUser)
        yield* coalesced.remove(new RemoveTags({ account: valid, tags: list }), uniqueKey())
      }).pipe(Effect.withSpan("PushTags.removeTags"))

    const removeTagsMany = (entries: Iterable<Entry>) => {
      const { accepted, order, rejected } = entriesOf(entries, Tag.limits.maxPerUser)
      const requests = accepted.map(({ account, tags }) => new RemoveTags({ account, tags }))
      return runMany(requests, (r) => Effect.request(r, resolvers.remove), rejected, order).pipe(
        Effect.withSpan("PushTags.removeTagsMany")
      )
    }

    const clearAllTags = (account: string) =>
      Effect.flatMap(Account.validate(account), (valid) => coalesced.clear(new ClearAllTags({ account: valid }), valid)).pipe(
        Effect.withSpan("PushTags.clearAllTags")
      )

    const clearAllTagsMany = (accounts: Iterable<string>) => {
      const inputs = [...accounts]
      const { accepted, rejected } = partition(inputs, String, (a) => Account.validate(a))
      const requests = [...new Set(accepted)].map((account) => new ClearAllTags({ account }))
      return runMany(requests, (r) => Effect.request(r, resolvers.clear), rejected, inputs.map(String)).pipe(
        Effect.withSpan("PushTags.clearAllTagsMany")
      )
    }

    return {
      getTags: (account) =>
        Effect.flatMap(Account.validate(account), (valid) => coalesced.get(new GetTags({ account: valid }), valid)).pipe(
          Effect.withSpan("PushTags.getTags")
        ),
      getTagsMany: (accounts) => lookupAll(accounts).pipe(Effect.withSpan("PushTags.getTagsMany")),
      getTagsStream,
      addTags,
      addTagsMany,
      removeTags,
      removeTagsMany,
      clearAllTags,
      clearAllTagsMany
    }
  })

/**
 * The service as a layer over `TimRest`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<PushTags, never, TimRest> => Layer.scoped(PushTags, make(options))
