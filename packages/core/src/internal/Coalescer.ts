/**
 * Cross-fiber batching with a time window, counting distinct keys. Core request batching in Effect
 * 3 never crosses fibers; `@effect/experimental`'s `dataLoader` does, but it counts duplicate
 * requests towards `maxBatchSize`, so a window of 100 lookups over 80 distinct accounts would make a
 * call of 80 instead of 100. This coalescer keys waiters by account: a batch flushes when it holds
 * `maxBatchSize` distinct keys or when `window` has passed since its first key, and runs in the
 * scope it was built in (so a caller's interruption never cancels a batch others wait on). A waiter
 * interrupted before the flush is removed, and its key too when nobody else waits for it.
 *
 * The batch itself is handed to a `RequestResolver` (with request batching on), so the resolver
 * sees every distinct key of the window in one call.
 */
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import type * as Request from "effect/Request"
import type * as RequestResolver from "effect/RequestResolver"
import type * as Scope from "effect/Scope"
import type * as Tracer from "effect/Tracer"

/** Window and size of a batch. */
export interface Options {
  readonly window: Duration.DurationInput
  readonly maxBatchSize: number
}

interface Waiter<A, E> {
  readonly deferred: Deferred.Deferred<A, E>
  readonly span: Option.Option<Tracer.AnySpan>
}

interface Pending<Req, A, E> {
  /** The request sent for this key: the first one that arrived. */
  readonly request: Req
  readonly waiters: Set<Waiter<A, E>>
}

/**
 * Builds a function that coalesces requests from any fiber into batched resolver runs. Requests
 * with the same `key` in one window share the first one's outcome (use a unique key for requests
 * that must each be sent).
 */
export const make = <Req extends Request.Request<any, any>>(
  resolver: RequestResolver.RequestResolver<Req>,
  options: Options
): Effect.Effect<
  (request: Req, key: string) => Effect.Effect<Request.Request.Success<Req>, Request.Request.Error<Req>>,
  never,
  Scope.Scope
> =>
  Effect.gen(function*() {
    type A = Request.Request.Success<Req>
    type E = Request.Request.Error<Req>
    const fibers = yield* FiberSet.make()
    const window = Duration.decode(options.window)
    let pending = new Map<string, Pending<Req, A, E>>()
    let generation = 0
    let timerArmed = false
    let batches = 0

    const takeBatch = () => {
      const batch = pending
      pending = new Map()
      generation += 1
      timerArmed = false
      return batch
    }

    const runBatch = (batch: Map<string, Pending<Req, A, E>>) => {
      batches += 1
      const links: Array<Tracer.SpanLink> = []
      for (const { waiters } of batch.values()) {
        for (const waiter of waiters) {
          if (Option.isSome(waiter.span) && links.length < 128) links.push({ _tag: "SpanLink", span: waiter.span.value, attributes: {} })
        }
      }
      const complete = (waiters: Set<Waiter<A, E>>, exit: Exit.Exit<A, E>) =>
        Effect.forEach(waiters, (waiter) => Deferred.done(waiter.deferred, exit), { discard: true })
      return Effect.forEach(
        batch.values(),
        ({ request, waiters }) =>
          Effect.exit(Effect.request(request, resolver)).pipe(Effect.flatMap((exit) => complete(waiters, exit))),
        { batching: true, discard: true }
      ).pipe(
        Effect.withSpan("timtags.batch", { root: true, links, attributes: { "tim.batch": batches, "tim.batch.keys": batch.size } }),
        Effect.interruptible,
        FiberSet.run(fibers)
      )
    }

    const armTimer = (armedFor: number) =>
      Effect.sleep(window).pipe(
        Effect.zipRight(Effect.suspend(() => generation === armedFor ? runBatch(takeBatch()) : Effect.void)),
        Effect.interruptible,
        FiberSet.run(fibers)
      )

    return (request: Req, key: string) =>
      Effect.uninterruptibleMask((restore) => Effect.gen(function*() {
        const deferred = yield* Deferred.make<A, E>()
        const span = yield* Effect.option(Effect.currentSpan)
        const waiter: Waiter<A, E> = { deferred, span }
        const joined = pending
        let entry = joined.get(key)
        if (entry === undefined) joined.set(key, entry = { request, waiters: new Set() })
        entry.waiters.add(waiter)
        if (joined.size >= options.maxBatchSize) {
          yield* runBatch(takeBatch())
        } else if (!timerArmed) {
          timerArmed = true
          yield* armTimer(generation)
        }
        return yield* restore(Deferred.await(deferred)).pipe(
          Effect.onInterrupt(() =>
            Effect.sync(() => {
              if (joined !== pending) return
              const current = joined.get(key)
              current?.waiters.delete(waiter)
              if (current !== undefined && current.waiters.size === 0) joined.delete(key)
            })
          )
        )
      }))
  })
