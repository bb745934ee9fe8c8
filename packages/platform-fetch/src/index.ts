/**
 * `@timtags/platform-fetch`: the fetch transport and Web Crypto signer for `@timtags/core`.
 *
 * @since 0.1.0
 */

// An empty export keeps the comment above as the module's documentation for docgen (which takes
// the doc comment before a file's first statement, and every re-export below has its own).
export {}

/**
 * The fetch HttpClient and Web Signer together.
 *
 * @since 0.1.0
 * @category modules
 */
export * as FetchPlatform from "./FetchPlatform.js"
/**
 * The Web Crypto/CompressionStream Signer.
 *
 * @since 0.1.0
 * @category modules
 */
export * as WebSigner from "./WebSigner.js"
