import { describe, expect, it } from "@effect/vitest"
import { Signer } from "@timtags/core/Signer"
import * as TimConfig from "@timtags/core/TimConfig"
import * as UserSig from "@timtags/core/UserSig"
import * as UserSigCache from "@timtags/core/UserSigCache"
import { NodeSigner } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/testing/TestClock"

/** The Node signer, counting how often it signs (one HMAC per UserSig). */
const countingSigner = () => {
  const counter = { signed: 0 }
  const layer = Layer.succeed(Signer, {
    ...NodeSigner.signer,
    hmacSha256: (key, data) =>
      Effect.suspend(() => {
        counter.signed++
        return NodeSigner.signer.hmacSha256(key, data)
      })
  })
  return { counter, layer }
}

const cacheWith = (options: Partial<TimConfig.Options>, signer: Layer.Layer<Signer>) =>
  UserSigCache.layer.pipe(
    Layer.provide(TimConfig.layer({ sdkAppId: 1400000000, secretKey: "k", region: "Singapore", ...options })),
    Layer.provide(signer)
  )

const claimsOf = (sig: Redacted.Redacted<string>) => UserSig.decode(sig).pipe(Effect.provide(NodeSigner.layer))

describe("UserSigCache", () => {
  it.effect("signs once and reuses the UserSig for many calls", () => {
    const { counter, layer } = countingSigner()
    return Effect.gen(function*() {
      const cache = yield* UserSigCache.UserSigCache
      const sigs = yield* Effect.all(Array.from({ length: 50 }, () => cache.current), { concurrency: "unbounded" })
      expect(counter.signed).toBe(1)
      expect(new Set(sigs.map(Redacted.value)).size).toBe(1)
      const claims = yield* claimsOf(sigs[0]!)
      expect(claims).toMatchObject({ identifier: "administrator", sdkAppId: 1400000000, time: 0, expire: 86400 })
    }).pipe(Effect.provide(cacheWith({}, layer)))
  })

  it.effect("renews shortly before expiry (after 90% of the lifetime), using Effect's Clock", () => {
    const { counter, layer } = countingSigner()
    return Effect.gen(function*() {
      const cache = yield* UserSigCache.UserSigCache
      yield* cache.current
      yield* TestClock.adjust("21 hours")
      yield* cache.current
      expect(counter.signed).toBe(1)
      yield* TestClock.adjust("40 minutes") // 21h40m > 0.9 × 24h
      const renewed = yield* cache.current
      expect(counter.signed).toBe(2)
      expect((yield* claimsOf(renewed)).time).toBe(21 * 3600 + 40 * 60)
    }).pipe(Effect.provide(cacheWith({}, layer)))
  })

  it.effect("renew(stale) signs anew once, even when many callers ask at the same time", () => {
    const { counter, layer } = countingSigner()
    return Effect.gen(function*() {
      const cache = yield* UserSigCache.UserSigCache
      const first = yield* cache.current
      yield* TestClock.adjust("10 seconds")
      const renewed = yield* Effect.all(Array.from({ length: 10 }, () => cache.renew(first)), {
        concurrency: "unbounded"
      })
      expect(counter.signed).toBe(2)
      expect(new Set(renewed).size).toBe(1)
      expect((yield* claimsOf(renewed[0]!)).time).toBe(10)
    }).pipe(Effect.provide(cacheWith({}, layer)))
  })

  it.effect("uses the configured lifetime", () =>
    Effect.gen(function*() {
      const cache = yield* UserSigCache.UserSigCache
      expect((yield* claimsOf(yield* cache.current)).expire).toBe(7200)
    }).pipe(Effect.provide(cacheWith({ userSigLifetime: "2 hours" }, NodeSigner.layer))))

  it.effect("a ready-made UserSig is used as is and never re-signed", () => {
    const { counter, layer } = countingSigner()
    return Effect.gen(function*() {
      const cache = yield* UserSigCache.UserSigCache
      const sig = yield* cache.current
      expect(Redacted.value(sig)).toBe("ready-made")
      expect(Redacted.value(yield* cache.renew(sig))).toBe("ready-made")
      expect(counter.signed).toBe(0)
    }).pipe(Effect.provide(cacheWith({ secretKey: undefined, userSig: "ready-made" }, layer)))
  })
})
