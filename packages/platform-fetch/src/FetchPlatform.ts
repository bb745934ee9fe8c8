/**
 * Everything `@timtags/core` needs from a runtime that has `fetch` and Web Crypto: Effect's
 * `FetchHttpClient` and the Web `Signer`. For edge runtimes (Workers, Deno, Bun) and browsers.
 *
 * @since 0.1.0
 */
import type { Signer } from "@timtags/core/Signer"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as WebSigner from "./WebSigner.js"

/**
 * The fetch platform layer.
 *
 * @example
 * ```ts
 * import { Client, PushTags, TimConfig } from "@timtags/core"
 * import { FetchPlatform } from "@timtags/platform-fetch"
 * import { Effect, Layer, ManagedRuntime } from "effect"
 *
 * // Built once per isolate, reused by every request.
 * const runtime = ManagedRuntime.make(
 *   Client.layer().pipe(
 *     Layer.provide(TimConfig.layer({ sdkAppId: 1400000000, secretKey: "the app's SecretKey", region: "Singapore" })),
 *     Layer.provide(FetchPlatform.layer)
 *   )
 * )
 *
 * export default {
 *   fetch: (request: Request): Promise<Response> => {
 *     const account = new URL(request.url).searchParams.get("account") ?? ""
 *     const tags = Effect.flatMap(PushTags.PushTags, (pushTags) => pushTags.getTags(account))
 *     return runtime.runPromise(tags).then((tags) => Response.json({ account, tags }))
 *   }
 * }
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient | Signer> = Layer.mergeAll(FetchHttpClient.layer, WebSigner.layer)
