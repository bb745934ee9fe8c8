/**
 * Malformed answers over real HTTP: a local server answers every call with a fixed hostile body
 * (one account holding a million tags, an answer nested 100,000 levels deep, JSON cut short, a number
 * where the tags belong), and a lookup through the whole client (`PushTags.getTags`, the Node and
 * the fetch platform, real crypto) fails with a `TimDecodeError`, neither a success nor a defect.
 * The million tags fit under the answer-size cap, so it is the decoder's bound that refuses them.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Client from "@timtags/core/Client"
import * as PushTags from "@timtags/core/PushTags"
import * as RateLimit from "@timtags/core/RateLimit"
import * as RetryPolicy from "@timtags/core/RetryPolicy"
import * as TimConfig from "@timtags/core/TimConfig"
import { FetchPlatform } from "@timtags/platform-fetch"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Hostile from "./support/Hostile.js"
import * as LocalServer from "./support/LocalServer.js"

/** A local server answering every request with `body`; the number of requests it got. */
const answering = (body: string) => {
  const requests = { count: 0 }
  return Effect.map(
    LocalServer.listen((req, res) => {
      req.resume()
      requests.count++
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
      res.end(body)
    }),
    (url) => ({ url, requests })
  )
}

/** `getTags(account)` through the whole client against `baseUrl`, one attempt. */
const getTags = (baseUrl: string, platform: Layer.Layer<any>, account = "alice") =>
  Effect.flatMap(PushTags.PushTags, (tags) => tags.getTags(account)).pipe(
    Effect.provide(
      Client.layer({ rateLimit: RateLimit.layerMemory() }).pipe(
        Layer.provide(RetryPolicy.layer({ maxAttempts: 1 })),
        Layer.provide(TimConfig.layer({ sdkAppId: 1400000001, secretKey: "k", baseUrl })),
        Layer.provide(platform)
      )
    )
  )

const ok = "\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\""
const millionTags = `{${ok},"UserTags":[{"To_Account":"alice","Tags":[${
  new Array(1_000_000).fill("\"t\"").join(",")
}]}]}`

const hostile: ReadonlyArray<readonly [string, string, string]> = [
  [
    "one account holding 1,000,000 tags",
    millionTags,
    "expected an array of at most 100 items, not 1000000 at UserTags[0].Tags"
  ],
  ["an answer nested 100,000 levels deep", Hostile.deepText(100_000, "array"), "expected an object at answer"],
  ["an answer cut short", millionTags.slice(0, 1000), "not JSON (1000 bytes)"],
  [
    "a number where the tags belong",
    `{${ok},"UserTags":[{"To_Account":"alice","Tags":7}]}`,
    "expected an array at UserTags[0].Tags"
  ],
  [
    "null where the account belongs",
    `{${ok},"UserTags":[{"To_Account":null,"Tags":[]}]}`,
    "expected a string at UserTags[0].To_Account"
  ]
]

for (
  const [name, platform] of [["NodePlatform", NodePlatform.layer], ["FetchPlatform", FetchPlatform.layer]] as const
) {
  describe(`${name}: PushTags.getTags on a malformed answer fails with a TimDecodeError`, () => {
    it("the million tags are under the answer-size cap (the decoder refuses them, not the cap)", () => {
      expect(Buffer.byteLength(millionTags)).toBeLessThan(TimConfig.defaults.maxAnswerBytes)
    })

    for (const [what, body, detail] of hostile) {
      it.live(what, () =>
        Effect.gen(function*() {
          const server = yield* answering(body)
          const error = yield* Effect.flip(getTags(server.url, platform))
          expect(error).toMatchObject({ _tag: "TimDecodeError", command: "timpush/get_tag", detail })
          expect(server.requests.count).toBe(1)
        }), 30_000)
    }
  })
}
