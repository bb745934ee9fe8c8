/** The emulator's control methods (seed, faults, call log, rate limit) as Effects over its state. */
import * as Effect from "effect/Effect"
import type { Control } from "../Emulator.js"
import type { State } from "./State.js"

/** The control methods for this state. */
export const make = ({ commands: { store }, faults, log, rateLimit }: State): Control => ({
  seed: (record) => Effect.sync(() => store.seed(record)),
  importAccounts: (accounts) => Effect.sync(() => store.importAccounts(accounts)),
  tagsOf: (account) => Effect.sync(() => store.tagsOf(account)),
  injectFault: (spec) => Effect.sync(() => faults.push(spec)),
  clearFaults: Effect.sync(() => faults.clear()),
  calls: Effect.sync(() => log.calls()),
  resetCalls: Effect.sync(() => log.reset()),
  stats: Effect.sync(() => log.stats()),
  maxInSlidingWindow: (windowMillis, command) => Effect.sync(() => log.maxInSlidingWindow(windowMillis, command)),
  rateLimit: Effect.sync(() => rateLimit.get()),
  setRateLimit: (change) => Effect.sync(() => rateLimit.update(typeof change === "number" ? { limit: change } : change))
})
