/**
 * How commands send their inputs, as `Job` `process` functions over the library: `lookup` and `lookupAttrs`
 * stream accounts through `getTagsStream` and `getAttrsStream`; `inChunks` sends chunks of inputs (100 by
 * default, one call's worth) through one many-account operation each, a few chunks at a time, keeping input
 * order; `eachAccount` is `inChunks` for an operation that takes accounts and answers a map by account
 * (`clearAllTagsMany`, `getAttrsMany`, …), and `eachAccountTags` and `eachAccountAttrs` the same with the
 * `PushTags` or `PushAttrs` service at hand. All of them let the library batch, validate, rate-limit and
 * retry; none holds more than a few chunks in memory.
 */
import { Account, type Attr, PushAttrs, PushTags, type TimError } from "@timtags/core"
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

/** Attributes of each account, through `getAttrsStream`. */
export const lookupAttrs = <R>(
  accounts: Stream.Stream<string, UsageError, R>
): Stream.Stream<Outcome<Attr.Attrs>, UsageError, R | PushAttrs.PushAttrs> =>
  Stream.unwrap(PushAttrs.PushAttrs.useSync((pushAttrs) => pushAttrs.getAttrsStream(accounts)))

/** How inputs are grouped: inputs per chunk (default 100, `Account.maxPerCall`) and chunks in flight (default 8). */
export interface Chunking {
  readonly size?: number | undefined
  readonly concurrency?: number | undefined
}

/** Sends chunks of inputs with `send`, which gives one outcome per input, in order. */
export const inChunks = <I, O, RS>(
  send: (chunk: ReadonlyArray<I>) => Effect.Effect<ReadonlyArray<O>, never, RS>,
  chunking: Chunking = {}
) =>
<R>(input: Stream.Stream<I, UsageError, R>): Stream.Stream<O, UsageError, R | RS> =>
  input.pipe(
    Stream.grouped(chunking.size ?? Account.maxPerCall),
    Stream.mapEffect(send, { concurrency: chunking.concurrency ?? concurrency }),
    Stream.flattenIterable
  )

/** A many-account operation's answer: an outcome for each account. */
export type ByAccount<A> = ReadonlyMap<string, Result.Result<A, TimError.TimError>>

/** The same operation for each account of a chunk: `many` gets the accounts, outcomes come back in order. */
export const eachAccount = <A, RS>(
  many: (accounts: ReadonlyArray<string>) => Effect.Effect<ByAccount<A>, never, RS>,
  chunking?: Chunking
) =>
  inChunks<string, Outcome<A>, RS>(
    (accounts) =>
      Effect.map(
        many(accounts),
        (outcomes) => accounts.map((account) => ({ account, result: outcomes.get(account)! }))
      ),
    chunking
  )

/** `eachAccount` with the `PushTags` service. */
export const eachAccountTags = <A>(
  many: (accounts: ReadonlyArray<string>, pushTags: PushTags.Service) => Effect.Effect<ByAccount<A>>
) => eachAccount((accounts) => PushTags.PushTags.use((pushTags) => many(accounts, pushTags)))

/** `eachAccount` with the `PushAttrs` service. */
export const eachAccountAttrs = <A>(
  many: (accounts: ReadonlyArray<string>, pushAttrs: PushAttrs.Service) => Effect.Effect<ByAccount<A>>
) => eachAccount((accounts) => PushAttrs.PushAttrs.use((pushAttrs) => many(accounts, pushAttrs)))
