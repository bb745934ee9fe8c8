/**
 * How commands send their inputs, as `Job` `process` functions over the library: `lookup` streams
 * accounts through `PushTags.getTagsStream`; `inChunks` sends chunks of 100 inputs through one
 * many-account operation each, a few chunks at a time, keeping input order. Both let the library batch,
 * validate, rate-limit and retry; neither holds more than a few chunks in memory.
 */
import { Account, PushTags } from "@timtags/core"
import * as Effect from "effect/Effect"
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
export const inChunks = <I, O extends Outcome<unknown>>(
  send: (chunk: ReadonlyArray<I>, pushTags: PushTags.Service) => Effect.Effect<ReadonlyArray<O>>
) =>
<R>(input: Stream.Stream<I, UsageError, R>): Stream.Stream<O, UsageError, R | PushTags.PushTags> =>
  Stream.unwrap(PushTags.PushTags.useSync((pushTags) =>
    input.pipe(
      Stream.grouped(Account.maxPerCall),
      Stream.mapEffect((chunk) => send(chunk, pushTags), { concurrency }),
      Stream.flattenIterable
    )
  ))

/** The outcomes of a many-account operation, in the order of its accounts. */
export const inOrder = <A>(
  accounts: ReadonlyArray<string>,
  outcomes: ReadonlyMap<string, PushTags.Outcome<A>>
): ReadonlyArray<Outcome<A>> => accounts.map((account) => ({ account, result: outcomes.get(account)! }))

/** The same operation for each account of a chunk: `many` gets the accounts, outcomes come back in order. */
export const eachAccount = <A>(
  many: (
    accounts: ReadonlyArray<string>,
    pushTags: PushTags.Service
  ) => Effect.Effect<ReadonlyMap<string, PushTags.Outcome<A>>>
) =>
  inChunks<string, Outcome<A>>((accounts, pushTags) =>
    Effect.map(many(accounts, pushTags), (outcomes) => inOrder(accounts, outcomes))
  )
