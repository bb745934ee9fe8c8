/**
 * The resolvers behind `PushTags`, made with Effect's `RequestResolver.makeWith`: requests from any
 * fiber that arrive within `window` of a batch's first one share it, up to `maxPerCall` entries
 * (distinct accounts, once `Sharing` has merged duplicates); a full batch runs at once.
 *
 * A batch runs in the service's own context, never in one caller's: Effect would otherwise run it
 * (and time its window) with the services of the caller that opened it, so that caller's
 * `RetryPolicy`, clock or tracer would decide the call for every caller in the batch. Each caller
 * keeps only its own interruption: an interrupted caller leaves the batch, and the batch goes on
 * for the others.
 *
 * Tracing: a batch is a root span `timtags.batch` linked to its callers' spans (at most 128), and
 * each caller's span gets the batch's span and trace ids as attributes.
 */
import type { NonEmptyArray } from "effect/Array"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Request from "effect/Request"
import * as RequestResolver from "effect/RequestResolver"
import * as Tracer from "effect/Tracer"

/** How the resolvers of one service batch. */
export interface Options {
  readonly window: Duration.Duration
  readonly maxPerCall: number
  /** The service's context, which every batch and window timer runs in. */
  readonly context: Context.Context<never>
}

/** What a resolver adds to Effect's defaults. */
export interface Resolver<A extends Request.Any> {
  readonly run: (entries: NonEmptyArray<Request.Entry<A>>) => Effect.Effect<void>
  /** Admits an entry, or attaches it elsewhere and returns `false` (see `Sharing`). */
  readonly preCheck?: ((entry: Request.Entry<A>) => boolean) | undefined
  /** Entries riding along on an entry, for tracing. */
  readonly riders?: ((entry: Request.Entry<A>) => ReadonlyArray<Request.Entry<A>>) | undefined
}

const batchKey = {}
const maxLinks = 128

/** The callers' spans of a batch, each once. */
const callerSpans = <A extends Request.Any>(
  entries: ReadonlyArray<Request.Entry<A>>,
  riders: Resolver<A>["riders"]
): Array<Tracer.AnySpan> => {
  const spans = new Set<Tracer.AnySpan>()
  const add = (entry: Request.Entry<A>) => {
    const span = Context.getOrUndefined(entry.context as Context.Context<never>, Tracer.ParentSpan)
    if (span !== undefined) spans.add(span)
  }
  for (const entry of entries) {
    add(entry)
    if (riders !== undefined) { for (const rider of riders(entry)) add(rider) }
  }
  return [...spans]
}

/** Runs `effect` as a batch's root span, linked to its callers' spans, which learn the batch's ids. */
const traced = <A extends Request.Any>(
  entries: NonEmptyArray<Request.Entry<A>>,
  riders: Resolver<A>["riders"],
  effect: Effect.Effect<void>
): Effect.Effect<void> => {
  const callers = callerSpans(entries, riders)
  const links = callers.slice(0, maxLinks).map((span): Tracer.SpanLink => ({ span, attributes: {} }))
  return Effect.useSpan(
    "timtags.batch",
    { root: true, links, attributes: { "tim.batch.entries": entries.length } },
    (batch) => {
      for (const caller of callers) {
        if (caller._tag !== "Span") continue
        caller.attribute("tim.batch.span_id", batch.spanId)
        caller.attribute("tim.batch.trace_id", batch.traceId)
      }
      return Effect.withParentSpan(effect, batch, { captureStackTrace: false })
    }
  )
}

/** A resolver batching by window and size, running every batch in the service's context. */
export const make = <A extends Request.Any>(
  options: Options,
  resolver: Resolver<A>
): RequestResolver.RequestResolver<A> =>
  RequestResolver.makeWith<A>({
    batchKey: () => batchKey,
    preCheck: resolver.preCheck,
    delay: Effect.setContext(Effect.sleep(options.window), options.context),
    collectWhile: (entries) => entries.size < options.maxPerCall,
    runAll: (entries) => Effect.setContext(traced(entries, resolver.riders, resolver.run(entries)), options.context)
  })
