/**
 * What `TimRest` tells the rate limiter, through the real HTTP path to the emulator: every permit is
 * confirmed with the moment its request was written (from undici's diagnostics channel with the Node
 * platform, never before the permit was granted), and a frequency-limit answer (60007, HTTP 429) is
 * reported as a refusal under the SDKAppID and command, while other failures are not.
 */
import { describe, expect, it } from "@effect/vitest"
import * as PushTags from "@timtags/core/PushTags"
import * as RateLimit from "@timtags/core/RateLimit"
import * as RetryPolicy from "@timtags/core/RetryPolicy"
import { Emulator } from "@timtags/emulator"
import type { Faults } from "@timtags/emulator"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Harness from "./support/Harness.js"

/** A limiter that lets everything go and records what it is told. */
const spying = () => {
  const granted: Array<{ readonly key: string; readonly at: number; confirmed: Array<number> }> = []
  const refusals: Array<{ readonly key: string; readonly at: number }> = []
  const layer = Layer.effect(
    RateLimit.RateLimit,
    Effect.sync(() =>
      RateLimit.RateLimit.of({
        acquire: (key) =>
          Effect.map(Clock.currentTimeMillis, (at) => {
            const grant = { key, at, confirmed: [] as Array<number> }
            granted.push(grant)
            return { started: (written: number) => void grant.confirmed.push(written) }
          }),
        refused: (key, at) => Effect.sync(() => void refusals.push({ key, at })),
        quota: RateLimit.unlimitedQuota
      })
    )
  )
  return { granted, refusals, layer }
}

const fast = RetryPolicy.layer({ base: "1 millis", throttledBase: "1 millis" })
const key = `${Harness.sdkAppId}:timpush/get_tag`

const lookupAfter = (fault: Faults.Fault) =>
  Effect.gen(function*() {
    const emu = yield* Emulator.Emulator
    yield* emu.injectFault({ command: "get_tag", fault })
    const tags = yield* PushTags.PushTags
    return yield* tags.getTags("alice")
  })

describe("TimRest tells the limiter", () => {
  it.live("when each request was written: once the permit was granted, before the answer", () => {
    const spy = spying()
    return Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      yield* tags.getTagsMany(Array.from({ length: 250 }, (_, i) => `user${i}`))
      expect(spy.granted).toHaveLength(3)
      for (const grant of spy.granted) {
        expect(grant.key).toBe(key)
        // The write seen on undici's channel, then the safety confirmation when the exchange ended: the first counts.
        expect(grant.confirmed.length).toBeGreaterThanOrEqual(1)
        expect(grant.confirmed[0]!).toBeGreaterThanOrEqual(grant.at)
      }
    }).pipe(Effect.provide(Harness.client({ client: { rateLimit: spy.layer } })))
  })

  it.live("about a frequency-limit answer (60007), under the SDKAppID and command; the retry waits in the limiter again", () => {
    const spy = spying()
    return Effect.gen(function*() {
      expect(yield* lookupAfter({ _tag: "ErrorCode", code: 60007 })).toEqual(["gold", "beta"])
      expect(spy.refusals).toHaveLength(1)
      expect(spy.refusals[0]!.key).toBe(key)
      expect(spy.granted).toHaveLength(2) // the refused attempt and its retry both went through the limiter
    }).pipe(Effect.provide(Harness.client({ client: { rateLimit: spy.layer }, services: fast })))
  })

  it.live("about HTTP 429", () => {
    const spy = spying()
    return Effect.gen(function*() {
      expect(yield* lookupAfter({ _tag: "HttpStatus", status: 429 })).toEqual(["gold", "beta"])
      expect(spy.refusals.map((r) => r.key)).toEqual([key])
    }).pipe(Effect.provide(Harness.client({ client: { rateLimit: spy.layer }, services: fast })))
  })

  it.live("nothing about other failures (91000 server busy, 502)", () => {
    const spy = spying()
    return Effect.gen(function*() {
      expect(yield* lookupAfter({ _tag: "ErrorCode", code: 91000 })).toEqual(["gold", "beta"])
      expect(yield* lookupAfter({ _tag: "HttpStatus", status: 502 })).toEqual(["gold", "beta"])
      expect(spy.refusals).toEqual([])
      expect(spy.granted).toHaveLength(4)
    }).pipe(Effect.provide(Harness.client({ client: { rateLimit: spy.layer }, services: fast })))
  })
})
