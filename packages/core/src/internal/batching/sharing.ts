/**
 * Lookups of one account share one call. Every call of a read command registers its accounts as a
 * `Flight`; a lookup whose account is on a flight rides along instead of adding the account again:
 * always while the flight waits for its batch, and (unless turned off) once it has been sent, but
 * only if no write has completed since (the `Epoch` counts completed writes), so that a read issued
 * after a write completed never gets an answer from before it.
 *
 * Single-account lookups (through the resolver's `preCheck`, the way Effect's
 * `RequestResolver.withCache` shares pending entries) and the chunks of the many-account forms use
 * the same flights, so each rides on the other.
 */
import type * as Exit from "effect/Exit"
import type * as Tracer from "effect/Tracer"
import type { TimLookupError } from "../../TimError.js"

/** A counter of completed writes. */
export interface Epoch {
  value: number
}

/** A lookup riding along on another's call: it gets the same exit. */
export interface Rider<O> {
  readonly complete: (exit: Exit.Exit<O, TimLookupError>) => void
  /** Its caller's span, which the call's batch span links to. */
  readonly span: Tracer.AnySpan | undefined
}

/** A call (sent, or waiting for its batch) whose accounts others may ride along on. */
export class Flight<O> {
  /** The epoch when it was sent; `undefined` while it waits for its batch. */
  sentAt: number | undefined = undefined
  /** Riders by account, allocated with the first. */
  riders: Map<string, Array<Rider<O>>> | undefined = undefined

  /** `onRider` is told when the first rider comes (the call must then finish for them). */
  constructor(private readonly onRider?: () => void) {}

  ride(account: string, rider: Rider<O>): void {
    if (this.riders === undefined) {
      this.riders = new Map()
      this.onRider?.()
    }
    const list = this.riders.get(account)
    if (list === undefined) this.riders.set(account, [rider])
    else list.push(rider)
  }

  /** Passes `account`'s exit on to its riders (made only if it has any). */
  land(account: string, exit: () => Exit.Exit<O, TimLookupError>): void {
    const list = this.riders?.get(account)
    if (list === undefined) return
    const result = exit()
    for (const rider of list) rider.complete(result)
  }
}

/** The flights of one read command. */
export interface Sharing<O> {
  readonly epoch: Epoch
  /** The flight a lookup of `account` may ride on now, if any. */
  readonly joinable: (account: string) => Flight<O> | undefined
  /** Puts `account` on `flight`. */
  readonly board: (account: string, flight: Flight<O>) => void
  /** Takes `account` off `flight` (once its result is in), unless a newer flight has it. */
  readonly unboard: (account: string, flight: Flight<O>) => void
}

/** Sharing of flights waiting for their batch, and with `inFlight` also of flights sent in this epoch. */
export const make = <O>(epoch: Epoch, inFlight: boolean): Sharing<O> => {
  const flights = new Map<string, Flight<O>>()
  return {
    epoch,
    joinable: (account) => {
      const flight = flights.get(account)
      return flight !== undefined && (flight.sentAt === undefined || (inFlight && flight.sentAt === epoch.value))
        ? flight
        : undefined
    },
    board: (account, flight) => {
      flights.set(account, flight)
    },
    unboard: (account, flight) => {
      if (flights.get(account) === flight) flights.delete(account)
    }
  }
}
