/**
 * How commands send their inputs, as `Job` `process` functions over the library: `lookup` streams
 * accounts through `PushTags.getTagsStream`; `inChunks` sends chunks of 100 inputs through one
 * many-account operation each, a few chunks at a time, keeping input order; `eachAccount` is `inChunks` for
 * an operation that takes accounts and answers a map by account (`clearAllTagsMany`, later the attribute
 * operations), and `eachAccountTags` the same with the `PushTags` service at hand. All of them let the
 * library batch, validate, rate-limit and retry; none holds more than a few chunks in memory.
 */
import { Account, PushTags, type TimError } from "@timtags/core"
import * as Effect from "effect/Effect"
import type * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import type { UsageError } from "./failures.js"
import type { Outcome } from "./row.js"

/** Chunks in flight at once (each one call of up to 100 accounts; the library's limiter paces the calls). */
const concurrency = 8

/** Tags of each account, through `getTagsStream`. */
export const lookup = <R>(
  accounts: Stream.Stream<string, UsageError, R>
): Stream.Stream<Outcome<PushTags.Tags>, UsageError, R | PushTags.PushTags> =>
  Stream.unwrap(PushTags.PushTags.useSync((pushTags) => pushTags.getTagsStream(accounts)))

/** Sends chunks of up to 100 inputs with `send`, which gives one outcome per input, in order. */
export const inChunks = <I, O extends Outcome<unknown>, RS>(
  send: (chunk: ReadonlyArray<I>) => Effect.Effect<ReadonlyArray<O>, never, RS>
) =>
<R>(input: Stream.Stream<I, UsageError, R>): Stream.Stream<O, UsageError, R | RS> =>
  input.pipe(
    Stream.grouped(Account.maxPerCall),
    Stream.mapEffect(send, { concurrency }),
    Stream.flattenIterable
  )

/** A many-account operation's answer: an outcome for each account. */
export type ByAccount<A> = ReadonlyMap<string, Result.Result<A, TimError.TimError>>

/** The same operation for each account of a chunk: `many` gets the accounts, outcomes come back in order. */
export const eachAccount = <A, RS>(many: (accounts: ReadonlyArray<string>) => Effect.Effect<ByAccount<A>, never, RS>) =>
  inChunks<string, Outcome<A>, RS>((accounts) =>
    Effect.map(many(accounts), (outcomes) => accounts.map((account) => ({ account, result: outcomes.get(account)! })))
  )

/** `eachAccount` with the `PushTags` service. */
export const eachAccountTags = <A>(
  many: (accounts: ReadonlyArray<string>, pushTags: PushTags.Service) => Effect.Effect<ByAccount<A>>
) => eachAccount((accounts) => PushTags.PushTags.use((pushTags) => many(accounts, pushTags)))
