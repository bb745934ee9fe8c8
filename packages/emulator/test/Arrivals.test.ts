/** The arrival stamps: taken by a Node listener before Effect's handler runs, on the emulator's Clock. */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as HttpServer from "effect/http/HttpServer"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as NetAddress from "effect/net/NetAddress"
import * as Queue from "effect/Queue"
import * as TestClock from "effect/testing/TestClock"
import * as Http from "node:http"
import * as Arrivals from "../src/internal/Arrivals.js"
import { postHeld } from "./helpers.js"

/**
 * A server whose handler is slow (it sleeps `handlerMillis` on the Clock), then answers `{arrived, handled}`:
 * the arrival stamp and the Clock's time when the handler got to it. `started` waits for a handler to start.
 */
const slowServer = (handlerMillis: number) =>
  Effect.gen(function*() {
    const starts = yield* Queue.unbounded<void>()
    const arrivals = yield* Arrivals.make
    const server = yield* NodeHttpServer.make(() => arrivals.watch(Http.createServer()), {
      port: 0,
      host: "127.0.0.1"
    })
    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      yield* Queue.offer(starts, undefined)
      yield* Effect.sleep(handlerMillis)
      yield* request.text
      return HttpServerResponse.jsonUnsafe({ arrived: arrivals.of(request), handled: yield* Clock.currentTimeMillis })
    })
    yield* HttpServer.serveEffect(app).pipe(Effect.provideService(HttpServer.HttpServer, server))
    const port = NetAddress.isUnixPathAddress(server.address) ? 0 : server.address.port
    return { url: `http://127.0.0.1:${port}/`, started: Queue.take(starts) }
  })

describe("arrival stamps", () => {
  it.effect("a request is stamped as it arrives, on the TestClock, however long the handler takes to look", () =>
    Effect.gen(function*() {
      const { started, url } = yield* slowServer(250)
      yield* TestClock.setTime(4000)
      const plain = yield* Effect.forkChild(Effect.promise(() => fetch(url, { method: "POST" }).then((r) => r.json())))
      const expecting = yield* Effect.forkChild(
        postHeld(url, "{}").pipe(Effect.flatMap(({ send }) => Effect.promise(send)), Effect.map((a) => a.json))
      )
      yield* Effect.andThen(started, started) // both arrived, before the clock moves
      yield* TestClock.adjust("250 millis")
      assert.deepStrictEqual(yield* Fiber.join(plain), { arrived: 4000, handled: 4250 })
      assert.deepStrictEqual(yield* Fiber.join(expecting), { arrived: 4000, handled: 4250 })
    }))
})
