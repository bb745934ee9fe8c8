/**
 * Accounts already in hand (the many-account forms and streams) travel a chunk at a time: a chunk of
 * distinct accounts, at most `maxPerCall`, is one unit of work, without a request entry, a fiber or
 * an `Exit` per account; each result goes straight from the answer into the caller's sink.
 *
 * A chunk still shares with everyone else. A full chunk none of whose accounts is on a joinable
 * flight (a lookup waiting or in flight, see `Sharing`) goes out at once as a flight of its own, which
 * single-account lookups and other chunks may join. Any other chunk's accounts go through the
 * command's resolver, where each one on a joinable flight rides along on it and the rest coalesce
 * with other callers' into fuller calls. Writes go the same way without sharing.
 *
 * A chunk's own call runs in the service's context, as a batch does, on a fiber of its own: if the
 * chunk's caller is interrupted, the call is interrupted too, unless others ride on it.
 */
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type * as RequestResolver from "effect/RequestResolver"
import * as Result from "effect/Result"
import type * as Tracer from "effect/Tracer"
import type { TimLookupError } from "../../TimError.js"
import type { Caller } from "./call.js"
import { AccountRequest } from "./resolver.js"
import { Flight, type Sharing } from "./sharing.js"
import type { Sink } from "./sink.js"
import * as Tracing from "./tracing.js"

/** What the chunks of one command need. */
export interface Chunks<I, O> {
  readonly maxPerCall: number
  readonly call: Caller<I, O>
  readonly resolver: RequestResolver.RequestResolver<AccountRequest<I, O>>
  /** A read's flights; none for a write. */
  readonly sharing: Sharing<O> | undefined
  /** The service's context, which a chunk's own call runs in. */
  readonly context: Context.Context<never>
}

/** Counts a chunk's accounts down as they settle; the first defect among them is kept. */
const countdown = <O>(n: number, sink: Sink<O>, done: (defect: Cause.Cause<never> | undefined) => void) => {
  let pending = n
  let defect: Cause.Cause<never> | undefined
  const settled = () => {
    if (--pending === 0) done(defect)
  }
  const out: Sink<O> = {
    succeed: (i, value) => {
      sink.succeed(i, value)
      settled()
    },
    fail: (i, error) => {
      sink.fail(i, error)
      settled()
    }
  }
  const fromExit = (i: number) => (exit: Exit.Exit<O, TimLookupError>) => {
    if (Exit.isSuccess(exit)) return out.succeed(i, exit.value)
    const error = Cause.findError(exit.cause)
    if (Result.isSuccess(error)) return out.fail(i, error.success)
    defect ??= exit.cause as Cause.Cause<never>
    settled()
  }
  return { out, fromExit }
}

/** A sink that lands each account of `flight` (taking it off, passing its result to riders) as it settles. */
const landing = <O>(
  accounts: ReadonlyArray<string>,
  flight: Flight<O>,
  sharing: Sharing<O>,
  out: Sink<O>
): Sink<O> => ({
  succeed: (i, value) => {
    sharing.unboard(accounts[i]!, flight)
    out.succeed(i, value)
    flight.land(accounts[i]!, () => Exit.succeed(value))
  },
  fail: (i, error) => {
    sharing.unboard(accounts[i]!, flight)
    out.fail(i, error)
    flight.land(accounts[i]!, () => Exit.fail(error))
  }
})

/**
 * Runs one chunk of distinct accounts (at most `maxPerCall`), `inputs[i]` being what `accounts[i]`
 * sends; every account is settled into `sink` before it completes.
 */
export const run = <I, O>(
  ctx: Chunks<I, O>,
  accounts: ReadonlyArray<string>,
  inputs: ReadonlyArray<I>,
  sink: Sink<O>
): Effect.Effect<void> =>
  accounts.length === 0 ? Effect.void : Effect.withFiber((fiber) =>
    Effect.callback<void>((resume) => {
      const span: Tracer.AnySpan | undefined = Tracing.spanOf(fiber.context as Context.Context<never>)
      const { fromExit, out } = countdown(
        accounts.length,
        sink,
        (defect) => resume(defect === undefined ? Effect.void : Effect.failCause(defect))
      )
      const { sharing } = ctx
      if (accounts.length === ctx.maxPerCall && accounts.every((account) => sharing?.joinable(account) === undefined)) {
        return direct(ctx, accounts, inputs, out, fromExit, span)
      }
      // The resolver's preCheck lets each account that is on a joinable flight ride on it.
      const cancels = accounts.map((account, i) =>
        Effect.requestUnsafe(new AccountRequest<I, O>({ account, input: inputs[i]! }), {
          resolver: ctx.resolver,
          context: fiber.context,
          onExit: fromExit(i)
        })
      )
      return Effect.sync(() => {
        for (const cancel of cancels) cancel()
      })
    })
  )

/** `sink`, remembering which accounts it settled. */
const marking = <O>(n: number, sink: Sink<O>) => {
  const settled = new Uint8Array(n)
  const marked: Sink<O> = {
    succeed: (i, value) => {
      settled[i] = 1
      sink.succeed(i, value)
    },
    fail: (i, error) => {
      settled[i] = 1
      sink.fail(i, error)
    }
  }
  return { marked, settled }
}

/**
 * A full chunk's own call, on a fiber in the service's context; returns what interrupting the
 * chunk's caller does: interrupt the call, unless others ride on it. A call that dies settles every
 * account it left with the defect, for the caller and the riders (as Effect's batch runner does for
 * the entries of a batch).
 */
const direct = <I, O>(
  ctx: Chunks<I, O>,
  accounts: ReadonlyArray<string>,
  inputs: ReadonlyArray<I>,
  out: Sink<O>,
  fromExit: (i: number) => (exit: Exit.Exit<O, TimLookupError>) => void,
  span: Tracer.AnySpan | undefined
): Effect.Effect<void> => {
  const { sharing } = ctx
  const flight = sharing === undefined ? undefined : new Flight<O>()
  if (sharing !== undefined && flight !== undefined) {
    flight.sentAt = sharing.epoch.value
    for (const account of accounts) sharing.board(account, flight)
  }
  const { marked, settled } = marking(accounts.length, out)
  const sink = sharing === undefined || flight === undefined ? marked : landing(accounts, flight, sharing, marked)
  const died = (cause: Cause.Cause<unknown>) =>
    Effect.sync(() => {
      const exit = Exit.failCause(cause as Cause.Cause<never>)
      for (let i = 0; i < accounts.length; i++) {
        if (settled[i] === 1) continue
        if (sharing !== undefined && flight !== undefined) sharing.unboard(accounts[i]!, flight)
        fromExit(i)(exit)
        flight?.land(accounts[i]!, () => exit)
      }
    })
  const call = Effect.runForkWith(ctx.context)(
    Tracing.batchSpan(span === undefined ? [] : [span], accounts.length, ctx.call(accounts, inputs, sink)).pipe(
      Effect.onExit((exit) =>
        Exit.isFailure(exit) && !Cause.hasInterruptsOnly(exit.cause) ? died(exit.cause) : Effect.void
      )
    )
  )
  return Effect.suspend(() => {
    if (flight?.riders !== undefined) return Effect.void
    if (sharing !== undefined && flight !== undefined) {
      for (const account of accounts) sharing.unboard(account, flight)
    }
    return Fiber.interrupt(call)
  })
}
