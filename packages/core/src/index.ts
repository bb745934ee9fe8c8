/**
 * `@timtags/core`: an Effect client for the Tencent Cloud Chat push-tag REST API. Runs on any
 * JavaScript runtime; the HTTP client and the `Signer` come from a platform package.
 *
 * @since 0.1.0
 */

// An empty export keeps the comment above as the module's documentation for docgen (which takes
// the doc comment before a file's first statement, and every re-export below has its own).
export {}

/**
 * Account import, the first call a real app makes.
 *
 * @since 0.3.0
 * @category modules
 */
export * as AccountImport from "./AccountImport.js"
/**
 * Account identifiers and their validation.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Account from "./Account.js"
/**
 * Push attributes and their limits.
 *
 * @since 0.3.0
 * @category modules
 */
export * as Attr from "./Attr.js"
/**
 * How the services batch, and the shapes their streams share.
 *
 * @since 0.3.0
 * @category modules
 */
export * as Batching from "./Batching.js"
/**
 * The whole client in one layer.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Client from "./Client.js"
/**
 * Error codes, their reasons and retry classes.
 *
 * @since 0.1.0
 * @category modules
 */
export * as ErrorCode from "./ErrorCode.js"
/**
 * The answer envelope and per-command answer schemas.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Envelope from "./Envelope.js"
/**
 * Metrics the client records.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Metrics from "./Metrics.js"
/**
 * What a push shows (`OfflinePushInfo`).
 *
 * @since 0.3.0
 * @category modules
 */
export * as Notification from "./Notification.js"
/**
 * Pushing safely: send and revoke.
 *
 * @since 0.3.0
 * @category modules
 */
export * as Push from "./Push.js"
/**
 * Scheduled pushes.
 *
 * @since 0.3.0
 * @category modules
 */
export * as PushSchedule from "./PushSchedule.js"
/**
 * Push statistics, loss and traces.
 *
 * @since 0.3.0
 * @category modules
 */
export * as PushStats from "./PushStats.js"
/**
 * The push-attribute service.
 *
 * @since 0.3.0
 * @category modules
 */
export * as PushAttrs from "./PushAttrs.js"
/**
 * The push-tag service.
 *
 * @since 0.1.0
 * @category modules
 */
export * as PushTags from "./PushTags.js"
/**
 * Tags and their limits.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Tag from "./Tag.js"
/**
 * Client-side rate limiting.
 *
 * @since 0.1.0
 * @category modules
 */
export * as RateLimit from "./RateLimit.js"
/**
 * Why a failure happened and how it may be retried: the vocabulary of every error.
 *
 * @since 0.3.0
 * @category modules
 */
export * as Reason from "./Reason.js"
/**
 * Data centres and their domains.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Region from "./Region.js"
/**
 * When requests are actually written, for the rate limiter.
 *
 * @since 0.2.0
 * @category modules
 */
export * as RequestWrites from "./RequestWrites.js"
/**
 * When failed calls are retried.
 *
 * @since 0.1.0
 * @category modules
 */
export * as RetryPolicy from "./RetryPolicy.js"
/**
 * HMAC and zlib primitives for UserSig.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Signer from "./Signer.js"
/**
 * Whom a push goes to.
 *
 * @since 0.3.0
 * @category modules
 */
export * as Target from "./Target.js"
/**
 * App, credential and endpoint configuration.
 *
 * @since 0.1.0
 * @category modules
 */
export * as TimConfig from "./TimConfig.js"
/**
 * The errors of this library, their reasons and retry classes.
 *
 * @since 0.1.0
 * @category modules
 */
export * as TimError from "./TimError.js"
/**
 * The one REST call path.
 *
 * @since 0.1.0
 * @category modules
 */
export * as TimRest from "./TimRest.js"
/**
 * The TLSSigAPIv2 UserSig algorithm.
 *
 * @since 0.1.0
 * @category modules
 */
export * as UserSig from "./UserSig.js"
/**
 * The cached admin UserSig.
 *
 * @since 0.1.0
 * @category modules
 */
export * as UserSigCache from "./UserSigCache.js"
