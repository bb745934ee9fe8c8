/**
 * The span of a batch: a root span `timtags.batch` (in the service's tracer) linked to the spans of
 * the callers it serves (at most 128), each of which learns the batch's span and trace ids as
 * attributes. The REST calls of the batch are its children.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"

const maxLinks = 128

/** The span of a caller's context, if any (reading it allocates nothing). */
export const spanOf = (context: Context.Context<never>): Tracer.AnySpan | undefined =>
  Context.getOrUndefined(context, Tracer.ParentSpan)

/** Runs `effect` as a batch's root span, linked to `callers`, which learn the batch's ids. */
export const batchSpan = (
  callers: ReadonlyArray<Tracer.AnySpan>,
  accounts: number,
  effect: Effect.Effect<void>
): Effect.Effect<void> => {
  const links = callers.slice(0, maxLinks).map((span): Tracer.SpanLink => ({ span, attributes: {} }))
  return Effect.useSpan(
    "timtags.batch",
    { root: true, links, attributes: { "tim.batch.entries": accounts } },
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
