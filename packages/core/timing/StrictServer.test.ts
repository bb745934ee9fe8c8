/**
 * The limiter holds at a strict server: the emulator, in a process of its own, counting every request
 * on its arrival, refused ones too, each after a random 0–30 ms of arrival jitter. A 20,000-account
 * `getTagsMany` (200 calls, two seconds of the 100-per-second limit) gets no frequency-limit answer,
 * and the server never sees more than 100 calls in a sliding second.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Client from "@timtags/core/Client"
import * as PushTags from "@timtags/core/PushTags"
import * as TimConfig from "@timtags/core/TimConfig"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as EmulatorProcess from "./support/EmulatorProcess.js"

const sdkAppId = 1400000002
const secretKey = "strict-server-test-key"
const accounts = Array.from({ length: 20_000 }, (_, i) => `strict${i}`)

describe("against a strict server with arrival jitter (emulator in its own process)", () => {
  it.live("a 20,000-account getTagsMany gets no frequency-limit answer", () =>
    Effect.gen(function*() {
      const emulator = yield* Effect.acquireRelease(
        Effect.promise(() => EmulatorProcess.start(sdkAppId, secretKey, ["--arrival-jitter", "30"])),
        (e) => Effect.promise(() => e.close())
      )
      const settings = yield* Effect.promise(() => emulator.control("GET", "rate-limit"))
      expect(settings).toMatchObject({ limit: 100, stampAtArrival: true, countRefused: true, arrivalJitter: 30 })
      yield* Effect.promise(() => emulator.control("POST", "seed", Object.fromEntries(accounts.map((a) => [a, ["t"]]))))
      yield* Effect.promise(() => emulator.warmUp(accounts, 200)) // the client stays cold
      const client = Client.layer().pipe(
        Layer.provide(TimConfig.layer({ sdkAppId, secretKey, baseUrl: emulator.baseUrl })),
        Layer.provide(NodePlatform.layer)
      )
      const outcomes = yield* Effect.flatMap(PushTags.PushTags, (tags) => tags.getTagsMany(accounts)).pipe(
        Effect.provide(client)
      )
      expect([...outcomes.values()].filter(Result.isFailure)).toEqual([])
      const stats = yield* Effect.promise(() => emulator.stats())
      expect(stats.byErrorCode["60007"]).toBeUndefined()
      expect(stats.byCommand["get_tag"]).toBe(200)
      expect(stats.maxInAnySecond["get_tag"]!.received).toBeLessThanOrEqual(100)
    }), { timeout: 60_000 })
})
