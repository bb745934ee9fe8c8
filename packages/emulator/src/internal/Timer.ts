/**
 * The emulator's time for the commands: its `Clock` read synchronously (the same source as the handlers'
 * `Clock.currentTimeMillis`: wall-clock time when live, the test's time under `TestClock`), and callbacks run
 * when that clock reaches a moment (a fiber sleeping on the `Clock`, so `TestClock.adjust` runs them). The
 * fibers live in the emulator's scope and stop when it closes.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import type * as Scope from "effect/Scope"

/** Reading the clock, and running work at a moment. */
export interface Timer {
  /** Now, epoch ms. */
  readonly now: () => number
  /** Runs `f` once the clock reaches `time` (at once if it has). */
  readonly at: (time: number, f: () => void) => void
}

/** A timer on the current `Clock`, its fibers in the current scope. */
export const make: Effect.Effect<Timer, never, Scope.Scope> = Effect.gen(function*() {
  const clock = yield* Clock.clockWith(Effect.succeed)
  const run = yield* FiberSet.makeRuntime<never, void, never>()
  const now = () => clock.currentTimeMillisUnsafe()
  return {
    now,
    at: (time, f) => {
      run(Effect.andThen(Effect.sleep(Math.max(0, time - now())), Effect.sync(f)))
    }
  }
})
