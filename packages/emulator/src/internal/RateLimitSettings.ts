/**
 * The rate limit's settings while the emulator runs: the defaults, the options' values, and a cell the control
 * methods change. `limit` holds every command but those the per-command limits name, which keep their own (by
 * default the lower limits Tencent documents for the lowest edition); a `limit` of 0 or `Infinity` turns every
 * limit off.
 */
import type { EmulatorOptions, RateLimitSettings } from "../Emulator.js"
import { documentedLimits } from "./CommandTable.js"
import { isUnlimited } from "./RateLimiter.js"

/** The settings when the options name none: 100 calls per second, counted strictly, no jitter. */
export const defaults: RateLimitSettings = { limit: 100, stampAtArrival: true, countRefused: true, arrivalJitter: 0 }

/** The current settings. */
export interface SettingsCell {
  readonly get: () => RateLimitSettings
  /** Changes the settings `change` names; the others keep their values. */
  readonly update: (change: Partial<RateLimitSettings>) => void
  /** The commands with a limit of their own, and their limits (calls per second; 0 or `Infinity`: none). */
  readonly commands: () => Readonly<Record<string, number>>
  /** Changes the limits of the commands `change` names; the others keep theirs. */
  readonly updateCommands: (change: Readonly<Record<string, number>>) => void
}

/** The limit a command is held to under the settings and per-command limits. */
export const limitOf = (
  settings: RateLimitSettings,
  commands: Readonly<Record<string, number>>,
  command: string
): number => (isUnlimited(settings.limit) ? settings.limit : commands[command] ?? settings.limit)

/** A cell holding the settings the options describe. */
export const make = (options: EmulatorOptions): SettingsCell => {
  let current: RateLimitSettings = {
    limit: options.rateLimit ?? defaults.limit,
    stampAtArrival: options.stampAtArrival ?? defaults.stampAtArrival,
    countRefused: options.countRefused ?? defaults.countRefused,
    arrivalJitter: options.arrivalJitter ?? defaults.arrivalJitter
  }
  let commands: Readonly<Record<string, number>> = { ...documentedLimits, ...options.commandRateLimits }
  return {
    get: () => current,
    update: (change) => {
      current = { ...current, ...change }
    },
    commands: () => commands,
    updateCommands: (change) => {
      commands = { ...commands, ...change }
    }
  }
}
