/**
 * The batching engine of one service (`PushTags`, `PushAttrs`, …): what its commands share (the REST
 * caller, the bound on calls in flight, the count of completed writes, the context every batch runs
 * in) and, for each command over accounts declared on it (`Spec`), a `Runner` with its two ways in:
 *
 * - `one(account, input)`: one account's request through the command's resolver, coalesced with
 *   other callers' within the window and sharing lookups waiting or in flight;
 * - `chunk(accounts, inputs, sink)`: accounts already in hand, a call's worth at a time (see `Bulk`).
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as RequestResolver from "effect/RequestResolver"
import * as Semaphore from "effect/Semaphore"
import * as Account from "../../Account.js"
import type { TimLookupError, TimValidationError } from "../../TimError.js"
import { TimRest } from "../../TimRest.js"
import * as Bulk from "./bulk.js"
import * as Call from "./call.js"
import * as Hedging from "./hedging.js"
import * as Queue from "./queue.js"
import * as Resolver from "./resolver.js"
import * as Sharing from "./sharing.js"
import type { Sink } from "./sink.js"
import type { ReadSpec, Spec, WriteSpec } from "./spec.js"

/** How a service batches. */
export interface Options {
  /** How long a request waits for others to share its call. */
  readonly window: Duration.Duration
  /** Accounts per call, at most each command's own maximum. */
  readonly maxPerCall: number
  /** The service's REST calls in flight at once. */
  readonly concurrency: number
  /** Whether lookups join calls already in flight (unless a write completed since they were sent). */
  readonly shareInFlight: boolean
  /** How slow lookups are hedged; `false`: never. */
  readonly hedging: Hedging.Options | false
}

/** One command's ways in. */
export interface Runner<I, O> {
  /** Accounts per call. */
  readonly maxPerCall: number
  /** Chunks of one many-account call or stream in flight at once (the service's concurrency). */
  readonly concurrency: number
  /** One account's request, batched with other callers'. */
  readonly one: (account: string, input: I) => Effect.Effect<O, TimLookupError>
  /** A chunk of distinct accounts (at most `maxPerCall`), each settled into `sink`. */
  readonly chunk: (accounts: ReadonlyArray<string>, inputs: ReadonlyArray<I>, sink: Sink<O>) => Effect.Effect<void>
}

/** A service's engine. */
export interface Engine {
  /** The runner of a command. */
  readonly runner: {
    <I, O>(spec: ReadSpec<I, O>): Runner<I, O>
    <I>(spec: WriteSpec<I>): Runner<I, void>
  }
}

/** `Effect.request`, typed for the engine's requests (TypeScript cannot resolve `Request.Error` of a type parameter). */
const request = <I, O>(
  request: Resolver.AccountRequest<I, O>,
  resolver: RequestResolver.RequestResolver<Resolver.AccountRequest<I, O>>
): Effect.Effect<O, TimLookupError> => Effect.request(request, resolver) as Effect.Effect<O, TimLookupError>

/** One account's request of a command without input, failing first if the account is refused. */
export const forAccount = <O>(
  runner: Runner<void, O>,
  account: unknown
): Effect.Effect<O, TimLookupError | TimValidationError> => {
  const refusal = Account.refusal(account)
  return refusal !== undefined ? Effect.fail(refusal) : runner.one(account as string, undefined)
}

/** Builds a service's engine; its batches run in the context this effect runs in. */
export const make = (options: Options): Effect.Effect<Engine, never, TimRest> =>
  Effect.gen(function*() {
    const rest = yield* TimRest
    const context = yield* Effect.context<never>()
    const semaphore = yield* Semaphore.make(options.concurrency)
    const calls: Call.Context = { rest, bounded: semaphore.withPermits(1), epoch: { value: 0 } }
    const resolverOptions: Resolver.Options = { window: options.window, context }
    const runner = <I, O>(spec: Spec<I, O>): Runner<I, O> => {
      const maxPerCall = Math.min(spec.maxPerCall, options.maxPerCall)
      const reads = spec.kind === "read"
      const hedging = reads && options.hedging !== false ? Hedging.make(options.hedging) : undefined
      const queue = Queue.make()
      const call = Call.caller(calls, spec, hedging, queue)
      const sharing = reads ? Sharing.make<O>(calls.epoch, options.shareInFlight) : undefined
      const resolver = Resolver.make(resolverOptions, maxPerCall, call, sharing, queue)
      const bulk: Bulk.Chunks<I, O> = { maxPerCall, call, resolver, sharing, context }
      return {
        maxPerCall,
        concurrency: options.concurrency,
        one: (account, input) => request(new Resolver.AccountRequest<I, O>({ account, input }), resolver),
        chunk: (accounts, inputs, sink) => Bulk.run(bulk, accounts, inputs, sink)
      }
    }
    return { runner: runner as Engine["runner"] }
  })
