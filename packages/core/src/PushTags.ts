/**
 * The push-tag service applications use: read (`getTags`, `getTagsMany`, `getTagsStream`) and
 * write (`addTags`, `removeTags`, `clearAllTags`, each also for many accounts) push tags.
 *
 * Its four commands are declarations on the batching engine (`internal/batching`): a single-account
 * operation is one request into its command's resolver, where requests from any fiber within a
 * short window share REST calls of up to 100 distinct accounts; the many-account forms and the
 * stream send accounts already in hand a call's worth at a time, still sharing lookups with
 * everyone else. A batch runs in the service's own context (its `RetryPolicy`, clock and tracer),
 * never in one caller's. Every account gets its own outcome: results are matched by `To_Account`,
 * never by position; an account in the server's `ErrorList` (70107: it does not exist, 90035: tag
 * bound to the other account type, …) fails with a `TimAccountError`, never an empty list; a
 * whole-call failure fails only the accounts of that call. An existing account without tags reads
 * as `[]` whether the server sends `Tags: []` or leaves `Tags` out.
 *
 * Lookups of the same account share one call: while it waits for its batch, and also once it is in
 * flight, unless a write completed since it was sent; so a `getTags` issued after an `addTags` for
 * the same account completed always sees the write.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import type * as Stream from "effect/Stream"
import * as Account from "./Account.js"
import type * as Batching from "./Batching.js"
import * as Envelope from "./Envelope.js"
import * as Engine from "./internal/batching/engine.js"
import * as Many from "./internal/batching/many.js"
import * as BatchOptions from "./internal/batching/options.js"
import { keyedAnswer, type ReadSpec, type WriteSpec } from "./internal/batching/spec.js"
import * as Streams from "./internal/batching/stream.js"
import * as Read from "./internal/decode.js"
import * as TagRequests from "./internal/tagRequests.js"
import type { TimLookupError, TimValidationError } from "./TimError.js"
import type { TimRest } from "./TimRest.js"

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
export type Outcome<A> = Batching.Outcome<A>

/**
 * The errors of a single-account operation.
 *
 * @since 0.1.0
 * @category models
 */
export type Failure = TimLookupError | TimValidationError

/**
 * One account's outcome in a stream: `{ account, result }`.
 *
 * @since 0.1.0
 * @category models
 */
export type StreamItem<A> = Batching.StreamItem<A>

/**
 * Progress of a stream so far: `{ accounts, failed, elapsedMillis }`.
 *
 * @since 0.1.0
 * @category models
 */
export type Progress = Batching.Progress

/**
 * Options of `getTagsStream` (and the other streams of this library).
 *
 * @since 0.1.0
 * @category models
 */
export type StreamOptions<R = never> = Batching.StreamOptions<R>

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
 * @example
 * ```ts
 * import { PushTags } from "@timtags/core"
 * import { Effect, Result } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const pushTags = yield* PushTags.PushTags
 *   // Never fails as a whole: one outcome per account, in input order, keyed by the input value.
 *   const outcomes = yield* pushTags.getTagsMany(["alice", "bob", "carol"])
 *   for (const [account, outcome] of outcomes) {
 *     if (Result.isSuccess(outcome)) {
 *       yield* Effect.log(`${account}: ${outcome.success.join(", ")}`)
 *     } else {
 *       // e.g. "UnknownAccount" (70107) for an account that was never imported
 *       yield* Effect.log(`${account} failed: ${outcome.failure.reason}`)
 *     }
 *   }
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** One account's tags. */
  readonly getTags: (account: string) => Effect.Effect<Tags, Failure>
  /**
   * Many accounts' tags, each account with its own outcome, in input order and keyed by the input
   * value (an input that is not a string is its own key, with a `TimValidationError`).
   */
  readonly getTagsMany: (accounts: Iterable<string>) => Effect.Effect<ReadonlyMap<string, Outcome<Tags>>>
  /**
   * Tags of a stream of accounts of any length, in bounded memory: accounts are read 100 at a time,
   * at most `concurrency` calls are in flight, and outcomes come out in input order (or, with
   * `order: "completion"`, as soon as each chunk is done). Duplicates are merged within a chunk only.
   */
  readonly getTagsStream: <E, R, R2 = never>(
    accounts: Stream.Stream<string, E, R>,
    options?: StreamOptions<R2>
  ) => Stream.Stream<StreamItem<Tags>, E, R | R2>
  /**
   * Adds tags to an account (or, with `replace`, overwrites all its tags). More than 10 tags without
   * `replace` go out as several requests of 10; a replace is always one request (at most 100 tags).
   */
  readonly addTags: (account: string, tags: Iterable<string>, options?: AddOptions) => Effect.Effect<void, Failure>
  /** `addTags` for many accounts; an account listed twice gets the union of its tags. */
  readonly addTagsMany: (
    entries: Iterable<Entry>,
    options?: AddOptions
  ) => Effect.Effect<ReadonlyMap<string, Outcome<void>>>
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
 * The lookups of the service alone, as `makeLookups` builds them.
 *
 * @since 0.3.0
 * @category models
 */
export type Lookups = Pick<Service, "getTags" | "getTagsMany">

/**
 * The `PushTags` service key.
 *
 * @example
 * ```ts
 * import { PushTags } from "@timtags/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const pushTags = yield* PushTags.PushTags
 *   // Lookups from any number of fibers share `get_tag` calls of up to 100 accounts.
 *   const tags = yield* pushTags.getTags("alice") // ReadonlyArray<string>
 *   yield* Effect.log(`alice: ${tags.join(", ")}`)
 * })
 *
 * // Provide `Client.layer()` (with a config and a platform) to run it.
 * const typed: Effect.Effect<void, PushTags.Failure, PushTags.PushTags> = program
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class PushTags extends Context.Service<PushTags, Service>()("@timtags/core/PushTags") {}

/**
 * Options of the service (the batching options every service of the client shares).
 *
 * @since 0.1.0
 * @category models
 */
export type Options = Batching.Options

const userTags = (accounts: ReadonlyArray<string>, tags: ReadonlyArray<Tags>) =>
  accounts.map((account, i) => ({ To_Account: account, Tags: tags[i] }))

/** `get_tag`: the tags of up to 100 accounts (`Tags` absent reads as `[]`). */
const getTag: ReadSpec<void, Tags> = {
  command: "timpush/get_tag",
  kind: "read",
  maxPerCall: Account.maxPerCall,
  body: (accounts) => ({ To_Account: accounts }),
  answer: keyedAnswer("UserTags", "Tags", Read.strings(Envelope.limits.tags), [])
}

/** `add_tag` with `Replace` 0 (add to the user's tags) or 1 (overwrite them all). */
const addTag = (replace: boolean): WriteSpec<Tags> => ({
  command: "timpush/add_tag",
  kind: "write",
  maxPerCall: Account.maxPerCall,
  body: (accounts, tags) => ({ Replace: replace ? 1 : 0, UserTags: userTags(accounts, tags) }),
  answer: Envelope.envelope
})

/** `remove_tag`: removes the given tags of each account. */
const removeTag: WriteSpec<Tags> = {
  command: "timpush/remove_tag",
  kind: "write",
  maxPerCall: Account.maxPerCall,
  body: (accounts, tags) => ({ UserTags: userTags(accounts, tags) }),
  answer: Envelope.envelope
}

/** `clear_all_tags`: removes every tag of each account. */
const clearAllTags: WriteSpec<void> = {
  command: "timpush/clear_all_tags",
  kind: "write",
  maxPerCall: Account.maxPerCall,
  body: (accounts) => ({ To_Account: accounts }),
  answer: Envelope.envelope
}

/** A span around one operation (without a captured stack trace: operations are hot). */
const traced = (name: string) => Effect.withSpan(name, undefined, { captureStackTrace: false })

/** One account's requests, one after the other; fails with its refusal or the first failure. */
const sendAll = (
  planned: Result.Result<TagRequests.Requests, TimValidationError>,
  runner: Engine.Runner<Tags, void>
): Effect.Effect<void, Failure> =>
  Result.isFailure(planned) ?
    Effect.fail(planned.failure) :
    Effect.forEach(planned.success.requests, (tags) => runner.one(planned.success.account, tags), { discard: true })

const mergeTags = (first: Entry, next: Entry): Entry => ({
  account: first.account,
  tags: [...first.tags, ...next.tags]
})

/** `getTags` and `getTagsMany` over the engine's `get_tag` runner. */
const lookups = (get: Engine.Runner<void, Tags>): Lookups => ({
  getTags: (account) => Engine.forAccount(get, account).pipe(traced("PushTags.getTags")),
  getTagsMany: (accounts) => Many.run(Many.ofAccounts(accounts), get).pipe(traced("PushTags.getTagsMany"))
})

/**
 * Builds the service on a `TimRest`. Its batches run in the context this effect runs in.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, TimRest> =>
  Effect.map(Engine.make(BatchOptions.engine(options)), (engine): Service => {
    const get = engine.runner(getTag)
    const adders = { add: engine.runner(addTag(false)), replace: engine.runner(addTag(true)) }
    const remove = engine.runner(removeTag)
    const clear = engine.runner(clearAllTags)
    const adder = (options: AddOptions) => options.replace === true ? adders.replace : adders.add
    return PushTags.of({
      ...lookups(get),
      getTagsStream: (accounts, streamOptions) =>
        Streams.stream(get, accounts, BatchOptions.stream(get, streamOptions)),
      addTags: (account, tags, options = {}) =>
        sendAll(TagRequests.add(account, tags, options.replace === true), adder(options)).pipe(
          traced("PushTags.addTags")
        ),
      addTagsMany: (entries, options = {}) =>
        Many.run(
          Many.ofEntries(entries, mergeTags, (e) => TagRequests.add(e.account, e.tags, options.replace === true)),
          adder(options)
        ).pipe(traced("PushTags.addTagsMany")),
      removeTags: (account, tags) =>
        sendAll(TagRequests.remove(account, tags), remove).pipe(traced("PushTags.removeTags")),
      removeTagsMany: (entries) =>
        Many.run(Many.ofEntries(entries, mergeTags, (e) => TagRequests.remove(e.account, e.tags)), remove).pipe(
          traced("PushTags.removeTagsMany")
        ),
      clearAllTags: (account) => Engine.forAccount(clear, account).pipe(traced("PushTags.clearAllTags")),
      clearAllTagsMany: (accounts) =>
        Many.run(Many.ofAccounts(accounts), clear).pipe(traced("PushTags.clearAllTagsMany"))
    })
  })

/**
 * Builds only the lookups (`getTags`, `getTagsMany`) on a `TimRest`, batched and shared as `make`'s
 * are. For an application that only reads tags, such as an edge worker: a bundle built from it
 * leaves out the stream and the writes (about 3 KiB gzip of this library and of Effect's streams).
 *
 * @example
 * ```ts
 * import { PushTags } from "@timtags/core"
 * import { Effect } from "effect"
 *
 * // One lookup service per request, over a TimRest (on Workers, also one per request: docs/edge.md).
 * const tagsOf = (accounts: ReadonlyArray<string>) =>
 *   Effect.flatMap(PushTags.makeLookups({ window: 0 }), (lookups) => lookups.getTagsMany(accounts))
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const makeLookups = (options: Options = {}): Effect.Effect<Lookups, never, TimRest> =>
  Effect.map(Engine.make(BatchOptions.engine(options)), (engine) => lookups(engine.runner(getTag)))

/**
 * The service as a layer over `TimRest`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<PushTags, never, TimRest> =>
  Layer.effect(PushTags, make(options))
