/** Shared test helpers: an emulator built in the test's scope, a signer, and a REST caller using plain fetch. */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Http from "node:http"
import * as Emulator from "../src/Emulator.js"
import { type SignOptions, signUserSig } from "../src/UserSigVerifier.js"

/** The app every test emulator serves. */
export const app = { sdkAppId: 1400000000, secretKey: "emulator-test-key", admin: "administrator" } as const

/** An emulator for this scope; it runs in the test's runtime, so it sees the test's (Test)Clock. */
export const emulator = (options?: Partial<Emulator.EmulatorOptions>) =>
  Layer.build(Emulator.layer({ ...app, ...options })).pipe(Effect.map(Context.get(Emulator.Emulator)))

/** A UserSig for the test app's admin, issued at the current Clock time unless `time` is given. */
export const sign = (overrides?: Partial<SignOptions>) =>
  Effect.map(Clock.currentTimeMillis, (now) =>
    signUserSig({
      sdkAppId: app.sdkAppId,
      secretKey: app.secretKey,
      identifier: app.admin,
      time: Math.floor(now / 1000),
      expire: 86400,
      ...overrides
    }))

/** How to call: query overrides (`undefined` removes a parameter), a raw body, another method. */
export interface CallOptions {
  readonly query?: Readonly<Record<string, string | undefined>>
  readonly rawBody?: string
  readonly method?: string
}

/** An answer: HTTP status, and the JSON body (or the text, when not JSON). */
export interface Answer {
  readonly status: number
  readonly json: any
  readonly text: string
}

/** `{baseUrl}/v4/{path}` with a valid admin query string, unless `query` overrides it. */
export const restUrl = (baseUrl: string, path: string, query?: CallOptions["query"]) =>
  Effect.gen(function*() {
    const params: Record<string, string | undefined> = {
      sdkappid: String(app.sdkAppId),
      identifier: app.admin,
      usersig: yield* sign(),
      random: "12345",
      contenttype: "json",
      ...query
    }
    const search = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined))
    return `${baseUrl}/v4/${path}?${search}`
  })

/** POSTs `body` to `{baseUrl}/v4/{path}` with a valid admin query string unless overridden. */
export const call = (baseUrl: string, path: string, body: unknown, options?: CallOptions) =>
  Effect.gen(function*() {
    const url = yield* restUrl(baseUrl, path, options?.query)
    const response = yield* Effect.promise(() =>
      fetch(url, {
        method: options?.method ?? "POST",
        ...(options?.method === "GET" ? {} : { body: options?.rawBody ?? JSON.stringify(body) })
      })
    )
    const text = yield* Effect.promise(() => response.text())
    const json = response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined
    return { status: response.status, json, text } satisfies Answer
  })

/**
 * POSTs `body` to `url` with `Expect: 100-continue`, so the body waits until the server asks for it (when its
 * handler reads the body). Resolves then, with `send`, which sends the body and resolves with the answer.
 */
export const postHeld = (url: string, body: string) =>
  Effect.promise(() =>
    new Promise<{ readonly send: () => Promise<Answer> }>((resolve, reject) => {
      const request = Http.request(url, {
        method: "POST",
        headers: { expect: "100-continue", "content-length": Buffer.byteLength(body) }
      })
      const answer = new Promise<Answer>((done) =>
        request.on("response", (response) => {
          let text = ""
          response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk))
          response.on("end", () => {
            const json = response.headers["content-type"]?.includes("json") ? JSON.parse(text) : undefined
            done({ status: response.statusCode ?? 0, json, text })
          })
        })
      )
      const send = () => {
        request.end(body)
        return answer
      }
      request.on("continue", () => resolve({ send }))
      request.on("error", reject)
      request.flushHeaders()
    })
  )

/** The error code an answer carries. */
export const codeOf = (answer: Answer): number => answer.json.ErrorCode

/** `n` account names, `prefix0`..`prefix{n-1}`. */
export const accounts = (n: number, prefix = "user") => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

/** The error code a call is answered with. */
export const codeOfCall = (baseUrl: string, path: string, body: unknown, options?: CallOptions) =>
  Effect.map(call(baseUrl, path, body, options), codeOf)

/** An `ErrorList` entry. */
export const listed = (To_Account: string, ErrorCode: number, ErrorInfo: string) => ({
  To_Account,
  ErrorCode,
  ErrorInfo
})

/** The `OfflinePushInfo` the push tests send. */
export const offline = { Title: "Hello", Desc: "A push from the tests" } as const

/** Waits `millis` of real time (not the test's clock): for a request in flight to reach the emulator. */
export const realDelay = (millis: number) =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))
