/**
 * The rate limit's settings while the emulator runs: the defaults, the options' values, and a cell the control
 * methods change.
 */
import type { EmulatorOptions, RateLimitSettings } from "../Emulator.js"

/** The settings when the options name none: 100 calls per second, counted strictly, no jitter. */
export const defaults: RateLimitSettings = { limit: 100, stampAtArrival: true, countRefused: true, arrivalJitter: 0 }

/** The current settings. */
export interface SettingsCell {
  readonly get: () => RateLimitSettings
  /** Changes the settings `change` names; the others keep their values. */
  readonly update: (change: Partial<RateLimitSettings>) => void
}

/** A cell holding the settings the options describe. */
export const make = (options: EmulatorOptions): SettingsCell => {
  let current: RateLimitSettings = {
    limit: options.rateLimit ?? defaults.limit,
    stampAtArrival: options.stampAtArrival ?? defaults.stampAtArrival,
    countRefused: options.countRefused ?? defaults.countRefused,
    arrivalJitter: options.arrivalJitter ?? defaults.arrivalJitter
  }
  return {
    get: () => current,
    update: (change) => {
      current = { ...current, ...change }
    }
  }
}
