/**
 * First come, first served per key: each waiter runs its turn only after the one before it under the
 * same key has finished its turn, so only the head of a key's queue sleeps on the clock. A waiter
 * interrupted before its turn ended passes its place on to the next one without stalling the queue.
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"

/** A queue per key. */
export interface KeyQueue {
  /** Runs `turn` when every earlier waiter under `key` has finished its own. */
  readonly inTurn: <A>(key: string, turn: Effect.Effect<A>) => Effect.Effect<A>
}

/** Makes an empty queue. */
export const make = (): KeyQueue => {
  const tails = new Map<string, Deferred.Deferred<void>>()
  return {
    inTurn: (key, turn) =>
      Effect.uninterruptibleMask((restore) => {
        const previous = tails.get(key)
        const mine = Deferred.makeUnsafe<void>()
        tails.set(key, mine)
        const waited = previous === undefined ? turn : Effect.andThen(Deferred.await(previous), turn)
        // Whatever happens to this waiter, the next one gets its turn (after `previous`, if this one never had it).
        const passOn = (done: boolean) =>
          Effect.sync(() => {
            if (tails.get(key) === mine) tails.delete(key)
          }).pipe(
            Effect.andThen(
              done || previous === undefined
                ? Effect.asVoid(Deferred.succeed(mine, undefined))
                : Effect.asVoid(
                  Effect.forkDetach(Effect.andThen(Deferred.await(previous), Deferred.succeed(mine, undefined)))
                )
            )
          )
        return restore(waited).pipe(Effect.onExit((exit) => passOn(exit._tag === "Success")))
      })
  }
}
