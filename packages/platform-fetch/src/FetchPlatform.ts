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
 * import { PushTags, RateLimit, TimConfig, TimRest, UserSigCache } from "@timtags/core"
 * import { FetchPlatform } from "@timtags/platform-fetch"
 * import { Effect, Layer, Scope } from "effect"
 *
 * // Shared by the isolate's requests, built synchronously: nothing here makes one request wait for
 * // another, which workerd would cancel as hung.
 * const config = TimConfig.layer({ sdkAppId: 1400000000, secretKey: "the app's SecretKey", region: "Singapore" })
 * const platform = Layer.mergeAll(config, FetchPlatform.layer)
 * const shared = Effect.runSync(
 *   Layer.buildWithScope(Layer.merge(platform, Layer.provide(UserSigCache.layerUnshared, platform)), Scope.makeUnsafe())
 * )
 *
 * // Each request its own lookups, REST caller and limiter (examples/edge-worker.ts in the repository).
 * const tagsOf = (account: string) =>
 *   Effect.flatMap(PushTags.makeLookups({ window: 0 }), (lookups) => lookups.getTags(account)).pipe(
 *     Effect.provideServiceEffect(TimRest.TimRest, TimRest.make()),
 *     Effect.provideServiceEffect(RateLimit.RateLimit, RateLimit.makeMemory()),
 *     Effect.provideContext(shared)
 *   )
 *
 * export default {
 *   fetch: async (request: Request): Promise<Response> => {
 *     const account = new URL(request.url).searchParams.get("account") ?? ""
 *     return Response.json({ account, tags: await Effect.runPromise(tagsOf(account)) })
 *   }
 * }
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient | Signer> = Layer.mergeAll(FetchHttpClient.layer, WebSigner.layer)
