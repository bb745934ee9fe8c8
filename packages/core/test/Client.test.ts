import { describe, expect, it } from "@effect/vitest"
import * as Client from "@timtags/core/Client"
import * as PushTags from "@timtags/core/PushTags"
import * as RateLimit from "@timtags/core/RateLimit"
import * as RetryPolicy from "@timtags/core/RetryPolicy"
import * as TimConfig from "@timtags/core/TimConfig"
import { Emulator } from "@timtags/emulator"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import { type IncomingHttpHeaders, request } from "node:http"
import * as Harness from "./support/Harness.js"
import * as LocalServer from "./support/LocalServer.js"

/** One request the relay forwarded. */
interface Relayed {
  readonly path: string
  readonly headers: IncomingHttpHeaders
}

/** A local HTTP relay (a proxy, as a user's `transformClient` may send calls to) forwarding to `target`. */
const relay = (target: string) => {
  const seen: Array<Relayed> = []
  const to = new URL(target)
  return Effect.map(
    LocalServer.listen((req, res) => {
      seen.push({ path: req.url ?? "", headers: req.headers })
      const forward = request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      req.pipe(forward)
    }),
    (url) => ({ url, seen })
  )
}

/** Sends every request to `origin` instead of where it was going (a user's proxy setting). */
const toLocal = (origin: string) =>
  HttpClient.mapRequest((req) => HttpClientRequest.setUrl(req, `${origin}${new URL(req.url).pathname}`))

/**
 * The platform's HttpClient, refusing (before any I/O) every request that would leave loopback, as
 * the request finally is, after any transformation: these tests must never reach the real service,
 * even if `transformClient` were ignored.
 */
const LoopbackOnly = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(HttpClient.HttpClient, (base) =>
    HttpClient.makeWith(
      (request) =>
        base.postprocess(Effect.flatMap(request, (req) =>
          new URL(req.url).hostname === "127.0.0.1" ? Effect.succeed(req) : Effect.fail(
            new HttpClientError.HttpClientError({
              reason: new HttpClientError.InvalidUrlError({ request: req, description: "not loopback" })
            })
          ))),
      base.preprocess
    ))
).pipe(Layer.provide(NodePlatform.layer))

/** The client layer with `transformClient`, the test app's credentials and `config`. */
const clientWith = (transformClient: Client.Options["transformClient"], config: Partial<TimConfig.Options>) =>
  Client.layer({ rateLimit: RateLimit.layerMemory(), transformClient }).pipe(
    Layer.provide(RetryPolicy.layer({ maxAttempts: 1 })),
    Layer.provide(TimConfig.layer({ sdkAppId: Harness.sdkAppId, secretKey: Harness.secretKey, ...config } as any)),
    Layer.provide(LoopbackOnly),
    Layer.provide(NodePlatform.layer) // its Signer and RequestWrites
  )

const getTags = (account: string) => Effect.flatMap(PushTags.PushTags, (tags) => tags.getTags(account))

describe("Client.layer({ transformClient })", () => {
  it.live("adapts the HttpClient of every REST call: a header it adds reaches the server, through a relay", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const proxy = yield* relay(emu.baseUrl)
      const addHeader = (client: HttpClient.HttpClient) =>
        client.pipe(toLocal(proxy.url), HttpClient.mapRequest(HttpClientRequest.setHeader("x-trace-tenant", "blue")))
      const tags = yield* getTags("alice").pipe(Effect.provide(clientWith(addHeader, { baseUrl: emu.baseUrl })))
      expect(tags).toEqual(["gold", "beta"])
      // The relay saw the call with the header, and the emulator answered it.
      expect(proxy.seen).toHaveLength(1)
      expect(proxy.seen[0].headers["x-trace-tenant"]).toBe("blue")
      expect(proxy.seen[0].headers["accept"]).toBe("application/json")
      expect(proxy.seen[0].path).toMatch(/^\/v4\/timpush\/get_tag\?/)
      const calls = yield* emu.calls
      expect(calls.map((call) => [call.command, call.errorCode])).toEqual([["get_tag", 0]])
    }).pipe(Effect.provide(Harness.emulator())))

  it.live("without a transformation the calls go straight to the base URL", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const proxy = yield* relay(emu.baseUrl)
      expect(yield* getTags("bob").pipe(Effect.provide(clientWith(undefined, { baseUrl: emu.baseUrl })))).toEqual([
        "silver"
      ])
      expect(proxy.seen).toHaveLength(0)
      expect((yield* emu.calls).length).toBe(1)
    }).pipe(Effect.provide(Harness.emulator())))

  it.live("a client configured by region: 70020's hint puts the region first (the calls are routed to the emulator)", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const error = yield* Effect.flip(
        getTags("alice").pipe(
          Effect.provide(clientWith(toLocal(emu.baseUrl), { sdkAppId: 1400009999, region: "Singapore" }))
        )
      )
      expect(error).toMatchObject({ _tag: "TimApiError", code: 70020, addressedBy: "region" })
      expect(error._tag === "TimApiError" && error.hint).toMatch(
        /^the SDKAppID is not served by this domain: check the region .* SDKAppID is not mistyped/
      )
      expect((yield* emu.calls).map((call) => call.errorCode)).toEqual([70020])
    }).pipe(Effect.provide(Harness.emulator())))
})
