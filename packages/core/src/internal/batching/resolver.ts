/**
 * Requests for one account at a time (`getTags("alice")`), batched by Effect's `RequestResolver`
 * (`makeWith`): requests from any fiber that arrive within `window` of a batch's first one share it,
 * up to `maxPerCall` entries; a full batch runs at once. A read's entries are distinct accounts
 * (lookups of an account already waiting or in flight ride along on it, see `Sharing`); a write's
 * entries for the same account go out in rounds, one after the other.
 *
 * When its window has ended, a batch also waits for the calls of its command queued before it (for a slot
 * among the calls in flight, for the rate limiter) to go, collecting requests meanwhile (see `Queue`).
 *
 * A batch, and the timer of its window, run in the service's own context, never in one caller's:
 * Effect would otherwise run them with the services of the caller that opened the batch, so that
 * caller's `RetryPolicy`, clock or tracer would decide the call for every caller in it. Each caller
 * keeps only its own interruption: an interrupted caller leaves the batch, which goes on for the
 * others (an entry others ride on is uninterruptible).
 */
import type { NonEmptyArray } from "effect/Array"
import type * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Request from "effect/Request"
import * as RequestResolver from "effect/RequestResolver"
import type * as Tracer from "effect/Tracer"
import type { TimLookupError } from "../../TimError.js"
import type { Caller } from "./call.js"
import type { Queue } from "./queue.js"
import { Flight, type Sharing } from "./sharing.js"
import type { Sink } from "./sink.js"
import * as Tracing from "./tracing.js"

/** One account's request of a command: its account and what it sends for it. */
export class AccountRequest<I, O>
  extends Request.Class<{ readonly account: string; readonly input: I }, O, TimLookupError>
{}

/** How a service's resolvers batch. */
export interface Options {
  readonly window: Duration.Duration
  /** The service's context, which every batch and window timer runs in. */
  readonly context: Context.Context<never>
}

type Entry<I, O> = Request.Entry<AccountRequest<I, O>>

const batchKey = {}

/** A sink completing the entries of one call. */
const entrySink = <I, O>(entries: ReadonlyArray<Entry<I, O>>): Sink<O> => ({
  succeed: (i, value) => entries[i]!.completeUnsafe(Exit.succeed(value)),
  fail: (i, error) => entries[i]!.completeUnsafe(Exit.fail(error))
})

/** One call for entries of distinct accounts. */
const callFor = <I, O>(call: Caller<I, O>, entries: ReadonlyArray<Entry<I, O>>) =>
  call(entries.map((e) => e.request.account), entries.map((e) => e.request.input), entrySink(entries))

/** Splits entries into rounds (the k-th entry of each account in round k), each chunked for calls. */
const rounds = <I, O>(entries: ReadonlyArray<Entry<I, O>>, maxPerCall: number): Array<Array<Array<Entry<I, O>>>> => {
  const planned: Array<Array<Array<Entry<I, O>>>> = []
  const seen = new Map<string, number>()
  for (const entry of entries) {
    const round = seen.get(entry.request.account) ?? 0
    seen.set(entry.request.account, round + 1)
    const chunks = planned[round] ??= [[]]
    if (chunks.at(-1)!.length === maxPerCall) chunks.push([])
    chunks.at(-1)!.push(entry)
  }
  return planned
}

/**
 * Shares a read's entries: an entry whose account is on a joinable flight rides along on it;
 * otherwise it boards a flight of its own, which others may join, and lands when it completes.
 */
const sharedPreCheck =
  <I, O>(sharing: Sharing<O>, flights: WeakMap<Entry<I, O>, Flight<O>>) => (entry: Entry<I, O>): boolean => {
    const { account } = entry.request
    const host = sharing.joinable(account)
    if (host !== undefined) {
      host.ride(account, {
        complete: (exit) => entry.completeUnsafe(exit),
        span: Tracing.spanOf(entry.context as Context.Context<never>)
      })
      return false
    }
    const flight = new Flight<O>(() => {
      entry.uninterruptible = true
    })
    flights.set(entry, flight)
    sharing.board(account, flight)
    const complete = entry.completeUnsafe
    entry.completeUnsafe = (exit) => {
      sharing.unboard(account, flight)
      complete.call(entry, exit)
      flight.land(account, () => exit)
    }
    return true
  }

/** The callers' spans of a batch (riders included), each once. */
const callerSpans = <I, O>(
  entries: ReadonlyArray<Entry<I, O>>,
  flights: WeakMap<Entry<I, O>, Flight<O>> | undefined
): Array<Tracer.AnySpan> => {
  const spans = new Set<Tracer.AnySpan>()
  for (const entry of entries) {
    const span = Tracing.spanOf(entry.context as Context.Context<never>)
    if (span !== undefined) spans.add(span)
    const riders = flights?.get(entry)?.riders?.get(entry.request.account)
    if (riders !== undefined) { for (const rider of riders) if (rider.span !== undefined) spans.add(rider.span) }
  }
  return [...spans]
}

/**
 * The resolver of one command. With `sharing` (a read), entries are distinct accounts and a batch
 * is one call; without (a write), a batch is planned in rounds.
 */
export const make = <I, O>(
  options: Options,
  maxPerCall: number,
  call: Caller<I, O>,
  sharing: Sharing<O> | undefined,
  queue: Queue
): RequestResolver.RequestResolver<AccountRequest<I, O>> => {
  const flights = sharing === undefined ? undefined : new WeakMap<Entry<I, O>, Flight<O>>()
  const run = (entries: NonEmptyArray<Entry<I, O>>): Effect.Effect<void> => {
    if (sharing === undefined || flights === undefined) {
      return Effect.forEach(
        rounds(entries, maxPerCall),
        (round) => Effect.forEach(round, (chunk) => callFor(call, chunk), { concurrency: "unbounded", discard: true }),
        { discard: true }
      )
    }
    return Effect.suspend(() => {
      for (const entry of entries) flights.get(entry)!.sentAt = sharing.epoch.value
      return callFor(call, entries)
    })
  }
  return RequestResolver.makeWith<AccountRequest<I, O>>({
    batchKey: () => batchKey,
    preCheck: sharing === undefined || flights === undefined ? undefined : sharedPreCheck(sharing, flights),
    // The window, then the turn of the calls queued before this batch: meanwhile it keeps filling up.
    delay: Effect.setContext(Effect.andThen(Effect.sleep(options.window), queue.turn), options.context),
    collectWhile: (entries) => entries.size < maxPerCall,
    runAll: (entries) =>
      Effect.setContext(Tracing.batchSpan(callerSpans(entries, flights), entries.length, run(entries)), options.context)
  })
}
