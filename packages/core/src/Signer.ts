/**
 * The two primitives a UserSig needs, HMAC-SHA256 and zlib (RFC 1950) compression, as a service.
 * `@timtags/core` runs anywhere, so it does not pick an implementation: `@timtags/platform-node`
 * provides one on `node:crypto`/`node:zlib`, `@timtags/platform-fetch` one on Web Crypto and
 * `CompressionStream`.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"

/**
 * Cryptographic and compression primitives for UserSig.
 *
 * @since 0.1.0
 * @category models
 */
export interface Signer {
  /** HMAC-SHA256 of `data` under `key`. */
  readonly hmacSha256: (key: Uint8Array, data: Uint8Array) => Effect.Effect<Uint8Array>
  /** A zlib stream (RFC 1950) holding `data`. */
  readonly deflate: (data: Uint8Array) => Effect.Effect<Uint8Array>
  /** Inflates a zlib stream; fails with a message when it is not one. */
  readonly inflate: (data: Uint8Array) => Effect.Effect<Uint8Array, string>
}

/**
 * The `Signer` service key.
 *
 * @since 0.1.0
 * @category tags
 */
export const Signer: Context.Service<Signer, Signer> = Context.Service<Signer>("@timtags/core/Signer")
