/**
 * What an edge worker builds: the REST caller alone (`Client.layerRest`) and the lookups alone
 * (`PushTags.makeLookups`) over it, through the emulator with the Node platform.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Client from "@timtags/core/Client"
import * as PushTags from "@timtags/core/PushTags"
import * as RateLimit from "@timtags/core/RateLimit"
import * as RetryPolicy from "@timtags/core/RetryPolicy"
import { Emulator } from "@timtags/emulator"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Harness from "./support/Harness.js"

/** `Client.layerRest(options)` against an emulator, with the Node platform. */
const rest = (options: Client.RestOptions = {}) =>
  Client.layerRest(options).pipe(
    Layer.provide(RetryPolicy.layer({ maxAttempts: 1 })),
    Layer.provide(Harness.config()),
    Layer.provide(NodePlatform.layer),
    Layer.provideMerge(Harness.emulator())
  )

const getTagCalls = Effect.map(
  Effect.flatMap(Emulator.Emulator, (emu) => emu.calls),
  (all) => all.filter((call) => call.command === "get_tag")
)

describe("PushTags.makeLookups over Client.layerRest", () => {
  it.live("answers each account in one get_tag call: tags, [] for none, 70107 for an unknown account", () =>
    Effect.gen(function*() {
      const lookups = yield* PushTags.makeLookups({ window: 0 })
      const outcomes = yield* lookups.getTagsMany(["alice", "carol", "mallory", "alice", "界面"])
      expect([...outcomes.keys()]).toEqual(["alice", "carol", "mallory", "界面"])
      expect(outcomes.get("alice")).toEqual(Result.succeed(["gold", "beta"]))
      expect(outcomes.get("carol")).toEqual(Result.succeed([]))
      expect(outcomes.get("界面")).toEqual(Result.succeed(["unicode"]))
      const mallory = outcomes.get("mallory")!
      expect(Result.isFailure(mallory) && mallory.failure).toMatchObject({
        _tag: "TimAccountError",
        account: "mallory",
        code: 70107,
        reason: "UnknownAccount"
      })
      const calls = yield* getTagCalls
      expect(calls.map((call) => call.accounts)).toEqual([4])
    }).pipe(Effect.provide(rest())))

  it.live("lookups from concurrent fibers within the window share one call; bad input fails before any", () =>
    Effect.gen(function*() {
      const lookups = yield* PushTags.makeLookups({ window: "20 millis" })
      const tags = yield* Effect.all(["alice", "bob", "alice"].map(lookups.getTags), { concurrency: "unbounded" })
      expect(tags).toEqual([["gold", "beta"], ["silver"], ["gold", "beta"]])
      expect(yield* getTagCalls).toHaveLength(1)
      const refused = yield* Effect.flip(lookups.getTags(""))
      expect(refused).toMatchObject({ _tag: "TimValidationError", field: "account" })
      expect(yield* getTagCalls).toHaveLength(1)
    }).pipe(Effect.provide(rest())))
})

describe("Client.layerRest(options)", () => {
  it.live("calls go through the given limiter and the transformed HttpClient", () => {
    const keys: Array<string> = []
    const urls: Array<string> = []
    const recording = Layer.effect(
      RateLimit.RateLimit,
      Effect.map(RateLimit.makeMemory(), (memory) =>
        RateLimit.RateLimit.of({
          ...memory,
          acquire: (key, rate) => Effect.andThen(Effect.sync(() => keys.push(key)), memory.acquire(key, rate))
        }))
    )
    const transformClient = HttpClient.tapRequest((request) => Effect.sync(() => urls.push(request.url)))
    return Effect.gen(function*() {
      const lookups = yield* PushTags.makeLookups({ window: 0 })
      expect(yield* lookups.getTags("bob")).toEqual(["silver"])
      expect(keys).toEqual([`${Harness.sdkAppId}:timpush/get_tag`])
      expect(urls).toHaveLength(1)
      expect(urls[0]).toMatch(/\/v4\/timpush\/get_tag$/)
    }).pipe(Effect.provide(rest({ rateLimit: recording, transformClient })))
  })
})
