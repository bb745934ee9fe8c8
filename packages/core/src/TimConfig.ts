/**
 * Which Chat app to call and how: SDKAppID, admin identifier, credential (a SecretKey to sign
 * UserSigs with, or a ready-made UserSig), where the REST API is (a region or an explicit base URL)
 * and timing. Secrets are held as `Redacted` and never printed.
 *
 * Build it from code with `layer(options)` or from the environment with `layerConfig`
 * (`TIM_SDKAPPID`, `TIM_SECRET_KEY` or `TIM_USERSIG`, `TIM_ADMIN`, `TIM_REGION` or `TIM_BASE_URL`,
 * `TIM_BACKUP_BASE_URL`, `TIM_TIMEOUT`).
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as Region from "./Region.js"

/**
 * How the admin authenticates: a SecretKey from which UserSigs are signed and renewed, or a
 * ready-made UserSig (which cannot be renewed when it expires).
 *
 * @since 0.1.0
 * @category models
 */
export type Credential =
  | { readonly _tag: "SecretKey"; readonly secretKey: Redacted.Redacted<string> }
  | { readonly _tag: "UserSig"; readonly userSig: Redacted.Redacted<string> }

/**
 * The resolved configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface TimConfigShape {
  readonly sdkAppId: number
  /** The admin identifier that calls the REST API. */
  readonly admin: string
  readonly credential: Credential
  /** Base URL of the REST API, without trailing slash (`https://adminapisgp.im.qcloud.com`). */
  readonly baseUrl: string
  /**
   * Where to go when the base URL cannot be reached (network errors): the region's documented
   * backup domain, or an explicit `backupBaseUrl`; none for an explicit `baseUrl` without one.
   */
  readonly backupBaseUrl: string | undefined
  /** Per-attempt timeout; the server gives up after 3 s, so this must be longer. */
  readonly requestTimeout: Duration.Duration
  /** Lifetime of each UserSig this library signs. */
  readonly userSigLifetime: Duration.Duration
}

/**
 * The `TimConfig` service key.
 *
 * @since 0.1.0
 * @category tags
 */
export class TimConfig extends Context.Service<TimConfig, TimConfigShape>()("@timtags/core/TimConfig") {}

/**
 * Options for `layer`. Give exactly one of `secretKey`/`userSig`, and `region` or `baseUrl`
 * (`baseUrl` wins: emulators, proxies).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly sdkAppId: number
  /** Default `administrator`. */
  readonly admin?: string | undefined
  readonly secretKey?: Redacted.Redacted<string> | string | undefined
  readonly userSig?: Redacted.Redacted<string> | string | undefined
  readonly region?: Region.Region | undefined
  readonly baseUrl?: string | undefined
  /** Used after network errors; default the region's backup domain (none with an explicit `baseUrl`). */
  readonly backupBaseUrl?: string | undefined
  /** Default 5 seconds; must exceed the server's 3 s. */
  readonly requestTimeout?: Duration.Input | undefined
  /** Default 1 day. */
  readonly userSigLifetime?: Duration.Input | undefined
}

/**
 * Defaults for the optional settings.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = {
  admin: "administrator",
  requestTimeout: Duration.seconds(5),
  userSigLifetime: Duration.days(1)
} as const

/** A `ConfigError` saying what is wrong with one setting (never showing its value, which may be secret). */
const invalid = (path: string, message: string): Config.ConfigError =>
  new Config.ConfigError(
    new Schema.SchemaError(new SchemaIssue.Pointer([path], new SchemaIssue.InvalidValue({ message })))
  )

const toRedacted = (value: Redacted.Redacted<string> | string): Redacted.Redacted<string> =>
  Redacted.isRedacted(value) ? value : Redacted.make(value)

/** An http(s) URL without query, fragment or trailing slash; `undefined` for anything else. */
const normalizeBaseUrl = (text: string): string | undefined => {
  try {
    const url = new URL(text)
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined
    return `${url.origin}${url.pathname}`.replace(/\/+$/, "")
  } catch {
    return undefined
  }
}

/**
 * The name a problem with a setting is reported under: the option's own name by default,
 * the environment variable's for `layerConfig`.
 *
 * @since 0.2.0
 * @category models
 */
export type SettingName = (setting: keyof Options) => string

/**
 * Validates options into a configuration; each problem is a `ConfigError` naming the setting.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options,
  nameOf: SettingName = String
): Result.Result<TimConfigShape, Config.ConfigError> => {
  const refuse = (setting: keyof Options, message: string) => Result.fail(invalid(nameOf(setting), message))
  const { sdkAppId } = options
  if (!Number.isInteger(sdkAppId) || sdkAppId <= 0 || sdkAppId > 0xffffffff) {
    return refuse("sdkAppId", `Expected a positive integer SDKAppID, got ${String(sdkAppId)}`)
  }
  const admin = options.admin ?? defaults.admin
  if (admin.length === 0) return refuse("admin", "Expected a non-empty admin identifier")
  let credential: Credential
  if (options.secretKey !== undefined && options.userSig !== undefined) {
    return refuse("secretKey", "Give either a SecretKey or a UserSig, not both")
  } else if (options.secretKey !== undefined) {
    credential = { _tag: "SecretKey", secretKey: toRedacted(options.secretKey) }
    if (Redacted.value(credential.secretKey).length === 0) return refuse("secretKey", "Expected a non-empty SecretKey")
  } else if (options.userSig !== undefined) {
    credential = { _tag: "UserSig", userSig: toRedacted(options.userSig) }
  } else {
    return refuse("secretKey", "Expected a SecretKey (or a ready-made UserSig)")
  }
  const baseUrl = options.baseUrl !== undefined
    ? normalizeBaseUrl(options.baseUrl)
    : options.region !== undefined
    ? Region.baseUrl(options.region)
    : undefined
  if (baseUrl === undefined) {
    return refuse(options.baseUrl === undefined ? "region" : "baseUrl", "Expected a region or an http(s) base URL")
  }
  const backupBaseUrl = options.backupBaseUrl !== undefined
    ? normalizeBaseUrl(options.backupBaseUrl)
    : options.baseUrl === undefined && options.region !== undefined
    ? Region.backupBaseUrl(options.region)
    : undefined
  if (options.backupBaseUrl !== undefined && backupBaseUrl === undefined) {
    return refuse("backupBaseUrl", "Expected an http(s) URL")
  }
  const requestTimeout = Duration.fromInputUnsafe(options.requestTimeout ?? defaults.requestTimeout)
  if (Duration.isLessThanOrEqualTo(requestTimeout, Duration.seconds(3))) {
    return refuse("requestTimeout", "Expected a timeout above the server's 3 seconds")
  }
  const userSigLifetime = Duration.fromInputUnsafe(options.userSigLifetime ?? defaults.userSigLifetime)
  if (Duration.isLessThan(userSigLifetime, Duration.minutes(5))) {
    return refuse("userSigLifetime", "Expected a UserSig lifetime of at least 5 minutes")
  }
  return Result.succeed({ sdkAppId, admin, credential, baseUrl, backupBaseUrl, requestTimeout, userSigLifetime })
}

/**
 * A layer from options given in code.
 *
 * @example
 * ```ts
 * import { TimConfig } from "@timtags/core"
 * import { Redacted } from "effect"
 *
 * const ConfigLive = TimConfig.layer({
 *   sdkAppId: 1400000000,
 *   secretKey: Redacted.make("the app's SecretKey"),
 *   region: "Singapore" // or baseUrl: "http://127.0.0.1:8080" (an emulator, a proxy)
 * })
 * // Invalid options fail the layer with a `Config.ConfigError` naming the setting.
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<TimConfig, Config.ConfigError> =>
  Layer.effect(TimConfig, Effect.fromResult(make(options)))

const regionConfig = Config.String("TIM_REGION").pipe(
  Config.mapEffect((text) =>
    Option.match(Region.parse(text), {
      onNone: () =>
        Effect.fail(invalid("TIM_REGION", `Expected one of ${Region.all.join(", ")}, got ${JSON.stringify(text)}`)),
      onSome: Effect.succeed
    })
  )
)

const envNames: { readonly [K in keyof Options]-?: string } = {
  sdkAppId: "TIM_SDKAPPID",
  admin: "TIM_ADMIN",
  secretKey: "TIM_SECRET_KEY",
  userSig: "TIM_USERSIG",
  region: "TIM_REGION",
  baseUrl: "TIM_BASE_URL",
  backupBaseUrl: "TIM_BACKUP_BASE_URL",
  requestTimeout: "TIM_TIMEOUT",
  userSigLifetime: "userSigLifetime"
}

/**
 * The environment variables `layerConfig` reads, as one `Config`.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<TimConfigShape> = Config.all({
  sdkAppId: Config.Int("TIM_SDKAPPID"),
  admin: Config.String("TIM_ADMIN").pipe(Config.withDefault(defaults.admin)),
  secretKey: Config.option(Config.Redacted("TIM_SECRET_KEY")),
  userSig: Config.option(Config.Redacted("TIM_USERSIG")),
  region: Config.option(regionConfig),
  baseUrl: Config.option(Config.String("TIM_BASE_URL")),
  backupBaseUrl: Config.option(Config.String("TIM_BACKUP_BASE_URL")),
  requestTimeout: Config.Duration("TIM_TIMEOUT").pipe(Config.withDefault(defaults.requestTimeout))
}).pipe(
  Config.mapEffect((c) => {
    if (Option.isNone(c.secretKey) && Option.isNone(c.userSig)) {
      return Effect.fail(invalid("TIM_SECRET_KEY", "Expected TIM_SECRET_KEY (or TIM_USERSIG) to be set"))
    }
    if (Option.isNone(c.region) && Option.isNone(c.baseUrl)) {
      return Effect.fail(invalid("TIM_REGION", "Expected TIM_REGION (or TIM_BASE_URL) to be set"))
    }
    return make({
      sdkAppId: c.sdkAppId,
      admin: c.admin,
      secretKey: Option.getOrUndefined(c.secretKey),
      userSig: Option.isSome(c.secretKey) ? undefined : Option.getOrUndefined(c.userSig),
      region: Option.getOrUndefined(c.region),
      baseUrl: Option.getOrUndefined(c.baseUrl),
      backupBaseUrl: Option.getOrUndefined(c.backupBaseUrl),
      requestTimeout: c.requestTimeout
    }, (setting) => envNames[setting]).pipe(Effect.fromResult)
  })
)

/**
 * A layer reading the environment (through Effect's `ConfigProvider`): `TIM_SDKAPPID`,
 * `TIM_SECRET_KEY` (or `TIM_USERSIG`), `TIM_ADMIN`, `TIM_REGION` (or `TIM_BASE_URL`), `TIM_BACKUP_BASE_URL`,
 * `TIM_TIMEOUT`.
 * A missing or malformed value fails with a `ConfigError` naming the variable.
 *
 * @example
 * ```ts
 * import { TimConfig } from "@timtags/core"
 * import { ConfigProvider, Effect, Layer } from "effect"
 *
 * // Reads the environment by default; here a record stands in for it (as in a test or a Worker).
 * const ConfigLive = TimConfig.layerConfig.pipe(
 *   Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({
 *     TIM_SDKAPPID: "1400000000",
 *     TIM_SECRET_KEY: "the app's SecretKey",
 *     TIM_REGION: "Frankfurt"
 *   })))
 * )
 *
 * const baseUrl = Effect.map(TimConfig.TimConfig, (config) => config.baseUrl)
 *
 * Effect.runPromise(baseUrl.pipe(Effect.provide(ConfigLive))).then(console.log)
 * // https://adminapiger.im.qcloud.com
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<TimConfig, Config.ConfigError> = Layer.effect(TimConfig, config)
