/**
 * `@timtags/platform-fetch`: the fetch transport and Web Crypto signer for `@timtags/core`.
 *
 * @since 0.1.0
 */

/** The fetch HttpClient and Web Signer together. @since 0.1.0 */
export * as FetchPlatform from "./FetchPlatform.js"
/** The Web Crypto/CompressionStream Signer. @since 0.1.0 */
export * as WebSigner from "./WebSigner.js"
