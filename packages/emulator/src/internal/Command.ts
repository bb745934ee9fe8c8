/**
 * What a REST command is: the service it belongs to (which fixes the codes for the shared checks), its name,
 * its limits (accounts per call, calls per second) and how it turns a parsed JSON body into work. `prepare`
 * only checks the body's shape; the pipeline then applies the account limit and runs the command against the
 * app. `declare` builds a command from a body parser and a run function, so that each command is a short
 * declaration.
 */
import { ErrorCode } from "../ErrorCodes.js"
import type { Store } from "../Store.js"
import type { Attributes } from "./Attributes.js"
import type { Envelope } from "./Envelope.js"
import type { PushBook } from "./PushBook.js"
import type { PushPacing } from "./PushPacing.js"
import type { SchedTasks } from "./SchedTasks.js"
import type { Timer } from "./Timer.js"

/** A REST service (`v4/{service}/...`) and its codes for the checks every command shares. */
export interface Service {
  readonly name: string
  /** The identifier is not the app admin. */
  readonly notAdmin: number
  /** The body is not JSON. */
  readonly badJson: number
  /** The body is JSON of the wrong shape. */
  readonly badShape: number
  /** The body names more accounts than the command takes. */
  readonly tooMany: number
}

/** `v4/timpush`: the push commands (tags, attributes, pushes, scheduled tasks, statistics). */
export const timpush: Service = {
  name: "timpush",
  notAdmin: ErrorCode.PushAdminRequired,
  badJson: ErrorCode.BodyInvalid,
  badShape: ErrorCode.BodyInvalid,
  tooMany: ErrorCode.TooManyAccounts
}

/** `v4/im_open_login_svc`: account import. */
export const loginService: Service = {
  name: "im_open_login_svc",
  notAdmin: ErrorCode.AdminRequired,
  badJson: ErrorCode.JsonParse,
  badShape: ErrorCode.InvalidParameter,
  tooMany: ErrorCode.InvalidParameter
}

/** What a command may read and change while it runs: the app. */
export interface CommandContext {
  readonly sdkAppId: number
  readonly store: Store
  readonly attrs: Attributes
  readonly pushes: PushBook
  readonly pacing: PushPacing
  readonly schedule: SchedTasks
  readonly timer: Timer
  readonly omitEmptyTags: boolean
  readonly shuffleResponse: boolean
}

/** A body that has the right shape: how many accounts it names, and the work it asks for. */
export interface Prepared {
  readonly accounts: number
  readonly run: (context: CommandContext) => Envelope
}

/** How many accounts one call may name when the command does not say. */
export const defaultMaxAccounts = 100

/** A REST command. */
export interface Command {
  readonly service: Service
  readonly name: string
  /** The most accounts one call may name (default 100); more get the service's `tooMany` code. */
  readonly maxAccounts?: number
  /** Calls per second Tencent documents for the lowest edition, when it is not the general limit. */
  readonly rateLimit?: number
  /** The code a call the rate limit refuses gets (default 60007). */
  readonly limitCode?: number
  /** `undefined` when the body has the wrong shape; `bytes` gives the body's size as sent (measured when asked). */
  readonly prepare: (body: unknown, bytes: () => number) => Prepared | undefined
}

/** A command as a body parser and a run function. */
export interface Declaration<A> {
  readonly name: string
  readonly service?: Service
  readonly maxAccounts?: number
  readonly rateLimit?: number
  readonly limitCode?: number
  /** The request the body asks for, or `undefined` when the body has the wrong shape. */
  readonly parse: (body: unknown, bytes: () => number) => A | undefined
  /** How many accounts the request names (default 0). */
  readonly accounts?: (request: A) => number
  readonly run: (request: A, context: CommandContext) => Envelope
}

/** The command a declaration describes (a `timpush` command unless it names another service). */
export const declare = <A>({ accounts, parse, run, service = timpush, ...limits }: Declaration<A>): Command => ({
  ...limits,
  service,
  prepare: (body, bytes) => {
    const request = parse(body, bytes)
    return request === undefined
      ? undefined
      : { accounts: accounts?.(request) ?? 0, run: (context) => run(request, context) }
  }
})

/** Whether `u` is a JSON object (not an array). */
export const isObject = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** Whether `u` is an array of strings. */
export const isStringArray = (u: unknown): u is ReadonlyArray<string> =>
  Array.isArray(u) && u.every((x) => typeof x === "string")

/** Whether `u` is an object whose values are all strings. */
export const isStringRecord = (u: unknown): u is Readonly<Record<string, string>> =>
  isObject(u) && Object.values(u).every((x) => typeof x === "string")

/** Whether `u` is an integer in [0, 4294967295]. */
export const isUint32 = (u: unknown): u is number =>
  Number.isInteger(u) && (u as number) >= 0 && (u as number) <= 0xffffffff

/** The UTF-8 length of a string. */
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, "utf8")
