import { describe, expect, it } from "@effect/vitest"
import * as Client from "@timtags/core/Client"
import * as Envelope from "@timtags/core/Envelope"
import * as RateLimit from "@timtags/core/RateLimit"
import * as RetryPolicy from "@timtags/core/RetryPolicy"
import * as TimConfig from "@timtags/core/TimConfig"
import * as TimRest from "@timtags/core/TimRest"
import { FetchPlatform } from "@timtags/platform-fetch"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { ServerResponse } from "node:http"
import { gzipSync } from "node:zlib"
import * as LocalServer from "./support/LocalServer.js"

const MiB = 1024 * 1024

/** What one answer of the hostile server did. */
interface Sent {
  /** Body bytes handed to the socket. */
  written: number
  /** Whether the connection closed before the whole body was written. */
  closedEarly: boolean
}

/** How the server answers: its status, its body size, and whether it declares the size. */
interface Answer {
  readonly status: number
  readonly bytes: number
  readonly declared: boolean
  /** The body, when it is a real one (otherwise `bytes` of JSON-looking filler). */
  readonly body?: string
}

const filler = Buffer.alloc(64 * 1024, "x")

/** Writes `answer` to `res` as a real server would, respecting backpressure, until done or the client hangs up. */
const stream = (res: ServerResponse, answer: Answer, sent: Sent) => {
  const headers: Record<string, string> = { "content-type": "application/json" }
  if (answer.declared) headers["content-length"] = String(answer.bytes)
  res.writeHead(answer.status, headers)
  if (answer.body !== undefined) return void res.end(answer.body)
  let closed = false
  res.on("close", () => {
    closed = true
    sent.closedEarly = sent.written < answer.bytes
  })
  res.on("error", () => {})
  const pump = () => {
    while (!closed && sent.written < answer.bytes) {
      const chunk = sent.written === 0 ? Buffer.from(`{"ActionStatus":"OK","ErrorCode":0,"x":"`) : filler
      sent.written += chunk.length
      if (!res.write(chunk)) return void res.once("drain", pump)
    }
    if (!closed) res.end()
  }
  pump()
}

/** A local HTTP server answering every request with `answer`; it reports what it sent. */
const hostileServer = (answer: Answer) => {
  const sent: Array<Sent> = []
  return Effect.map(
    LocalServer.listen((req, res) => {
      req.resume()
      const one: Sent = { written: 0, closedEarly: false }
      sent.push(one)
      stream(res, answer, one)
    }),
    (url) => ({ url, sent })
  )
}

/** One `get_tag` call through the whole client, at `baseUrl`, with one attempt. */
const getTag = (
  baseUrl: string,
  platform: Layer.Layer<any>,
  options: Partial<TimConfig.Options> = {},
  accounts: ReadonlyArray<string> = ["alice"]
) =>
  Effect.flatMap(
    TimRest.TimRest,
    (rest) => rest.call("timpush/get_tag", { To_Account: accounts }, Envelope.getTagResponse)
  ).pipe(
    Effect.provide(
      Client.layer({ rateLimit: RateLimit.layerMemory() }).pipe(
        Layer.provide(RetryPolicy.layer({ maxAttempts: 1 })),
        Layer.provide(TimConfig.layer({ sdkAppId: 1400000001, secretKey: "k", baseUrl, ...options })),
        Layer.provide(platform)
      )
    )
  )

const total = 200 * MiB

for (
  const [name, platform] of [["NodePlatform", NodePlatform.layer], ["FetchPlatform", FetchPlatform.layer]] as const
) {
  describe(`${name}: an answer body is read up to TimConfig's maxAnswerBytes, never whole`, () => {
    for (const declared of [false, true]) {
      it.live(
        `a 200 MB answer${
          declared ? " with its Content-Length" : ", streamed"
        } fails TooLarge, and the connection closes before the server is done`,
        () =>
          Effect.gen(function*() {
            const server = yield* hostileServer({ status: 200, bytes: total, declared })
            const error = yield* Effect.flip(getTag(server.url, platform, { maxAnswerBytes: MiB }))
            expect(error).toMatchObject({
              _tag: "TimTransportError",
              kind: "TooLarge",
              status: 200,
              reason: "InvalidResponse",
              retryable: false
            })
            expect(error._tag === "TimTransportError" && error.detail).toBe(
              declared
                ? `answer too large: ${total} bytes (the cap is ${MiB})`
                : `answer too large: over ${MiB} bytes (the cap)`
            )
            // The server saw the client hang up long before the end: the body was never read whole.
            yield* Effect.sleep("50 millis")
            expect(server.sent).toHaveLength(1)
            expect(server.sent[0].closedEarly).toBe(true)
            expect(server.sent[0].written).toBeLessThan(32 * MiB)
          }),
        30_000
      )
    }

    it.live("a huge 502 body fails as the 502 it is, and is not read whole either", () =>
      Effect.gen(function*() {
        const server = yield* hostileServer({ status: 502, bytes: total, declared: false })
        const error = yield* Effect.flip(getTag(server.url, platform, { maxAnswerBytes: MiB }))
        expect(error).toMatchObject({ _tag: "TimTransportError", kind: "HttpStatus", status: 502 })
        yield* Effect.sleep("50 millis")
        expect(server.sent[0].closedEarly).toBe(true)
        expect(server.sent[0].written).toBeLessThan(32 * MiB)
      }), 30_000)
  })
}

describe("the default cap holds the largest legitimate answer", () => {
  it.live.each(
    [
      ["with its Content-Length (read whole)", true],
      ["streamed (read as a stream, up to the cap)", false]
    ] as const
  )(
    "100 accounts × 100 tags of 50 bytes, every character \\u-escaped (about 1 MB), decodes under the default, %s",
    ([, declared]) => {
      // 16 three-byte characters and 2 ASCII ones: 50 UTF-8 bytes, sent as 98 characters of escapes.
      const tag = (i: number) => "\\u754c".repeat(16) + String(i).padStart(2, "0")
      const accounts = Array.from({ length: 100 }, (_, i) => `account-${i}`)
      const body = JSON.stringify({
        ActionStatus: "OK",
        ErrorCode: 0,
        ErrorInfo: "",
        UserTags: accounts.map((To_Account) => ({ To_Account, Tags: Array.from({ length: 100 }, (_, i) => `@${i}@`) }))
      }).replace(/@(\d+)@/g, (_, i) => tag(Number(i)))
      expect(body.length).toBeGreaterThan(1_000_000)
      expect(body.length).toBeLessThan(TimConfig.defaults.maxAnswerBytes)
      return Effect.gen(function*() {
        const server = yield* hostileServer({ status: 200, bytes: body.length, declared, body })
        const answer = yield* getTag(server.url, NodePlatform.layer, {}, accounts)
        expect(answer.UserTags).toHaveLength(100)
        expect(answer.UserTags[99].Tags).toHaveLength(100)
        expect(new TextEncoder().encode(answer.UserTags[0].Tags![0]).length).toBe(50)
      })
    }
  )
})

describe("a compressed answer is capped after it is inflated", () => {
  it.live("FetchPlatform: 16 MB of gzip under a 100 KB Content-Length fails TooLarge at a 1 MiB cap", () =>
    Effect.gen(function*() {
      const inflated = Buffer.alloc(16 * MiB, "x")
      inflated.write(`{"ActionStatus":"OK","ErrorCode":0,"x":"`)
      const compressed = gzipSync(inflated)
      expect(compressed.length).toBeLessThan(100 * 1024)
      const url = yield* LocalServer.listen((req, res) => {
        req.resume()
        res.writeHead(200, {
          "content-type": "application/json",
          "content-encoding": "gzip",
          "content-length": String(compressed.length)
        })
        res.end(compressed)
      })
      const error = yield* Effect.flip(getTag(url, FetchPlatform.layer, { maxAnswerBytes: MiB }))
      expect(error).toMatchObject({ _tag: "TimTransportError", kind: "TooLarge", status: 200 })
      expect(error._tag === "TimTransportError" && error.detail).toBe(`answer too large: over ${MiB} bytes (the cap)`)
    }))
})
