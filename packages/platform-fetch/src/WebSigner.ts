/**
 * A `Signer` on Web standards only: Web Crypto (`crypto.subtle` HMAC-SHA256) and
 * `CompressionStream`/`DecompressionStream` with the `deflate` format (a zlib stream, RFC 1950).
 * Runs on Node ≥ 18, Deno, Bun, Cloudflare Workers and browsers; imports nothing from `node:*`.
 *
 * @since 0.1.0
 */
import { Signer } from "@timtags/core/Signer"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const pipeThrough = async (
  data: Uint8Array,
  transform: CompressionStream | DecompressionStream
): Promise<Uint8Array> => {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(transform)
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/**
 * The Web signer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const signer: Signer = {
  hmacSha256: (key, data) =>
    Effect.promise(async () => {
      const cryptoKey = await crypto.subtle.importKey(
        "raw",
        key as BufferSource,
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"]
      )
      return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, data as BufferSource))
    }),
  deflate: (data) => Effect.promise(() => pipeThrough(data, new CompressionStream("deflate"))),
  inflate: (data) =>
    Effect.tryPromise({
      try: () => pipeThrough(data, new DecompressionStream("deflate")),
      catch: (error) => `inflate failed: ${error instanceof Error ? error.message : String(error)}`
    })
}

/**
 * The Web signer as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Signer> = Layer.succeed(Signer, signer)
