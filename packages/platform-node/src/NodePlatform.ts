/**
 * Everything `@timtags/core` needs from Node: an undici `HttpClient` (keep-alive connection pool),
 * the `node:crypto`/`node:zlib` `Signer`, and `RequestWrites` from undici's diagnostics channels (so
 * that the rate limiter counts each call from the moment its request was written).
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { Signer } from "@timtags/core/Signer"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import { guard } from "./internal/nodeVersion.js"
import * as NodeRequestWrites from "./NodeRequestWrites.js"
import * as NodeSigner from "./NodeSigner.js"

/**
 * The Node platform layer. It needs Node.js ≥ 22.19 (what `@effect/platform-node` 4 and undici 8 declare):
 * built on an older Node, it dies before undici is loaded, with one line such as
 * `UnsupportedNodeVersion: @timtags/platform-node needs Node.js ≥ 22.19, found 20.20.2`.
 *
 * @example
 * ```ts
 * import { Client, PushTags, TimConfig } from "@timtags/core"
 * import { NodePlatform } from "@timtags/platform-node"
 * import { Effect, Layer } from "effect"
 *
 * const TagsLive = Client.layer().pipe(
 *   Layer.provide(TimConfig.layerConfig()), // TIM_SDKAPPID, TIM_SECRET_KEY, TIM_REGION, …
 *   Layer.provide(NodePlatform.layer)
 * )
 *
 * const program = Effect.flatMap(PushTags.PushTags, (pushTags) => pushTags.getTags("alice"))
 *
 * Effect.runPromise(program.pipe(Effect.provide(TagsLive))).then(console.log)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient | Signer> = guard(Layer.mergeAll(
  NodeHttpClient.layerUndici,
  NodeSigner.layer,
  NodeRequestWrites.layer
))
