/**
 * One HTTP exchange of a REST call: `POST {base}/v4/{command}` with the admin's credentials and a
 * fresh uint32 `random` in the query and the JSON body, bounded by the request timeout. It
 * succeeds with the body text of a 200 answer; every other outcome is a `TimTransportError`. It tells
 * its caller when the request was written (see `RequestWrites`), for the rate limiter.
 *
 * The body is read as a stream, at most `maxAnswerBytes` of it: a larger answer (by its
 * Content-Length, or as it streams) fails as `TooLarge` and its connection is closed at once, so a
 * misbehaving server cannot make the client buffer more than the cap. A body that declares a length
 * within the cap and is not encoded is that long (HTTP framing), and is read whole instead, without
 * the stream's machinery (a few hundred microseconds of each call in a worker).
 *
 * The HttpClient's own spans are switched off: they would record the full URL, and with it the
 * UserSig. Its errors are mapped here, keeping only a scrubbed description of their cause, so that
 * no request object (which prints its URL parameters) leaves the library.
 */
import * as Effect from "effect/Effect"
import { constTrue, constVoid } from "effect/Function"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import type * as RequestWrites from "../RequestWrites.js"
import type { TimConfigShape } from "../TimConfig.js"
import { TimTransportError } from "../TimError.js"
import { describeCause } from "./scrub.js"

/** What one exchange needs besides the client's configuration. */
export interface Attempt {
  readonly command: string
  readonly payload: string
  readonly sig: Redacted.Redacted<string>
  /** The base URL this attempt goes to. */
  readonly base: string
  /** The attempt's span, which gets the response status. */
  readonly span: Tracer.Span
  /** When (Effect `Clock` time) the request is handed to the `HttpClient`. */
  readonly handedAt: number
  /** Told when the request was written, if `RequestWrites` sees it (Effect `Clock` time). */
  readonly written: (at: number) => void
}

/** Runs one exchange; succeeds with the body of a 200 answer. */
export type Exchange = (attempt: Attempt) => Effect.Effect<string, TimTransportError>

const UINT32 = 2 ** 32

const transportError = (command: string, error: HttpClientError.HttpClientError): TimTransportError =>
  new TimTransportError({
    command,
    kind: "Network",
    detail: `${error.reason._tag}: ${describeCause(error.reason.cause ?? error.reason._tag)}`
  })

const tooLarge = (command: string, status: number, detail: string): TimTransportError =>
  new TimTransportError({ command, kind: "TooLarge", status, detail: `answer too large: ${detail}` })

/**
 * The body of an answer as text, reading at most `cap` bytes: an answer whose Content-Length is
 * over the cap fails after its first chunk, any other as soon as the cap is passed. Ending the
 * stream early aborts the request, which closes its connection. An unencoded body whose declared
 * length is within the cap is read whole: it cannot be longer (an encoded one can inflate).
 */
const readCapped = (
  command: string,
  response: HttpClientResponse.HttpClientResponse,
  cap: number
): Effect.Effect<string, TimTransportError | HttpClientError.HttpClientError> =>
  Effect.suspend(() => {
    const declared = Number(response.headers["content-length"] ?? Number.NaN)
    const encoding = response.headers["content-encoding"] ?? "identity"
    if (declared <= cap && encoding === "identity") return response.text
    const chunks: Array<Uint8Array> = []
    let size = 0
    return Stream.runForEachWhile(response.stream, (chunk) =>
      Effect.sync(() => {
        size += chunk.length
        if (size > cap || declared > cap) return false
        chunks.push(chunk)
        return true
      })).pipe(
        Effect.flatMap(() => {
          if (declared > cap) {
            return Effect.fail(tooLarge(command, response.status, `${declared} bytes (the cap is ${cap})`))
          }
          if (size > cap) return Effect.fail(tooLarge(command, response.status, `over ${cap} bytes (the cap)`))
          const body = new Uint8Array(size)
          let at = 0
          for (const chunk of chunks) {
            body.set(chunk, at)
            at += chunk.length
          }
          return Effect.succeed(new TextDecoder().decode(body))
        })
      )
  })

/** Builds the exchange of one client on an `HttpClient`, seeing writes through `writes`. */
export const make = (http: HttpClient.HttpClient, config: TimConfigShape, writes: RequestWrites.Service): Exchange => {
  const client = http.pipe(
    HttpClient.mapRequest(HttpClientRequest.acceptJson),
    HttpClient.transformResponse(Effect.provideService(HttpClient.TracerDisabledWhen, constTrue))
  )
  const sdkappid = String(config.sdkAppId)
  const send = (base: string, command: string, payload: string, sig: Redacted.Redacted<string>, random: number) =>
    client.execute(
      HttpClientRequest.post(`${base}/v4/${command}`).pipe(
        HttpClientRequest.setUrlParams({
          sdkappid,
          identifier: config.admin,
          usersig: Redacted.value(sig),
          random: String(random),
          contenttype: "json"
        }),
        HttpClientRequest.bodyText(payload, "application/json")
      )
    )
  return ({ base, command, handedAt, payload, sig, span, written }) =>
    Random.nextIntBetween(0, UINT32, { halfOpen: true }).pipe(
      Effect.flatMap((random) => {
        const stop = writes.watch(random, (after) => written(handedAt + after))
        return Effect.ensuring(send(base, command, payload, sig, random), Effect.sync(stop))
      }),
      Effect.flatMap((response) => {
        span.attribute("http.response.status_code", response.status)
        const body = readCapped(command, response, config.maxAnswerBytes)
        // Another status fails as such; its body is only drained (up to the cap) to free the connection.
        // (`Effect.match` rather than `Effect.ignore`, which brings Effect's loggers into any bundle.)
        return response.status === 200 ? body : Effect.match(body, { onFailure: constVoid, onSuccess: constVoid }).pipe(
          Effect.andThen(Effect.fail(
            new TimTransportError({
              command,
              kind: "HttpStatus",
              status: response.status,
              detail: `HTTP ${response.status}`
            })
          ))
        )
      }),
      Effect.catchTag("HttpClientError", (error) => Effect.fail(transportError(command, error))),
      Effect.timeoutOrElse({
        duration: config.requestTimeout,
        orElse: () =>
          Effect.fail(
            new TimTransportError({ command, kind: "Timeout", detail: "no answer within the request timeout" })
          )
      })
    )
}
