/**
 * Hand-written `get_tag` calls without the library, for the baselines: the URL with its query, and the
 * answer's shape as far as a baseline reads it.
 */
import { app } from "./emulator.js"

/** What `get_tag` answers, as far as the baselines read it. */
export interface GetTagAnswer {
  readonly ActionStatus: string
  readonly ErrorCode: number
  readonly UserTags?: ReadonlyArray<{ readonly To_Account: string; readonly Tags?: ReadonlyArray<string> }>
  readonly ErrorList?: ReadonlyArray<{ readonly To_Account: string; readonly ErrorCode: number }>
}

/** `POST {base}/v4/timpush/get_tag?...` with the given UserSig and a fresh uint32 `random`. */
export const getTagUrl = (baseUrl: string, userSig: string): string =>
  `${baseUrl}/v4/timpush/get_tag?sdkappid=${app.sdkAppId}&identifier=${app.admin}&usersig=${
    encodeURIComponent(userSig)
  }` +
  `&random=${Math.floor(Math.random() * 2 ** 32)}&contenttype=json`

/** Fails unless the whole call succeeded. */
export const checkAnswer = (answer: GetTagAnswer): GetTagAnswer => {
  if (answer.ErrorCode !== 0) throw new Error(`get_tag answered ErrorCode ${answer.ErrorCode}`)
  return answer
}
