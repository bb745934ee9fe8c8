/**
 * Everything `@timtags/core` needs from Node: an undici `HttpClient` (keep-alive connection pool),
 * the `node:crypto`/`node:zlib` `Signer`, and `RequestWrites` from undici's diagnostics channels (so
 * that the rate limiter counts each call from the moment its request was written).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "effect/http/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { Signer } from "@timtags/core/Signer"
import * as Layer from "effect/Layer"
import * as NodeRequestWrites from "./NodeRequestWrites.js"
import * as NodeSigner from "./NodeSigner.js"

/**
 * The Node platform layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient | Signer> = Layer.mergeAll(
  NodeHttpClient.layerUndici,
  NodeSigner.layer,
  NodeRequestWrites.layer
)
