/**
 * The admin UserSig that every REST call carries: signed once, reused until shortly before it
 * expires (never per request), and re-signed on demand when the server says it has expired (70001).
 * Concurrent callers during a renewal share one signing (`layer`), or each sign their own without
 * waiting for another (`layerUnshared`, for Cloudflare Workers). Time comes from Effect's `Clock`.
 * With a ready-made UserSig configured, that one is used as is.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { Signer } from "./Signer.js"
import { TimConfig } from "./TimConfig.js"
import * as UserSig from "./UserSig.js"

/**
 * Access to the current admin UserSig.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The cached UserSig, renewed first when it is close to expiry. */
  readonly current: Effect.Effect<Redacted.Redacted<string>>
  /** Signs a new UserSig now (after a 70001), unless a newer one than `stale` is already cached. */
  readonly renew: (stale: Redacted.Redacted<string>) => Effect.Effect<Redacted.Redacted<string>>
}

/**
 * The `UserSigCache` service key.
 *
 * @since 0.1.0
 * @category tags
 */
export class UserSigCache extends Context.Service<UserSigCache, Service>()("@timtags/core/UserSigCache") {}

interface Entry {
  readonly sig: Redacted.Redacted<string>
  /** Epoch milliseconds after which the entry is renewed. */
  readonly renewAt: number
}

/**
 * Fraction of the lifetime after which a cached UserSig is replaced (it stays valid for the rest).
 *
 * @since 0.1.0
 * @category constants
 */
export const renewAfterFraction = 0.9

/** Keeps `entry` if it is still good, or signs a new one now; the UserSig to use and the entry to cache. */
const keptOrSigned = (
  signNow: Effect.Effect<Entry>,
  stillGood: (entry: Entry, now: number) => boolean
) =>
(entry: Entry | undefined): Effect.Effect<readonly [Redacted.Redacted<string>, Entry]> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    entry !== undefined && stillGood(entry, now)
      ? Effect.succeed([entry.sig, entry] as const)
      : Effect.map(signNow, (fresh) => [fresh.sig, fresh] as const))

/** The cache, from the configuration and a `Signer`; `shared`: callers during a renewal share one signing. */
const build = (shared: boolean): Effect.Effect<Service, never, TimConfig | Signer> =>
  Effect.gen(function*() {
    const config = yield* TimConfig
    const credential = config.credential
    if (credential._tag === "UserSig") {
      const fixed = Effect.succeed(credential.userSig)
      return { current: fixed, renew: () => fixed }
    }
    const signer = yield* Signer
    const lifetimeMillis = Duration.toMillis(config.userSigLifetime)
    const signNow = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const sig = yield* UserSig.sign({
        sdkAppId: config.sdkAppId,
        identifier: config.admin,
        secretKey: credential.secretKey,
        time: Math.floor(now / 1000),
        expire: Math.floor(lifetimeMillis / 1000)
      })
      return { sig, renewAt: now + lifetimeMillis * renewAfterFraction } satisfies Entry
    }).pipe(Effect.provideService(Signer, signer), Effect.withSpan("UserSigCache.sign"))

    const ref = yield* SynchronizedRef.make<Entry | undefined>(undefined)
    const refresh = (stillGood: (entry: Entry, now: number) => boolean) =>
      shared
        ? SynchronizedRef.modifyEffect(ref, keptOrSigned(signNow, stillGood))
        // Unshared: no lock to wait on; of entries signed at the same time, the cache keeps the latest.
        : Effect.flatMap(SynchronizedRef.get(ref), keptOrSigned(signNow, stillGood)).pipe(
          Effect.tap(([, entry]) =>
            Ref.update(ref.backing, (cached) => cached === undefined || cached.renewAt < entry.renewAt ? entry : cached)
          ),
          Effect.map(([sig]) => sig)
        )

    const current = Effect.flatMap(
      Effect.zip(SynchronizedRef.get(ref), Clock.currentTimeMillis),
      ([entry, now]) =>
        entry !== undefined && now < entry.renewAt ? Effect.succeed(entry.sig) : refresh((e, n) => n < e.renewAt)
    )
    const renew = (stale: Redacted.Redacted<string>) => refresh((entry) => entry.sig !== stale)
    return { current, renew }
  })

/**
 * Builds the cache from the configuration and a `Signer`. Concurrent callers that find the UserSig
 * stale share one signing: the first signs, the others wait for it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, TimConfig | Signer> = build(true)

/**
 * Like `make`, but a caller never waits for another: each one that finds the UserSig stale signs its
 * own (one HMAC and one deflate, well under a millisecond), and the cache keeps the latest. For
 * runtimes where one request must not wait on another request's work: Cloudflare Workers cancel a
 * request that waits on a promise only another request's I/O can settle.
 *
 * @since 0.3.0
 * @category constructors
 */
export const makeUnshared: Effect.Effect<Service, never, TimConfig | Signer> = build(false)

/**
 * The cache as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<UserSigCache, never, TimConfig | Signer> = Layer.effect(UserSigCache, make)

/**
 * `makeUnshared` as a layer: callers never wait for one another's signing.
 *
 * @since 0.3.0
 * @category layers
 */
export const layerUnshared: Layer.Layer<UserSigCache, never, TimConfig | Signer> = Layer.effect(
  UserSigCache,
  makeUnshared
)
