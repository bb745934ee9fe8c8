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
 * Lookups of the same account share one call: while it waits for its window, and also once it is
 * in flight, unless a write completed since it was sent; so a `getTags` issued after an `addTags`
 * for the same account completed always sees the write.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Request from "effect/Request"
import type * as RequestResolver from "effect/RequestResolver"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Account from "./Account.js"
import * as Coalescer from "./internal/Coalescer.js"
import * as Resolvers from "./internal/resolvers.js"
import * as Tag from "./Tag.js"
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

/** Validates each input; invalid ones get their outcome at once, valid ones are collected. */
const partition = <In, V>(
  inputs: Iterable<In>,
  keyOf: (input: In) => string,
  check: (input: In) => Either.Either<V, TimValidationError>
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

/** Splits tags into the `add_tag` entries one account allows (10 tags each when adding). */
const addInputs = (account: string, tags: ReadonlyArray<string>, replace: boolean) =>
  (replace ? [tags] : Account.chunksOf(tags, Tag.limits.maxPerAdd)).map((part) => ({ account, input: part }))

/** Executor options from service options. */
const executorOptions = (options: Options): Resolvers.Options => ({
  maxPerCall: Math.min(options.maxBatchSize ?? defaults.maxBatchSize, Account.maxPerCall),
  concurrency: options.concurrency ?? defaults.concurrency
})

/**
 * A request for one account's tags, for `Effect.request` with `getTagsResolver`.
 *
 * @since 0.1.0
 * @category requests
 */
export class GetTags extends Request.TaggedClass("GetTags")<Tags, TimLookupError, { readonly account: string }> {}

/**
 * A `RequestResolver` for `GetTags`, for code that batches with `Effect.request` itself. (The
 * service does not use it on its hot paths: Effect's request machinery costs ~35 µs per request.)
 *
 * @since 0.1.0
 * @category resolvers
 */
export const getTagsResolver = (rest: TimRest["Type"], options: Options = {}): RequestResolver.RequestResolver<GetTags> =>
  Resolvers.asRequestResolver(Resolvers.getTags(rest, executorOptions(options)), () => undefined)

/**
 * Builds the service on a `TimRest`; needs a scope for its batching fibers.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, TimRest | Scope.Scope> =>
  Effect.gen(function*() {
    const rest = yield* TimRest
    const resolverOptions = executorOptions(options)
    const { concurrency, maxPerCall } = resolverOptions
    // Completed writes, counted: a lookup joins a get_tag already in flight only if no write has
    // completed since it was sent, so reads after writes are never stale.
    let writesCompleted = 0
    const countingWrites = <In>(executor: Resolvers.Executor<In, void>): Resolvers.Executor<In, void> => (slots) =>
      executor(slots.map((slot) => ({
        ...slot,
        complete: (outcome) => {
          writesCompleted++
          slot.complete(outcome)
        }
      })))
    const execute = {
      get: Resolvers.getTags(rest, resolverOptions),
      add: countingWrites(Resolvers.addTags(rest, resolverOptions, false)),
      replace: countingWrites(Resolvers.addTags(rest, resolverOptions, true)),
      remove: countingWrites(Resolvers.removeTags(rest, resolverOptions)),
      clear: countingWrites(Resolvers.clearAllTags(rest, resolverOptions))
    }
    const coalescerOptions = { window: options.window ?? defaults.window, maxBatchSize: maxPerCall }
    const coalesced = {
      get: yield* Coalescer.make(execute.get, { ...coalescerOptions, shareInFlight: { epoch: () => writesCompleted } }),
      add: yield* Coalescer.make(execute.add, coalescerOptions),
      replace: yield* Coalescer.make(execute.replace, coalescerOptions),
      remove: yield* Coalescer.make(execute.remove, coalescerOptions),
      clear: yield* Coalescer.make(execute.clear, coalescerOptions)
    }
    let writeId = 0
    const uniqueKey = () => String(writeId++)

    /** Runs inputs through an executor; each account's outcome is its first failure, else its success. */
    const runMany = <In, A>(
      executor: Resolvers.Executor<In, A>,
      inputs: ReadonlyArray<{ readonly account: string; readonly input: In }>,
      rejected: ReadonlyMap<string, Outcome<never>>
    ) =>
      Effect.map(Resolvers.runAll(executor, inputs), (outcomes): ReadonlyMap<string, Outcome<A>> => {
        const results = new Map<string, Outcome<A>>(rejected)
        inputs.forEach(({ account }, i) => {
          const previous = results.get(account)
          if (previous === undefined || Either.isRight(previous)) results.set(account, outcomes[i]!)
        })
        return results
      })

    /** Accounts: validated, deduplicated, each with its outcome. */
    const manyAccounts = <A>(executor: Resolvers.Executor<void, A>, accounts: Iterable<string>) => {
      const inputs = [...accounts]
      const { accepted, rejected } = partition(inputs, String, (a) => Account.validate(a))
      const unique = [...new Set(accepted)].map((account) => ({ account, input: undefined }))
      return runMany(executor, unique, rejected)
    }

    /** Merges the tags of entries for the same account, validating accounts and tags. */
    const entriesOf = (entries: Iterable<Entry>) => {
      const merged = new Map<string, Array<unknown>>()
      for (const entry of entries) {
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
            Either.map(Tag.validateList(tags, Tag.limits.maxPerUser), (list) => ({ account: valid, tags: list })))
      )
      return { accepted, rejected }
    }

    const getTagsStream = <E, R>(accounts: Stream.Stream<string, E, R>, streamOptions: StreamOptions = {}) =>
      Stream.unwrap(Effect.map(Clock.currentTimeMillis, (started) => {
        let done = 0
        let failed = 0
        return accounts.pipe(
          Stream.grouped(maxPerCall),
          Stream.mapEffect((chunk) =>
            Effect.zipWith(manyAccounts(execute.get, chunk), Clock.currentTimeMillis, (results, now) => {
              const items = Array.from(chunk, (account): StreamItem<Tags> => ({ account, result: results.get(String(account))! }))
              done += items.length
              for (const item of items) if (Either.isLeft(item.result)) failed++
              streamOptions.onProgress?.({ accounts: done, failed, elapsedMillis: now - started })
              return items
            }), { concurrency: streamOptions.concurrency ?? concurrency }),
          Stream.flattenIterables
        )
      }))

    const addTags = (account: string, tags: Iterable<string>, addOptions: AddOptions = {}) => {
      const replace = addOptions.replace ?? false
      return Effect.gen(function*() {
        const valid = yield* Account.validate(account)
        const list = yield* Tag.validateList(tags, Tag.limits.maxPerUser)
        const submit = replace ? coalesced.replace : coalesced.add
        for (const part of addInputs(valid, list, replace)) yield* submit(uniqueKey(), part.account, part.input)
      }).pipe(Effect.withSpan("PushTags.addTags", { captureStackTrace: false, attributes: { "tim.replace": replace } }))
    }

    const addTagsMany = (entries: Iterable<Entry>, addOptions: AddOptions = {}) => {
      const replace = addOptions.replace ?? false
      const { accepted, rejected } = entriesOf(entries)
      const inputs = accepted.flatMap(({ account, tags }) => addInputs(account, tags, replace))
      return runMany(replace ? execute.replace : execute.add, inputs, rejected).pipe(Effect.withSpan("PushTags.addTagsMany", { captureStackTrace: false }))
    }

    const removeTags = (account: string, tags: Iterable<string>) =>
      Effect.gen(function*() {
        const valid = yield* Account.validate(account)
        const list = yield* Tag.validateList(tags, Tag.limits.maxPerUser)
        yield* coalesced.remove(uniqueKey(), valid, list)
      }).pipe(Effect.withSpan("PushTags.removeTags", { captureStackTrace: false }))

    const removeTagsMany = (entries: Iterable<Entry>) => {
      const { accepted, rejected } = entriesOf(entries)
      const inputs = accepted.map(({ account, tags }) => ({ account, input: tags }))
      return runMany(execute.remove, inputs, rejected).pipe(Effect.withSpan("PushTags.removeTagsMany", { captureStackTrace: false }))
    }

    return {
      getTags: (account) =>
        Effect.flatMap(Account.validate(account), (valid) => coalesced.get(valid, valid, undefined)).pipe(
          Effect.withSpan("PushTags.getTags", { captureStackTrace: false })
        ),
      getTagsMany: (accounts) => manyAccounts(execute.get, accounts).pipe(Effect.withSpan("PushTags.getTagsMany", { captureStackTrace: false })),
      getTagsStream,
      addTags,
      addTagsMany,
      removeTags,
      removeTagsMany,
      clearAllTags: (account) =>
        Effect.flatMap(Account.validate(account), (valid) => coalesced.clear(valid, valid, undefined)).pipe(
          Effect.withSpan("PushTags.clearAllTags", { captureStackTrace: false })
        ),
      clearAllTagsMany: (accounts) => manyAccounts(execute.clear, accounts).pipe(Effect.withSpan("PushTags.clearAllTagsMany", { captureStackTrace: false }))
    }
  })

/**
 * The service as a layer over `TimRest`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<PushTags, never, TimRest> => Layer.scoped(PushTags, make(options))
