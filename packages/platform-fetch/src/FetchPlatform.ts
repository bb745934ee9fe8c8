/**
 * Everything `@timtags/core` needs from a runtime that has `fetch` and Web Crypto: Effect's
 * `FetchHttpClient` and the Web `Signer`. For edge runtimes (Workers, Deno, Bun) and browsers.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import type * as HttpClient from "effect/http/HttpClient"
import type { Signer } from "@timtags/core/Signer"
import * as Layer from "effect/Layer"
import * as WebSigner from "./WebSigner.js"

/**
 * The fetch platform layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient | Signer> = Layer.mergeAll(FetchHttpClient.layer, WebSigner.layer)
