/**
 * A batch runs in the service's own context, never in one caller's: two callers whose lookups share
 * one `get_tag` call get the same outcome whichever of them opened the batch, and neither caller's
 * `RetryPolicy`, timeout or tracer changes the other's call. (On Effect 3, one caller under
 * `RetryPolicy.layer({ maxAttempts: 1 })` turned retries off for its whole batch: the same two
 * lookups gave `[Left, Left]` or `[Right, Right]` depending only on which fiber came first.)
 */
import { describe, expect, it } from "@effect/vitest"
import * as Client from "@timtags/core/Client"
import * as PushTags from "@timtags/core/PushTags"
import * as RetryPolicy from "@timtags/core/RetryPolicy"
import { Emulator } from "@timtags/emulator"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Tracer from "effect/Tracer"
import * as Harness from "./support/Harness.js"
import { recordingTracer } from "./support/Recorders.js"

/** The client with a 20 ms window, built with `services` (what the application gives the layer). */
const clientWith = <R>(services: Layer.Layer<R>) =>
  Client.layer({ window: "20 millis" }).pipe(
    Layer.provide(services),
    Layer.provide(Harness.config()),
    Layer.provide(NodePlatform.layer),
    Layer.provideMerge(Harness.emulator())
  )

/** The `get_tag` calls the emulator saw: accounts and answered code of each. */
const getTagCalls = Effect.map(
  Effect.flatMap(Emulator.Emulator, (emu) => emu.calls),
  (all) => all.filter((c) => c.command === "get_tag").map((c) => ({ accounts: c.accounts, errorCode: c.errorCode }))
)

/** Runs `first` and `second` from two fibers started one after the other (so they share a batch). */
const inOrder = <A, E, B, E2>(first: Effect.Effect<A, E>, second: Effect.Effect<B, E2>) =>
  Effect.gen(function*() {
    const one = yield* Effect.forkChild(Effect.result(first))
    const two = yield* Effect.forkChild(Effect.result(second))
    return [yield* Fiber.join(one), yield* Fiber.join(two)] as const
  })

/** The outcomes of `own` and `other` (in that order), with `own`'s fiber started first or second. */
const both = <A, E, B, E2>(ownFirst: boolean, own: Effect.Effect<A, E>, other: Effect.Effect<B, E2>) =>
  ownFirst ? inOrder(own, other) : Effect.map(inOrder(other, own), ([o, m]) => [m, o] as const)

const orders = [true, false].map((ownFirst) => [ownFirst, ownFirst ? "its fiber first" : "its fiber second"] as const)

describe("a batch runs in the service's context, not a caller's", () => {
  describe("RetryPolicy", () => {
    const fastRetries = RetryPolicy.layer({ base: "1 millis", throttledBase: "1 millis" })

    for (const [ownFirst, order] of orders) {
      it.live(`one caller's maxAttempts: 1 does not turn retries off for the batch (${order})`, () =>
        Effect.gen(function*() {
          const emu = yield* Emulator.Emulator
          yield* emu.injectFault({ command: "get_tag", fault: { _tag: "ErrorCode", code: 91000 } })
          const tags = yield* PushTags.PushTags
          const noRetries = tags.getTags("alice").pipe(Effect.provide(RetryPolicy.layer({ maxAttempts: 1 })))
          const plain = tags.getTags("bob")
          const [own, other] = yield* both(ownFirst, noRetries, plain)
          expect(own).toEqual(Result.succeed(["gold", "beta"]))
          expect(other).toEqual(Result.succeed(["silver"]))
          expect(yield* getTagCalls).toEqual([{ accounts: 2, errorCode: 91000 }, { accounts: 2, errorCode: 0 }])
        }).pipe(Effect.provide(clientWith(fastRetries))))

      it.live(`one caller's generous policy does not make a no-retry service retry (${order})`, () =>
        Effect.gen(function*() {
          const emu = yield* Emulator.Emulator
          yield* emu.injectFault({ command: "get_tag", fault: { _tag: "ErrorCode", code: 91000 } })
          const tags = yield* PushTags.PushTags
          const retrying = tags.getTags("alice").pipe(
            Effect.provide(RetryPolicy.layer({ maxAttempts: 5, base: "1 millis" }))
          )
          const plain = tags.getTags("bob")
          const results = yield* both(ownFirst, retrying, plain)
          for (const result of results) {
            expect(result).toMatchObject({ _tag: "Failure", failure: { _tag: "TimApiError", code: 91000 } })
          }
          expect(yield* getTagCalls).toEqual([{ accounts: 2, errorCode: 91000 }])
        }).pipe(Effect.provide(clientWith(RetryPolicy.layer({ maxAttempts: 1 })))))
    }
  })

  describe("timeout", () => {
    for (const [ownFirst, order] of orders) {
      it.live(`one caller timing out leaves the shared call running for the other (${order})`, () =>
        Effect.gen(function*() {
          const emu = yield* Emulator.Emulator
          yield* emu.injectFault({ command: "get_tag", fault: { _tag: "Delay", millis: 300 } })
          const tags = yield* PushTags.PushTags
          const impatient = tags.getTags("alice").pipe(Effect.timeout("100 millis"))
          const plain = tags.getTags("bob")
          const [own, other] = yield* both(ownFirst, impatient, plain)
          expect(own).toMatchObject({ _tag: "Failure", failure: { _tag: "TimeoutError" } })
          expect(other).toEqual(Result.succeed(["silver"]))
          expect(yield* getTagCalls).toEqual([{ accounts: 2, errorCode: 0 }])
        }).pipe(Effect.provide(clientWith(Layer.empty))))
    }
  })

  describe("tracer", () => {
    for (const [ownFirst, order] of orders) {
      it.live(`batch and REST spans go to the service's tracer, never a caller's (caller A ${order})`, () => {
        const service = recordingTracer()
        const callerA = recordingTracer()
        const callerB = recordingTracer()
        return Effect.gen(function*() {
          const tags = yield* PushTags.PushTags
          const a = tags.getTags("alice").pipe(Effect.withTracer(callerA.tracer))
          const b = tags.getTags("bob").pipe(Effect.withTracer(callerB.tracer))
          const results = yield* both(ownFirst, a, b)
          expect(results.every(Result.isSuccess)).toBe(true)
          expect(yield* getTagCalls).toEqual([{ accounts: 2, errorCode: 0 }])

          for (const caller of [callerA, callerB]) expect(caller.spans.map((s) => s.name)).toEqual(["PushTags.getTags"])
          const batches = service.spans.filter((s) => s.name === "timtags.batch")
          expect(batches).toHaveLength(1)
          expect(service.spans.filter((s) => s.name === "timtags timpush/get_tag")).toHaveLength(1)
          expect(service.spans.some((s) => s.name === "PushTags.getTags")).toBe(false)
          // The batch links to both callers' spans, and each caller's span names the batch.
          const batch = batches[0]!
          const callerSpans = [callerA.spans[0]!.span, callerB.spans[0]!.span]
          expect(new Set(batch.links.map((l) => l.span))).toEqual(new Set(callerSpans))
          for (const caller of [callerA, callerB]) {
            expect(caller.spans[0]!.attributes.get("tim.batch.span_id")).toBe(batch.span.spanId)
          }
        }).pipe(Effect.provide(clientWith(Layer.succeed(Tracer.Tracer, service.tracer))))
      })
    }
  })
})
