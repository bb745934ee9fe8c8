/**
 * The whole client in one layer: `PushTags`, `PushAttrs` and `AccountImport` over one `TimRest`,
 * with the admin `UserSigCache` and a
 * rate limiter (in-memory by default; pass another `RateLimit` layer to share the limit between
 * processes). What it still needs is what only the application can choose: a `TimConfig`, an
 * `HttpClient` and a `Signer` (both from a platform package). Services provided to this layer, such
 * as a `RetryPolicy` or a tracer, are the ones every batch runs with. `transformClient` adapts the
 * `HttpClient` the REST calls go through (a proxy, extra headers, tracing). `layerRest` is the REST
 * caller alone, for an application (an edge worker) that builds the services it uses itself.
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
 * Options of `layerRest`: the part of `Options` that the REST caller takes.
 *
 * @since 0.3.0
 * @category models
 */
export type RestOptions = Pick<Options, "rateLimit" | "rates" | "transformClient">

/** The REST caller with its UserSig cache, over the `RateLimit` it is given. */
const rest = (
  options: RestOptions
): Layer.Layer<TimRest.TimRest, never, TimConfig | HttpClient.HttpClient | Signer | RateLimit.RateLimit> => {
  const { transformClient } = options
  return TimRest.layer({ rates: options.rates }).pipe(
    Layer.provide(UserSigCache.layer),
    Layer.provide(
      transformClient === undefined
        ? Layer.empty
        : Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, transformClient))
    )
  )
}

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
  const services = Layer.mergeAll(
    PushTags.layer(options),
    PushAttrs.layer(options),
    AccountImport.layer(options),
    PushSchedule.layer(options.push),
    PushStats.layer
  )
  return Push.layer(options.push).pipe(
    Layer.provideMerge(services),
    Layer.provideMerge(rest(options)),
    Layer.provide(options.rateLimit ?? RateLimit.layerMemory())
  )
}

/**
 * `TimRest` alone, with the admin `UserSigCache` and the rate limiter (`rateLimit`, in memory by
 * default), for an application that builds the services it uses itself: an edge worker making a
 * `PushTags` per request (`PushTags.make`) over the client of its isolate. An application bundled
 * from it holds only what those services need, not the push, attribute and import services of
 * `layer`.
 *
 * @example
 * ```ts
 * import { Client, PushTags, TimConfig } from "@timtags/core"
 * import { FetchPlatform } from "@timtags/platform-fetch"
 * import { Effect, Layer, ManagedRuntime } from "effect"
 *
 * // Built once (per isolate); each request batches its own lookups in a PushTags of its own.
 * const runtime = ManagedRuntime.make(
 *   Client.layerRest().pipe(Layer.provide(TimConfig.layerConfig()), Layer.provide(FetchPlatform.layer))
 * )
 * const lookup = (accounts: ReadonlyArray<string>) =>
 *   runtime.runPromise(Effect.flatMap(PushTags.make({ window: 0 }), (pushTags) => pushTags.getTagsMany(accounts)))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerRest = (
  options: RestOptions = {}
): Layer.Layer<TimRest.TimRest, never, TimConfig | HttpClient.HttpClient | Signer> =>
  rest(options).pipe(Layer.provide(options.rateLimit ?? RateLimit.layerMemory()))
