/**
 * What a REST command is: the service it belongs to (which fixes the codes for the shared checks), its name,
 * and how it turns a parsed JSON body into work. `prepare` only checks the body's shape; the pipeline then
 * applies the shared account limit and runs the command against the store.
 */
import { ErrorCode } from "../ErrorCodes.js"
import type { Store } from "../Store.js"
import type { Envelope } from "./Envelope.js"

/** A REST service (`v4/{service}/...`) and its codes for the checks every command shares. */
export interface Service {
  readonly name: string
  /** The identifier is not the app admin. */
  readonly notAdmin: number
  /** The body is not JSON. */
  readonly badJson: number
  /** The body is JSON of the wrong shape. */
  readonly badShape: number
  /** The body names more than 100 accounts. */
  readonly tooMany: number
}

/** `v4/timpush`: the push-tag commands. */
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

/** What a command may read and change while it runs. */
export interface CommandContext {
  readonly store: Store
  readonly omitEmptyTags: boolean
  readonly shuffleResponse: boolean
}

/** A body that has the right shape: how many accounts it names, and the work it asks for. */
export interface Prepared {
  readonly accounts: number
  readonly run: (context: CommandContext) => Envelope
}

/** A REST command. */
export interface Command {
  readonly service: Service
  readonly name: string
  /** `undefined` when the body has the wrong shape. */
  readonly prepare: (body: unknown) => Prepared | undefined
}

/** Whether `u` is a JSON object (not an array). */
export const isObject = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** Whether `u` is an array of strings. */
export const isStringArray = (u: unknown): u is ReadonlyArray<string> =>
  Array.isArray(u) && u.every((x) => typeof x === "string")
