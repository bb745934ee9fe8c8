/**
 * Everything one running emulator holds: its app, store, UserSig verifier, request arrival stamps, rate limit
 * (settings and log), faults and call log.
 */
import type * as Clock from "effect/Clock"
import * as CallLog from "../CallLog.js"
import type { EmulatorOptions } from "../Emulator.js"
import * as Faults from "../Faults.js"
import * as Store from "../Store.js"
import * as UserSigVerifier from "../UserSigVerifier.js"
import type { Arrivals } from "./Arrivals.js"
import type { CommandContext } from "./Command.js"
import * as RateLimiter from "./RateLimiter.js"
import * as RateLimitSettings from "./RateLimitSettings.js"
import * as RequestLog from "./RequestLog.js"

/** One emulator's state. */
export interface State {
  readonly sdkAppId: number
  readonly admin: string
  readonly verifier: UserSigVerifier.Verifier
  readonly arrivals: Arrivals
  readonly rateLimit: RateLimitSettings.SettingsCell
  readonly limiter: RateLimiter.RateLimiter
  readonly faults: Faults.FaultQueue
  readonly log: CallLog.CallLog
  /** The `requestLog` option's recorder, if the options set one. */
  readonly requestLog: ((call: CallLog.CallRecord) => void) | undefined
  readonly commands: CommandContext
}

/** The admin identifier when the options name none. */
export const defaultAdmin = "administrator"

/**
 * Makes the state the options describe, seeded if they say so, stamping arrivals with `arrivals` and timing the
 * request log's calls on `clock`.
 */
export const make = (options: EmulatorOptions, arrivals: Arrivals, clock: Clock.Clock): State => {
  const store = Store.make()
  if (options.seed !== undefined) store.seed(options.seed)
  return {
    sdkAppId: options.sdkAppId,
    admin: options.admin ?? defaultAdmin,
    verifier: UserSigVerifier.make(options.secretKey),
    arrivals,
    rateLimit: RateLimitSettings.make(options),
    limiter: RateLimiter.make(),
    faults: Faults.make(),
    log: CallLog.make(),
    requestLog: options.requestLog === undefined ? undefined : RequestLog.make(options.requestLog, clock),
    commands: {
      store,
      omitEmptyTags: options.omitEmptyTags ?? false,
      shuffleResponse: options.shuffleResponse ?? false
    }
  }
}
