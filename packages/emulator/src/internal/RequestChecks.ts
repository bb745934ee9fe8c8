/**
 * The checks a REST call passes before its command runs, in the service's order: `contenttype` (60002),
 * `sdkappid` (60012, 70020), `usersig` present (70002), `random` (60002), the UserSig itself (70003, 70014,
 * 70013, 70001, 70009), admin identifier (90009 / 60010), then the body: JSON and shape (90001), at most 100
 * accounts (500 for the commands that say so; 90018).
 */
import * as Effect from "effect/Effect"
import { ErrorCode } from "../ErrorCodes.js"
import { type Command, defaultMaxAccounts, type Prepared, type Service, utf8Bytes } from "./Command.js"
import type { State } from "./State.js"

const digits = /^\d+$/

/** The `random` parameter, or `null` when missing or not an integer in [0, 4294967295]. */
export const parseRandom = (value: string | null): number | null => {
  if (value === null || !digits.test(value)) return null
  const n = Number(value)
  return n <= 0xffffffff ? n : null
}

/** The command's work for this body, or the error code for a body that is not JSON or has the wrong shape. */
export const parseBody = (text: string, command: Command): Prepared | number => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return command.service.badJson
  }
  return command.prepare(json, () => utf8Bytes(text)) ?? command.service.badShape
}

/** Checks the query string; fails with the error code of the first check that refuses the call. */
export const checkQuery = (params: URLSearchParams, service: Service, state: State): Effect.Effect<void, number> => {
  if (params.get("contenttype") !== "json") return Effect.fail(ErrorCode.HttpParse)
  const sdkAppId = params.get("sdkappid")
  if (sdkAppId === null || !digits.test(sdkAppId)) return Effect.fail(ErrorCode.SdkAppIdMissing)
  if (Number(sdkAppId) !== state.sdkAppId) return Effect.fail(ErrorCode.SdkAppIdUnknown)
  const userSig = params.get("usersig")
  if (userSig === null || userSig === "") return Effect.fail(ErrorCode.UserSigEmpty)
  if (parseRandom(params.get("random")) === null) return Effect.fail(ErrorCode.HttpParse)
  const identifier = params.get("identifier") ?? ""
  return state.verifier.verify(userSig, { sdkAppId: state.sdkAppId, identifier }).pipe(
    Effect.mapError((rejected) => rejected.code),
    Effect.flatMap(() => identifier === state.admin ? Effect.void : Effect.fail(service.notAdmin))
  )
}

/** Checks the parsed body: its shape, then the command's account limit. */
export const checkBody = (body: Prepared | number, command: Command): Effect.Effect<Prepared, number> =>
  typeof body === "number"
    ? Effect.fail(body)
    : body.accounts > (command.maxAccounts ?? defaultMaxAccounts)
    ? Effect.fail(command.service.tooMany)
    : Effect.succeed(body)
