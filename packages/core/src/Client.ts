/**
 * The whole client in one layer: `PushTags`, `PushAttrs` and `AccountImport` over one `TimRest`,
 * with the admin `UserSigCache` and a
 * rate limiter (in-memory by default; pass another `RateLimit` layer to share the limit between
 * processes). What it still needs is what only the application can choose: a `TimConfig`, an
 * `HttpClient` and a `Signer` (both from a platform package). Services provided to this layer, such
 * as a `RetryPolicy` or a tracer, are the ones every batch runs with. `transformClient` adapts the
 * `HttpClient` the REST calls go through (a proxy, extra headers, tracing).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as AccountImport from "./AccountImport.js"
import * as Push from "./Push.js"
import * as PushAttrs from "./PushAttrs.js"
import * as PushSchedule from "./PushSchedule.js"
import * as PushStats from "./PushStats.js"
import * as PushTags from "./PushTags.js"
import * as RateLimit from "./RateLimit.js"
import type { Signer } from "./Signer.js"
import type { TimConfig } from "./TimConfig.js"
import * as TimRest from "./TimRest.js"
import * as UserSigCache from "./UserSigCache.js"

/**
 * Options of the client layer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends PushAttrs.Options {
  /**
   * The limiter to use; default `RateLimit.layerMemory()` (100 calls per sliding second, and each
   * command's own rate, see `rates`).
   */
  readonly rateLimit?: Layer.Layer<RateLimit.RateLimit> | undefined
  /** Rates of commands over `TimRest.defaultRates` (e.g. `timpush/batch` on a paid edition). */
  readonly rates?: TimRest.Options["rates"]
  /** How pushes are sent: the daily quota and its reset, resends after refusals. */
  readonly push?: Push.Options | undefined
  /**
   * Adapts the `HttpClient` every REST call goes through, as Effect's own HTTP clients allow: route
   * through a proxy, add headers, trace. The client adds its JSON `Accept` header, its timeout and
   * its span suppression around the result.
   *
   * Mind what a transformation may see: each request's URL carries the admin's UserSig in its
   * query (`usersig=`). Do not log or trace request URLs from here; `HttpClient.tapRequest` with
   * `request.url` is safe, as the query is held apart in `request.urlParams`.
   *
   * @since 0.3.0
   */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/**
 * The services of the client.
 *
 * @since 0.3.0
 * @category models
 */
export type Services =
  | PushTags.PushTags
  | PushAttrs.PushAttrs
  | AccountImport.AccountImport
  | Push.Push
  | PushSchedule.PushSchedule
  | PushStats.PushStats
  | TimRest.TimRest

/**
 * `PushTags`, `PushAttrs`, `AccountImport`, `Push`, `PushSchedule`, `PushStats` and `TimRest`, ready
 * to use once a config, an HttpClient and a Signer are provided. The services share the REST caller,
 * its UserSig and its rate limiter (which also counts the daily push quota); each batches its own
 * commands with `options`.
 *
 * @example
 * ```ts
 * import { Client, PushTags, RetryPolicy, TimConfig } from "@timtags/core"
 * import { NodePlatform } from "@timtags/platform-node"
 * import { Effect, Layer } from "effect"
 *
 * // What the application chooses: the config, the platform and, optionally, retries.
 * const TagsLive = Client.layer({ window: "5 millis" }).pipe(
 *   Layer.provide(RetryPolicy.layer({ maxAttempts: 2 })),
 *   Layer.provide(TimConfig.layerConfig()), // TIM_SDKAPPID, TIM_SECRET_KEY, TIM_REGION, …
 *   Layer.provide(NodePlatform.layer)
 * )
 *
 * const program = Effect.flatMap(PushTags.PushTags, (pushTags) => pushTags.getTags("alice"))
 *
 * Effect.runPromise(program.pipe(Effect.provide(TagsLive))).then(console.log)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<Services, never, TimConfig | HttpClient.HttpClient | Signer> => {
  const { transformClient } = options
  const rest = TimRest.layer({ rates: options.rates }).pipe(
    Layer.provide(UserSigCache.layer),
    Layer.provide(
      transformClient === undefined
        ? Layer.empty
        : Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, transformClient))
    )
  )
  const services = Layer.mergeAll(
    PushTags.layer(options),
    PushAttrs.layer(options),
    AccountImport.layer(options),
    PushSchedule.layer,
    PushStats.layer
  )
  return Push.layer(options.push).pipe(
    Layer.provideMerge(services),
    Layer.provideMerge(rest),
    Layer.provide(options.rateLimit ?? RateLimit.layerMemory())
  )
}
