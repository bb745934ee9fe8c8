/**
 * Everything one running emulator holds: its app (store, attributes, pushes, their pace, scheduled tasks),
 * UserSig verifier, request arrival stamps, rate limit (settings and log), faults and call log.
 */
import * as CallLog from "../CallLog.js"
import type { EmulatorOptions } from "../Emulator.js"
import * as Faults from "../Faults.js"
import * as Store from "../Store.js"
import * as UserSigVerifier from "../UserSigVerifier.js"
import type { Arrivals } from "./Arrivals.js"
import * as Attributes from "./Attributes.js"
import type { CommandContext } from "./Command.js"
import * as PushBook from "./PushBook.js"
import * as PushPacing from "./PushPacing.js"
import * as RateLimiter from "./RateLimiter.js"
import * as RateLimitSettings from "./RateLimitSettings.js"
import * as RequestLog from "./RequestLog.js"
import * as SchedDispatch from "./SchedDispatch.js"
import * as SchedTasks from "./SchedTasks.js"
import type { Timer } from "./Timer.js"

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

/** The app the options describe: accounts, tags and attributes seeded, no pushes yet. */
const makeApp = (options: EmulatorOptions, timer: Timer): CommandContext => {
  const store = Store.make()
  const attrs = Attributes.make(store)
  const app: CommandContext = {
    sdkAppId: options.sdkAppId,
    store,
    attrs,
    pushes: PushBook.make(options.sdkAppId),
    pacing: PushPacing.make(options),
    schedule: SchedTasks.make(timer, (task, content) => SchedDispatch.dispatch(app, task, content)),
    timer,
    omitEmptyTags: options.omitEmptyTags ?? false,
    shuffleResponse: options.shuffleResponse ?? false
  }
  return app
}

/**
 * Makes the state the options describe, seeded if they say so, stamping arrivals with `arrivals` and keeping
 * time (of scheduled tasks, of the request log's calls) with `timer`. Throws when the seed breaks a rule (a tag of both account kinds, an attribute rule).
 */
export const make = (options: EmulatorOptions, arrivals: Arrivals, timer: Timer): State => {
  const commands = makeApp(options, timer)
  return {
    sdkAppId: options.sdkAppId,
    admin: options.admin ?? defaultAdmin,
    verifier: UserSigVerifier.make(options.secretKey),
    arrivals,
    rateLimit: RateLimitSettings.make(options),
    limiter: RateLimiter.make(),
    faults: Faults.make(),
    log: CallLog.make(),
    requestLog: options.requestLog === undefined ? undefined : RequestLog.make(options.requestLog, timer.now),
    commands
  }
}
