/**
 * `@timtags/ratelimit-redis`: a Redis-backed `RateLimit` for `@timtags/core`, so that all processes
 * of an app share one limit per SDKAppID and command.
 *
 * @since 0.1.0
 */

/** The Redis limiter, its layer and its Lua scripts. @since 0.1.0 */
export * as RedisRateLimit from "./RedisRateLimit.js"
