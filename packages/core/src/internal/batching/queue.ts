/**
 * The calls of one command that wait for their turn: created (waiting for a slot among the service's calls in
 * flight, then for the rate limiter) and not yet handed to the HTTP client. A batch of single-account requests
 * whose window has ended waits until the calls queued before it have gone (`turn`): a new call could not start
 * sooner anyway, and meanwhile the batch keeps collecting requests, up to a full call. When the limiter is the
 * bottleneck (lookups from many fibers at Tencent's 100 calls per second), calls then carry up to 100 accounts
 * instead of the few that arrive within one window; when it is not, nothing waits.
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"

/** One command's queue of waiting calls. */
export interface Queue {
  /** A call joins the queue; the returned function takes it out (once; later calls do nothing). */
  readonly join: () => () => void
  /** Completes when every call that joined before it has left. */
  readonly turn: Effect.Effect<void>
}

/** An empty queue. */
export const make = (): Queue => {
  let joined = 0
  let left = 0
  let waiters: Array<{ readonly until: number; readonly done: Deferred.Deferred<void> }> = []
  const leave = () => {
    left++
    if (waiters.length === 0) return
    const ready = waiters.filter((waiter) => waiter.until <= left)
    if (ready.length === 0) return
    waiters = waiters.filter((waiter) => waiter.until > left)
    for (const waiter of ready) Deferred.doneUnsafe(waiter.done, Exit.void)
  }
  return {
    join: () => {
      joined++
      let gone = false
      return () => {
        if (gone) return
        gone = true
        leave()
      }
    },
    turn: Effect.suspend(() => {
      if (left >= joined) return Effect.void
      const done = Deferred.makeUnsafe<void>()
      waiters.push({ until: joined, done })
      return Deferred.await(done)
    })
  }
}
