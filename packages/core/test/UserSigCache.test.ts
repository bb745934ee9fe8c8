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

const cacheWith = (
  options: Partial<TimConfig.Options>,
  signer: Layer.Layer<Signer>,
  cache: Layer.Layer<UserSigCache.UserSigCache, never, TimConfig.TimConfig | Signer> = UserSigCache.layer
) =>
  cache.pipe(
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

  describe("unshared (layerUnshared)", () => {
    /** The Node signer, yielding first (a signing is asynchronous); the first signing never finishes (a
     * request whose I/O was cut off). */
    const firstNeverFinishes = () => {
      const counter = { signed: 0 }
      const layer = Layer.succeed(Signer, {
        ...NodeSigner.signer,
        hmacSha256: (key, data) =>
          Effect.suspend(() =>
            ++counter.signed === 1
              ? Effect.never
              : Effect.andThen(Effect.yieldNow, NodeSigner.signer.hmacSha256(key, data))
          )
      })
      return { counter, layer }
    }

    it.effect("no caller waits for another's signing: each stale caller signs, the cache keeps one", () => {
      const { counter, layer } = firstNeverFinishes()
      return Effect.gen(function*() {
        const cache = yield* UserSigCache.UserSigCache
        const stuck = yield* Effect.forkChild(cache.current)
        yield* Effect.yieldNow
        expect(counter.signed).toBe(1)
        const others = yield* Effect.all(Array.from({ length: 5 }, () => cache.current), { concurrency: "unbounded" })
        expect(counter.signed).toBe(6)
        for (const sig of others) expect((yield* claimsOf(sig)).time).toBe(0)
        // Cached now: later callers sign nothing.
        const later = yield* cache.current
        expect(counter.signed).toBe(6)
        expect(others.map(Redacted.value)).toContain(Redacted.value(later))
        expect(stuck.pollUnsafe()).toBeUndefined()
      }).pipe(Effect.provide(cacheWith({}, layer, UserSigCache.layerUnshared)))
    })

    it.effect("renews after 90% of the lifetime, and renew(stale) leaves a newer UserSig in place", () => {
      const { counter, layer } = countingSigner()
      return Effect.gen(function*() {
        const cache = yield* UserSigCache.UserSigCache
        const first = yield* cache.current
        yield* TestClock.adjust("10 seconds")
        const renewed = yield* cache.renew(first)
        expect((yield* claimsOf(renewed)).time).toBe(10)
        expect(Redacted.value(yield* cache.renew(first))).toBe(Redacted.value(renewed))
        expect(counter.signed).toBe(2)
        yield* TestClock.adjust("1 hour")
        expect((yield* claimsOf(yield* cache.current)).time).toBe(10)
        yield* TestClock.adjust("80 days")
        expect((yield* claimsOf(yield* cache.current)).time).toBe(10 + 3600 + 80 * 86400)
        expect(counter.signed).toBe(3)
      }).pipe(Effect.provide(cacheWith({}, layer, UserSigCache.layerUnshared)))
    })
  })
})
