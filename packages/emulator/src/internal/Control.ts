/**
 * The emulator's control methods (seed, attributes, devices, pushes, scheduled tasks, faults, call log, rate
 * limit, push pace) as Effects over its state. A seed that breaks an attribute rule is a defect.
 */
import * as Effect from "effect/Effect"
import type { Control } from "../Emulator.js"
import * as PushCommands from "./PushCommands.js"
import * as Seeding from "./Seeding.js"
import type { State } from "./State.js"

/** The control methods for this state. */
export const make = ({ commands: app, faults, log, rateLimit }: State): Control => ({
  seed: (record) => Effect.sync(() => app.store.seed(record)),
  importAccounts: (accounts) => Effect.sync(() => app.store.importAccounts(accounts)),
  tagsOf: (account) => Effect.sync(() => app.store.tagsOf(account)),
  injectFault: (spec) => Effect.sync(() => faults.push(spec)),
  clearFaults: Effect.sync(() => faults.clear()),
  calls: Effect.sync(() => log.calls()),
  resetCalls: Effect.sync(() => log.reset()),
  stats: Effect.sync(() => log.stats()),
  maxInSlidingWindow: (windowMillis, command) => Effect.sync(() => log.maxInSlidingWindow(windowMillis, command)),
  rateLimit: Effect.sync(() => rateLimit.get()),
  setRateLimit: (change) =>
    Effect.sync(() => rateLimit.update(typeof change === "number" ? { limit: change } : change)),
  commandRateLimits: Effect.sync(() => rateLimit.commands()),
  setCommandRateLimits: (change) => Effect.sync(() => rateLimit.updateCommands(change)),
  setAttrNames: (names, types) => Effect.sync(() => Seeding.setAttrNames(app.attrs, names, types)),
  attrNames: Effect.sync(() => app.attrs.names()),
  seedAttrs: (record) => Effect.sync(() => Seeding.seedAttrs(app, record)),
  attrsOf: (account) => Effect.sync(() => app.attrs.valuesOf(account)),
  registerDevices: (registrationIds) => Effect.sync(() => app.store.registerDevices(registrationIds)),
  pushes: Effect.sync(() => app.pushes.records()),
  recipients: (body) => Effect.sync(() => PushCommands.recipientsOf(app, body)),
  scheduledTasks: Effect.sync(() => app.schedule.all()),
  pushSettings: Effect.sync(() => app.pacing.settings()),
  setPushSettings: (change) => Effect.sync(() => app.pacing.update(change))
})
