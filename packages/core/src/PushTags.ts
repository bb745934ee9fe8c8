/**
 * The push-tag service applications use: read (`getTags`, `getTagsMany`, `getTagsStream`) and
 * write (`addTags`, `removeTags`, `clearAllTags`, each also for many accounts) push tags.
 *
 * Every operation becomes one request per account (`Effect.request`, or `Effect.requestUnsafe` for
 * the many-account forms) into the resolver of its command: requests from any fiber within a short
 * window share REST calls of up to 100 distinct accounts, and a batch runs in the service's own
 * context (its `RetryPolicy`, clock and tracer), never in one caller's. Every account gets its own
 * outcome: results are matched by `To_Account`, never by position; an account in the server's
 * `ErrorList` (70107: it does not exist, 90035: tag bound to the other account type, …) fails with a
 * `TimAccountError`, never an empty list; a whole-call failure fails only the accounts of that
 * call. An existing account without tags reads as `[]` whether the server sends `Tags: []` or
 * leaves `Tags` out.
 *
 * Lookups of the same account share one request: while it waits for its batch, and also once it is
 * in flight, unless a write completed since it was sent; so a `getTags` issued after an `addTags`
 * for the same account completed always sees the write.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Request from "effect/Request"
import type * as RequestResolver from "effect/RequestResolver"
import * as Result from "effect/Result"
import * as Semaphore from "effect/Semaphore"
import * as Stream from "effect/Stream"
import * as Account from "./Account.js"
import * as Batching from "./internal/batching.js"
import * as Commands from "./internal/commands.js"
import * as Many from "./internal/many.js"
import * as Plans from "./internal/plans.js"
import { ClearAllTags, GetTags } from "./internal/requests.js"
import type * as Requests from "./internal/requests.js"
import * as Sharing from "./internal/sharing.js"
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
export type Outcome<A> = Result.Result<A, TimLookupError | TimValidationError>

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
export type Entry = Plans.TagsFor

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
 *   // Never fails as a whole: one outcome per account, keyed by the input value.
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
   * Many accounts' tags, each account with its own outcome, keyed by the input value (an input that
   * is not a string is its own key, with a `TimValidationError`).
   */
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
 * Options of the service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** How long an operation waits for others to share its call; default 5 ms. */
  readonly window?: Duration.Input | undefined
  /** Accounts per call; default (and at most) 100. */
  readonly maxBatchSize?: number | undefined
  /** REST calls of the service in flight at once; default 32 (the rate limiter paces them). */
  readonly concurrency?: number | undefined
  /**
   * Whether a lookup joins a `get_tag` already in flight for its account (unless a write completed
   * since it was sent); default `true`. With `false` it joins only one still waiting for its batch.
   */
  readonly shareInFlight?: boolean | undefined
}

/**
 * Defaults of the service.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = {
  window: Duration.millis(5),
  maxBatchSize: Account.maxPerCall,
  concurrency: 32,
  shareInFlight: true
} as const

/** The resolver of each command. */
interface Resolvers {
  readonly get: RequestResolver.RequestResolver<Requests.GetTags>
  readonly add: RequestResolver.RequestResolver<Requests.AddTags>
  readonly replace: RequestResolver.RequestResolver<Requests.AddTags>
  readonly remove: RequestResolver.RequestResolver<Requests.RemoveTags>
  readonly clear: RequestResolver.RequestResolver<Requests.ClearAllTags>
}

/** The resolvers of one service: lookups share entries, completed writes advance the epoch. */
const makeResolvers = (commands: Commands.Context, batching: Batching.Options, shareInFlight: boolean): Resolvers => {
  const epoch: Sharing.Epoch = { value: 0 }
  const written = () => {
    epoch.value++
  }
  const sharing = Sharing.make<Requests.GetTags>((request) => request.account, epoch, shareInFlight)
  const getTags = Commands.getTags(commands)
  return {
    get: Batching.make(batching, {
      run: (entries) => Effect.suspend(() => (sharing.sent(entries), getTags(entries))),
      preCheck: sharing.preCheck,
      riders: sharing.riders
    }),
    add: Batching.make(batching, { run: Commands.addTags(commands, false, written) }),
    replace: Batching.make(batching, { run: Commands.addTags(commands, true, written) }),
    remove: Batching.make(batching, { run: Commands.removeTags(commands, written) }),
    clear: Batching.make(batching, { run: Commands.clearAllTags(commands, written) })
  }
}

/** A span around one operation (without a captured stack trace: operations are hot). */
const traced = (name: string, attributes?: Record<string, unknown>) =>
  Effect.withSpan(name, attributes === undefined ? undefined : { attributes }, { captureStackTrace: false })

/** `Effect.request`, typed for this library's requests (TypeScript cannot resolve `Request.Error` of a type parameter). */
const send = <Req extends Request.Request<unknown, TimLookupError>>(
  request: Req,
  resolver: RequestResolver.RequestResolver<Req>
): Effect.Effect<Request.Success<Req>, TimLookupError> => Effect.request(request, resolver) as never

/** Sends one input's requests one after the other; fails with its refusal or the first failure. */
const sendAll = <Req extends Request.Request<void, TimLookupError>>(
  planned: Result.Result<ReadonlyArray<Req>, TimValidationError>,
  resolver: RequestResolver.RequestResolver<Req>
): Effect.Effect<void, Failure> =>
  Result.isFailure(planned)
    ? Effect.fail(planned.failure)
    : Effect.forEach(planned.success, (request) => send(request, resolver), { discard: true })

/** `getTagsStream` over the service's `getTagsMany`. */
const streamOf =
  (getTagsMany: Service["getTagsMany"], pace: Many.Pace): Service["getTagsStream"] => (accounts, options = {}) =>
    Stream.unwrap(Effect.map(Clock.currentTimeMillis, (started) => {
      let done = 0
      let failed = 0
      return accounts.pipe(
        Stream.grouped(pace.partSize),
        Stream.mapEffect((chunk) =>
          Effect.zipWith(getTagsMany(chunk), Clock.currentTimeMillis, (results, now) => {
            const items = chunk.map((account): StreamItem<Tags> => ({ account, result: results.get(account)! }))
            done += items.length
            for (const item of items) if (Result.isFailure(item.result)) failed++
            options.onProgress?.({ accounts: done, failed, elapsedMillis: now - started })
            return items
          }), { concurrency: options.concurrency ?? pace.concurrency }),
        Stream.flattenIterable
      )
    }))

/** One request for one account, failing first if the account is refused. */
const requestFor = <Req extends Request.Request<unknown, TimLookupError>>(
  account: unknown,
  request: (account: string) => Req,
  resolver: RequestResolver.RequestResolver<Req>
): Effect.Effect<Request.Success<Req>, Failure> => {
  const refusal = Account.refusal(account)
  return refusal !== undefined ? Effect.fail(refusal) : send(request(account as string), resolver)
}

const getTagsOf = (account: string) => new GetTags({ account })
const clearAllTagsOf = (account: string) => new ClearAllTags({ account })

/** The operations over a set of resolvers. */
const operations = (resolvers: Resolvers, pace: Many.Pace): Service => {
  const getTagsMany: Service["getTagsMany"] = (accounts) =>
    Many.run(Plans.ofAccounts(accounts, getTagsOf), resolvers.get, pace).pipe(traced("PushTags.getTagsMany"))
  const adder = (replace: boolean | undefined) => replace === true ? resolvers.replace : resolvers.add
  return {
    getTags: (account) => requestFor(account, getTagsOf, resolvers.get).pipe(traced("PushTags.getTags")),
    getTagsMany,
    getTagsStream: streamOf(getTagsMany, pace),
    addTags: (account, tags, options = {}) =>
      sendAll(Plans.addTags(account, tags, options.replace === true), adder(options.replace)).pipe(
        traced("PushTags.addTags", { "tim.replace": options.replace === true })
      ),
    addTagsMany: (entries, options = {}) =>
      Many.run(
        Plans.ofEntries(entries, (account, tags) => Plans.addTags(account, tags, options.replace === true)),
        adder(options.replace),
        pace
      )
        .pipe(traced("PushTags.addTagsMany")),
    removeTags: (account, tags) =>
      sendAll(Plans.removeTags(account, tags), resolvers.remove).pipe(traced("PushTags.removeTags")),
    removeTagsMany: (entries) =>
      Many.run(Plans.ofEntries(entries, Plans.removeTags), resolvers.remove, pace).pipe(
        traced("PushTags.removeTagsMany")
      ),
    clearAllTags: (account) =>
      requestFor(account, clearAllTagsOf, resolvers.clear).pipe(traced("PushTags.clearAllTags")),
    clearAllTagsMany: (accounts) =>
      Many.run(Plans.ofAccounts(accounts, clearAllTagsOf), resolvers.clear, pace).pipe(
        traced("PushTags.clearAllTagsMany")
      )
  }
}

/**
 * Builds the service on a `TimRest`. Its batches run in the context this effect runs in.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, TimRest> =>
  Effect.gen(function*() {
    const maxPerCall = Math.min(options.maxBatchSize ?? defaults.maxBatchSize, Account.maxPerCall)
    const concurrency = options.concurrency ?? defaults.concurrency
    const semaphore = yield* Semaphore.make(concurrency)
    const resolvers = makeResolvers(
      { rest: yield* TimRest, bounded: semaphore.withPermits(1), maxPerCall },
      {
        window: Duration.fromInputUnsafe(options.window ?? defaults.window),
        maxPerCall,
        context: yield* Effect.context<never>()
      },
      options.shareInFlight ?? defaults.shareInFlight
    )
    return PushTags.of(operations(resolvers, { partSize: maxPerCall, concurrency }))
  })

/**
 * The service as a layer over `TimRest`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<PushTags, never, TimRest> =>
  Layer.effect(PushTags, make(options))
