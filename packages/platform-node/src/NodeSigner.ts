/**
 * A `Signer` on Node's own `node:crypto` (HMAC-SHA256) and `node:zlib` (deflate/inflate).
 *
 * @since 0.1.0
 */
import { Signer } from "@timtags/core/Signer"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { createHmac } from "node:crypto"
import { deflateSync, inflateSync } from "node:zlib"
import { guard } from "./internal/nodeVersion.js"

/**
 * The Node signer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const signer: Signer = {
  hmacSha256: (key, data) => Effect.sync(() => new Uint8Array(createHmac("sha256", key).update(data).digest())),
  deflate: (data) => Effect.sync(() => new Uint8Array(deflateSync(data))),
  inflate: (data) =>
    Effect.try({
      try: () => new Uint8Array(inflateSync(data)),
      catch: (error) => `inflate failed: ${error instanceof Error ? error.message : String(error)}`
    })
}

/**
 * The Node signer as a layer. Built on a Node.js older than 22.19, it dies with a one-line message naming the
 * version it found.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Signer> = guard(Layer.succeed(Signer, signer))
