/**
 * Cross-fiber batching with a time window, counting distinct keys. Core request batching in Effect
 * 3 never crosses fibers; `@effect/experimental`'s `dataLoader` does, but it counts duplicate
 * requests towards `maxBatchSize` (a window of 100 lookups over 80 distinct accounts would make a
 * call of 80 instead of 100) and goes through `Effect.request`, which costs about 35 µs per request.
 *
 * This coalescer keys waiters: a batch flushes when it holds `maxBatchSize` distinct keys or when
 * `window` has passed since its first key, and runs in the scope it was built in (so a caller's
 * interruption never cancels a batch others wait on). Callers with the same key in one window
 * share the first one's item and outcome. A waiter interrupted before the flush is removed, and its
 * key too when nobody else waits for it. With `shareInFlight`, a caller may also join an item of a
 * batch already sent, while the given epoch is unchanged.
 *
 * Tracing: the batch runs in a root span `timtags.batch` that links to every caller's span, and
 * each caller's span gets the batch's span and trace ids as attributes.
 */
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as Tracer from "effect/Tracer"

/** Window and size of a batch. */
export interface Options {
  readonly window: Duration.DurationInput
  readonly maxBatchSize: number
  /**
   * Let a caller also join an item already sent for its key, as long as `epoch()` has not changed
   * since that item's batch was flushed (reads pass a counter of completed writes, so that a read
   * issued after a write completed never joins a read sent before it). Off when absent.
   */
  readonly shareInFlight?: { readonly epoch: () => number } | undefined
}

/** One item of a batch, as the batch runner sees it. */
export interface Item<I, A, E> {
  readonly account: string
  readonly input: I
  readonly complete: (outcome: Either.Either<A, E>) => void
}

interface Waiter<A, E> {
  readonly deferred: Deferred.Deferred<A, E>
  readonly span: Option.Option<Tracer.AnySpan>
}

interface Pending<I, A, E> {
  readonly key: string
  readonly account: string
  readonly input: I
  readonly waiters: Set<Waiter<A, E>>
  /** With `shareInFlight`: the epoch when the item's batch was flushed. */
  epoch?: number
}

const unresolved = Exit.die(new Error("timtags: a batch ended without an outcome for an item"))

/**
 * Builds `submit(key, account, input)`, which waits for its item's outcome from a batch run by
 * `run`. `run` must complete every item; any it leaves open end as a defect.
 */
export const make = <I, A, E>(
  run: (items: ReadonlyArray<Item<I, A, E>>) => Effect.Effect<void>,
  options: Options
): Effect.Effect<(key: string, account: string, input: I) => Effect.Effect<A, E>, never, Scope.Scope> =>
  Effect.gen(function*() {
    const fibers = yield* FiberSet.make()
    const window = Duration.decode(options.window)
    let pending = new Map<string, Pending<I, A, E>>()
    const inFlight = new Map<string, Pending<I, A, E>>()
    const share = options.shareInFlight
    let generation = 0
    let timerArmed = false

    const takeBatch = () => {
      const batch = pending
      pending = new Map()
      generation += 1
      timerArmed = false
      return batch
    }

    const settle = (waiters: Set<Waiter<A, E>>, exit: Exit.Exit<A, E>) => {
      for (const waiter of waiters) Deferred.unsafeDone(waiter.deferred, exit)
    }

    const runBatch = (batch: Map<string, Pending<I, A, E>>) => {
      const entries = [...batch.values()]
      const open = new Set(entries)
      if (share !== undefined) {
        const epoch = share.epoch()
        for (const entry of entries) {
          entry.epoch = epoch
          inFlight.set(entry.key, entry)
        }
      }
      const done = (entry: Pending<I, A, E>) => {
        if (!open.delete(entry)) return false
        if (inFlight.get(entry.key) === entry) inFlight.delete(entry.key)
        return true
      }
      const items = entries.map((entry): Item<I, A, E> => ({
        account: entry.account,
        input: entry.input,
        complete: (outcome) => {
          if (done(entry)) settle(entry.waiters, Either.isRight(outcome) ? Exit.succeed(outcome.right) : Exit.fail(outcome.left))
        }
      }))
      // Tracing: the batch span links to its callers' spans, and each caller's span names the batch.
      const callers: Array<Tracer.AnySpan> = []
      for (const entry of entries) {
        for (const waiter of entry.waiters) if (Option.isSome(waiter.span)) callers.push(waiter.span.value)
      }
      const links = callers.slice(0, 128).map((span): Tracer.SpanLink => ({ _tag: "SpanLink", span, attributes: {} }))
      const annotateCallers = Effect.flatMap(Effect.option(Effect.currentSpan), (batchSpan) =>
        Effect.sync(() => {
          if (Option.isNone(batchSpan)) return
          for (const caller of callers) {
            if (caller._tag !== "Span") continue
            caller.attribute("tim.batch.span_id", batchSpan.value.spanId)
            caller.attribute("tim.batch.trace_id", batchSpan.value.traceId)
          }
        }))
      return Effect.zipRight(annotateCallers, run(items)).pipe(
        Effect.onExit((exit) =>
          Effect.sync(() => {
            const leftover = Exit.isInterrupted(exit) ? Exit.die(new Error("timtags: the batch was interrupted")) : unresolved
            for (const entry of [...open]) if (done(entry)) settle(entry.waiters, leftover)
          })
        ),
        Effect.withSpan("timtags.batch", { captureStackTrace: false, root: true, links, attributes: { "tim.batch.keys": entries.length } }),
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

    return (key: string, account: string, input: I) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function*() {
          const deferred = yield* Deferred.make<A, E>()
          const span = yield* Effect.option(Effect.currentSpan)
          const waiter: Waiter<A, E> = { deferred, span }
          const sent = inFlight.get(key)
          if (share !== undefined && sent !== undefined && sent.epoch === share.epoch()) {
            sent.waiters.add(waiter)
            return yield* restore(Deferred.await(deferred)).pipe(Effect.onInterrupt(() => Effect.sync(() => sent.waiters.delete(waiter))))
          }
          const joined = pending
          let entry = joined.get(key)
          if (entry === undefined) joined.set(key, entry = { key, account, input, waiters: new Set() })
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
        })
      )
  })
