/**
 * One REST call of a command over accounts: its body for the call's (distinct) accounts, the call
 * through `TimRest` within the service's bound on calls in flight (hedged, for reads), and every
 * account settled from the answer. A whole-call failure fails every account of the call; `ErrorList`
 * entries fail only their own. When a write's call ends, before any of its accounts is settled, the
 * epoch moves on, so that no read issued after the write completed joins a call sent before it.
 */
import * as Effect from "effect/Effect"
import type { Service as TimRest } from "../../TimRest.js"
import type { Hedging } from "./hedging.js"
import type { Queue } from "./queue.js"
import * as Settle from "./settle.js"
import type { Epoch } from "./sharing.js"
import type { Sink } from "./sink.js"
import type { Spec } from "./spec.js"

/** What calls of one service share. */
export interface Context {
  readonly rest: TimRest
  /** Bounds the service's calls in flight. */
  readonly bounded: <A, E>(call: Effect.Effect<A, E>) => Effect.Effect<A, E>
  /** Completed writes. */
  readonly epoch: Epoch
}

/**
 * Makes the calls of one command (hedged when `hedging` is given, which only a read may be). Each call is in
 * `queue` from when it is made until its first attempt is handed to the HTTP client.
 */
export const caller = <I, O>(ctx: Context, spec: Spec<I, O>, hedging: Hedging | undefined, queue: Queue) => {
  const unlisted = spec.kind === "read" ? Settle.missing(spec.command) : Settle.succeeded as never
  const send = (accounts: ReadonlyArray<string>, inputs: ReadonlyArray<I>, handedOver: () => void) => {
    const body = spec.body(accounts, inputs)
    const meta = { accounts: accounts.length, sent: handedOver }
    if (hedging === undefined) return ctx.rest.call(spec.command, body, spec.answer, meta)
    return hedging.run((sent) =>
      ctx.rest.call(spec.command, body, spec.answer, {
        ...meta,
        sent: (at) => {
          handedOver()
          sent(at)
        }
      })
    )
  }
  const ended = spec.kind === "write"
    ? () => {
      ctx.epoch.value++
    }
    : undefined
  /** One call for `accounts` (distinct, at most `maxPerCall`); every account is settled into `sink`. */
  return (accounts: ReadonlyArray<string>, inputs: ReadonlyArray<I>, sink: Sink<O>): Effect.Effect<void> =>
    Effect.suspend(() => {
      const leave = queue.join()
      return ctx.bounded(send(accounts, inputs, leave)).pipe(Effect.ensuring(Effect.sync(leave)))
    }).pipe(
      Effect.match({
        onFailure: (error) => {
          ended?.()
          Settle.failAll(accounts.length, error, sink)
        },
        onSuccess: (answer) => {
          ended?.()
          Settle.settle(spec.command, accounts, answer, sink, unlisted)
        }
      })
    )
}

/** A command's call maker. */
export type Caller<I, O> = ReturnType<typeof caller<I, O>>
