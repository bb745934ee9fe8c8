/**
 * `NodeRequestWrites` sees, on undici's diagnostics channel, the moment a request of the Node
 * platform's `HttpClient` is written: after the watch began, before the answer; only for the
 * `random` watched; never after the watch was stopped.
 */
import { describe, expect, it } from "@effect/vitest"
import { RequestWrites } from "@timtags/core/RequestWrites"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

/** A loopback server answering every request after `delayMillis`, recording when each arrived. */
const server = (delayMillis: number) =>
  Effect.acquireRelease(
    Effect.callback<{ readonly url: string; readonly arrivals: Array<number>; readonly close: () => void }>(
      (resume) => {
        const arrivals: Array<number> = []
        const s = http.createServer((req, res) => {
          arrivals.push(performance.now())
          req.resume()
          setTimeout(() => res.end("{}"), delayMillis)
        })
        s.listen(0, "127.0.0.1", () =>
          resume(Effect.succeed({
            url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
            arrivals,
            close: () => s.close()
          })))
      }
    ),
    (s) => Effect.sync(() => s.close())
  )

describe("NodeRequestWrites", () => {
  it.live("reports the write of the watched request, after the watch began and before its answer", () =>
    Effect.gen(function*() {
      const { arrivals, url } = yield* server(100)
      const writes = yield* RequestWrites
      const client = yield* HttpClient.HttpClient
      const seen: Array<number> = []
      const began = performance.now()
      const stop = writes.watch(4242, (after) => seen.push(after))
      yield* client.post(`${url}/v4/x?sdkappid=1&random=4242`)
      const answered = performance.now() - began
      stop()
      expect(seen).toHaveLength(1)
      expect(seen[0]!).toBeGreaterThanOrEqual(0)
      expect(seen[0]!).toBeLessThanOrEqual(arrivals[0]! - began + 1) // written no later than it arrived
      expect(seen[0]!).toBeLessThan(answered - 50) // long before the 100 ms answer
    }).pipe(Effect.provide(NodePlatform.layer)))

  it.live("ignores other requests, and requests whose watch was stopped", () =>
    Effect.gen(function*() {
      const { url } = yield* server(0)
      const writes = yield* RequestWrites
      const client = yield* HttpClient.HttpClient
      const seen: Array<string> = []
      const stopA = writes.watch(1, () => seen.push("a"))
      const stopB = writes.watch(2, () => seen.push("b"))
      stopB()
      yield* client.post(`${url}/v4/x?random=3`)
      yield* client.post(`${url}/v4/x?random=2`)
      expect(seen).toEqual([])
      yield* client.post(`${url}/v4/x?random=1`)
      yield* client.post(`${url}/v4/x?random=1`)
      stopA()
      expect(seen).toEqual(["a"]) // once
    }).pipe(Effect.provide(NodePlatform.layer)))
})
