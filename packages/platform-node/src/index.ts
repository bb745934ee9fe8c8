/**
 * `@timtags/platform-node`: the Node.js transport and crypto for `@timtags/core`.
 *
 * @since 0.1.0
 */

// An empty export keeps the comment above as the module's documentation for docgen (which takes
// the doc comment before a file's first statement, and every re-export below has its own).
export {}

/**
 * The undici HttpClient and Node Signer together.
 *
 * @since 0.1.0
 * @category modules
 */
export * as NodePlatform from "./NodePlatform.js"
/**
 * The node:crypto/node:zlib Signer.
 *
 * @since 0.1.0
 * @category modules
 */
export * as NodeSigner from "./NodeSigner.js"
/**
 * When undici writes each request, for the rate limiter.
 *
 * @since 0.2.0
 * @category modules
 */
export * as NodeRequestWrites from "./NodeRequestWrites.js"
