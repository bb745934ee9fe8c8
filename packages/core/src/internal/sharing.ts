/**
 * Lookups of one account share one `get_tag` entry. A lookup whose account already has an entry
 * rides along on it instead of adding a second one: always while that entry waits for its batch,
 * and (unless turned off) once it has been sent, but only if no write has completed since (the
 * `epoch` counts completed writes), so that a read issued after a write completed never gets an
 * answer from before it.
 *
 * It plugs into a resolver as its `preCheck`, the way Effect's `RequestResolver.withCache` shares
 * pending entries, so batches only ever hold distinct accounts. An entry with riders is marked
 * uninterruptible: its own caller going away must not take the riders' answer with it.
 */
import type * as Request from "effect/Request"

/** A counter of completed writes. */
export interface Epoch {
  value: number
}

/** The sharing of one resolver's entries. */
export interface Sharing<A extends Request.Any> {
  /** Admits `entry` to a batch, or attaches it to the entry it shares and returns `false`. */
  readonly preCheck: (entry: Request.Entry<A>) => boolean
  /** Records that these entries have been sent, at the current epoch. */
  readonly sent: (entries: Iterable<Request.Entry<A>>) => void
  /** The entries riding along on `entry`. */
  readonly riders: (entry: Request.Entry<A>) => ReadonlyArray<Request.Entry<A>>
}

/** The entry of one key that others may ride along on. */
interface Shared<A extends Request.Any> {
  readonly primary: Request.Entry<A>
  /** Allocated when the first rider comes. */
  riders: Array<Request.Entry<A>> | undefined
  /** The epoch when it was sent; `undefined` while it waits for its batch. */
  sentAt: number | undefined
}

const none: ReadonlyArray<never> = []

/**
 * Shares entries with equal `keyOf(request)`: those waiting for their batch, and with `inFlight`
 * also those already sent (while the epoch is unchanged).
 */
export const make = <A extends Request.Any>(
  keyOf: (request: A) => string,
  epoch: Epoch,
  inFlight = true
): Sharing<A> => {
  const byKey = new Map<string, Shared<A>>()
  const sharedOf = (entry: Request.Entry<A>) => {
    const shared = byKey.get(keyOf(entry.request))
    return shared?.primary === entry ? shared : undefined
  }

  const preCheck = (entry: Request.Entry<A>): boolean => {
    const key = keyOf(entry.request)
    const current = byKey.get(key)
    if (current !== undefined && (current.sentAt === undefined || (inFlight && current.sentAt === epoch.value))) {
      current.primary.uninterruptible = true
      ;(current.riders ??= []).push(entry)
      return false
    }
    const mine: Shared<A> = { primary: entry, riders: undefined, sentAt: undefined }
    byKey.set(key, mine)
    const complete = entry.completeUnsafe
    entry.completeUnsafe = (exit) => {
      if (byKey.get(key) === mine) byKey.delete(key)
      complete.call(entry, exit)
      if (mine.riders !== undefined) { for (const rider of mine.riders) rider.completeUnsafe(exit) }
    }
    return true
  }

  return {
    preCheck,
    sent: (entries) => {
      for (const entry of entries) {
        const shared = sharedOf(entry)
        if (shared !== undefined) shared.sentAt = epoch.value
      }
    },
    riders: (entry) => sharedOf(entry)?.riders ?? none
  }
}
