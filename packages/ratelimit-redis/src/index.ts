/**
 * `@timtags/ratelimit-redis`: a Redis-backed `RateLimit` for `@timtags/core`, so that all processes
 * of an app share one limit per SDKAppID and command, and its quota counters.
 *
 * @since 0.1.0
 */

// An empty export keeps the comment above as the module's documentation for docgen (which takes
// the doc comment before a file's first statement, and every re-export below has its own).
export {}

/**
 * The Redis limiter, its layer and its raw store.
 *
 * @since 0.1.0
 * @category modules
 */
export * as RedisRateLimit from "./RedisRateLimit.js"
