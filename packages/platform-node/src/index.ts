/**
 * `@timtags/platform-node`: the Node.js transport and crypto for `@timtags/core`.
 *
 * @since 0.1.0
 */

/** The undici HttpClient and Node Signer together. @since 0.1.0 */
export * as NodePlatform from "./NodePlatform.js"
/** The node:crypto/node:zlib Signer. @since 0.1.0 */
export * as NodeSigner from "./NodeSigner.js"
/** When undici writes each request, for the rate limiter. @since 0.2.0 */
export * as NodeRequestWrites from "./NodeRequestWrites.js"
