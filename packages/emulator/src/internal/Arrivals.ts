/**
 * When each request arrived. A listener prepended to the Node server's `'request'` and `'checkContinue'` events
 * runs before Effect's own, as Node hands the request over (its headers parsed, its body perhaps not yet), and
 * stamps the `IncomingMessage`. The stamp reads the `Clock` the emulator was built with, synchronously
 * (`currentTimeMillisUnsafe`), so it comes from the same source as the handler's `Clock.currentTimeMillis`:
 * wall-clock time when live, the test's time under `TestClock`.
 */
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type { HttpServerRequest } from "effect/http/HttpServerRequest"
import type * as Http from "node:http"

/** Arrival stamps of one server's requests. */
export interface Arrivals {
  /** Stamps every request the server receives from now on; returns the server. */
  readonly watch: (server: Http.Server) => Http.Server
  /** When the request arrived (epoch ms), or `undefined` when it was not stamped (it came by another event). */
  readonly of: (request: HttpServerRequest) => number | undefined
}

/** Arrival stamps on the current `Clock`. */
export const make: Effect.Effect<Arrivals> = Clock.clockWith((clock) =>
  Effect.sync(() => {
    const stamps = new WeakMap<object, number>()
    const stamp = (request: Http.IncomingMessage) => {
      stamps.set(request, clock.currentTimeMillisUnsafe())
    }
    return {
      // `checkContinue` replaces `request` for `Expect: 100-continue` requests.
      watch: (server) => server.prependListener("request", stamp).prependListener("checkContinue", stamp),
      of: (request) => stamps.get(NodeHttpServerRequest.toIncomingMessage(request))
    }
  })
)
