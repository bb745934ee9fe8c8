/**
 * Whom a held push would reach, asked of the emulator (`POST /__emulator/recipients`, which resolves a push's
 * `Condition` or a batch's `To_Account` as the push itself would, and pushes nothing). Only ever asked when the
 * connection names a base URL rather than a region, so a dry run against Tencent's own hosts sends them nothing;
 * only the target part of the body is sent. Anything but the emulator's answer (a 404 from a proxy, no answer
 * within 5 s) means "not an emulator": `Option.none()`.
 */
import { TimConfig } from "@timtags/core"
import type { Pushes } from "@timtags/emulator"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Option from "effect/Option"
import type { Request } from "./heldPush.js"

/** The emulator's answer. */
export type Recipients = Pushes.Recipients

const isRecipients = (u: unknown): u is Recipients =>
  typeof u === "object" && u !== null && Array.isArray((u as Recipients).recipients) &&
  Array.isArray((u as Recipients).missing)

/** The part of a request that says whom it is for. */
const targetOf = ({ body }: Request) =>
  "To_Account" in body ? { To_Account: body.To_Account } : "Condition" in body ? { Condition: body.Condition } : {}

/** The recipients the emulator resolves for a held request, or none when the server is not an emulator. */
export const ask = (
  request: Request
): Effect.Effect<Option.Option<Recipients>, never, HttpClient.HttpClient | TimConfig.TimConfig> =>
  Effect.gen(function*() {
    const config = yield* TimConfig.TimConfig
    if (config.region !== undefined) return Option.none()
    const response = yield* HttpClient.execute(
      HttpClientRequest.post(`${config.baseUrl}/__emulator/recipients`).pipe(
        HttpClientRequest.bodyJsonUnsafe(targetOf(request))
      )
    )
    const answer = response.status === 200 ? yield* response.json : undefined
    return isRecipients(answer) ? Option.some(answer) : Option.none()
  }).pipe(
    Effect.timeoutOption("5 seconds"),
    Effect.map(Option.flatten),
    Effect.catch(() => Effect.succeedNone)
  )
