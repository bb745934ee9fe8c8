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
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
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
 * The `TimConfig` service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class TimConfig extends Context.Tag("@timtags/core/TimConfig")<TimConfig, TimConfigShape>() {}

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
  readonly requestTimeout?: Duration.DurationInput | undefined
  /** Default 1 day. */
  readonly userSigLifetime?: Duration.DurationInput | undefined
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

const invalid = (path: string, message: string) => ConfigError.InvalidData([path], message)

const toRedacted = (value: Redacted.Redacted<string> | string): Redacted.Redacted<string> =>
  Redacted.isRedacted(value) ? value : Redacted.make(value)

const normalizeBaseUrl = (text: string, path: string): Either.Either<string, ConfigError.ConfigError> => {
  try {
    const url = new URL(text)
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      return Either.left(invalid(path, `Expected an http(s) URL, got ${JSON.stringify(text)}`))
    }
    return Either.right(`${url.origin}${url.pathname}`.replace(/\/+$/, ""))
  } catch {
    return Either.left(invalid(path, `Expected a URL, got ${JSON.stringify(text)}`))
  }
}

/**
 * Validates options into a configuration; each problem is a `ConfigError` naming the setting.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Either.Either<TimConfigShape, ConfigError.ConfigError> => {
  const { sdkAppId } = options
  if (!Number.isInteger(sdkAppId) || sdkAppId <= 0 || sdkAppId > 0xffffffff) {
    return Either.left(invalid("sdkAppId", `Expected a positive integer SDKAppID, got ${String(sdkAppId)}`))
  }
  const admin = options.admin ?? defaults.admin
  if (admin.length === 0) return Either.left(invalid("admin", "Expected a non-empty admin identifier"))
  let credential: Credential
  if (options.secretKey !== undefined && options.userSig !== undefined) {
    return Either.left(invalid("secretKey", "Give either a SecretKey or a UserSig, not both"))
  } else if (options.secretKey !== undefined) {
    credential = { _tag: "SecretKey", secretKey: toRedacted(options.secretKey) }
    if (Redacted.value(credential.secretKey).length === 0) return Either.left(invalid("secretKey", "Expected a non-empty SecretKey"))
  } else if (options.userSig !== undefined) {
    credential = { _tag: "UserSig", userSig: toRedacted(options.userSig) }
  } else {
    return Either.left(invalid("secretKey", "Expected a SecretKey (or a ready-made UserSig)"))
  }
  const base = options.baseUrl !== undefined
    ? normalizeBaseUrl(options.baseUrl, "baseUrl")
    : options.region !== undefined
    ? Either.right(Region.baseUrl(options.region))
    : Either.left(invalid("region", "Expected a region or a base URL"))
  if (Either.isLeft(base)) return Either.left(base.left)
  const backup = options.backupBaseUrl !== undefined
    ? normalizeBaseUrl(options.backupBaseUrl, "backupBaseUrl")
    : Either.right(options.baseUrl === undefined && options.region !== undefined ? Region.backupBaseUrl(options.region) : undefined)
  if (Either.isLeft(backup)) return Either.left(backup.left)
  const requestTimeout = Duration.decode(options.requestTimeout ?? defaults.requestTimeout)
  if (Duration.lessThanOrEqualTo(requestTimeout, Duration.seconds(3))) {
    return Either.left(invalid("requestTimeout", "Expected a timeout above the server's 3 seconds"))
  }
  const userSigLifetime = Duration.decode(options.userSigLifetime ?? defaults.userSigLifetime)
  if (Duration.lessThan(userSigLifetime, Duration.minutes(5))) {
    return Either.left(invalid("userSigLifetime", "Expected a UserSig lifetime of at least 5 minutes"))
  }
  return Either.right({
    sdkAppId,
    admin,
    credential,
    baseUrl: base.right,
    backupBaseUrl: backup.right,
    requestTimeout,
    userSigLifetime
  })
}

/**
 * A layer from options given in code.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<TimConfig, ConfigError.ConfigError> =>
  Layer.effect(TimConfig, make(options))

const regionConfig = Config.string("TIM_REGION").pipe(
  Config.mapOrFail((text) =>
    Option.match(Region.parse(text), {
      onNone: () =>
        Either.left(invalid("TIM_REGION", `Expected one of ${Region.all.join(", ")}, got ${JSON.stringify(text)}`)),
      onSome: Either.right
    })
  )
)

/**
 * The environment variables `layerConfig` reads, as one `Config`.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<TimConfigShape> = Config.all({
  sdkAppId: Config.integer("TIM_SDKAPPID"),
  admin: Config.string("TIM_ADMIN").pipe(Config.withDefault(defaults.admin)),
  secretKey: Config.option(Config.redacted("TIM_SECRET_KEY")),
  userSig: Config.option(Config.redacted("TIM_USERSIG")),
  region: Config.option(regionConfig),
  baseUrl: Config.option(Config.string("TIM_BASE_URL")),
  backupBaseUrl: Config.option(Config.string("TIM_BACKUP_BASE_URL")),
  requestTimeout: Config.duration("TIM_TIMEOUT").pipe(Config.withDefault(defaults.requestTimeout))
}).pipe(
  Config.mapOrFail((c) => {
    if (Option.isNone(c.secretKey) && Option.isNone(c.userSig)) {
      return Either.left(invalid("TIM_SECRET_KEY", "Expected TIM_SECRET_KEY (or TIM_USERSIG) to be set"))
    }
    if (Option.isNone(c.region) && Option.isNone(c.baseUrl)) {
      return Either.left(invalid("TIM_REGION", "Expected TIM_REGION (or TIM_BASE_URL) to be set"))
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
    }).pipe(Either.mapLeft((error) => renamePath(error)))
  })
)

const envNames: Record<string, string> = {
  sdkAppId: "TIM_SDKAPPID",
  admin: "TIM_ADMIN",
  secretKey: "TIM_SECRET_KEY",
  baseUrl: "TIM_BASE_URL",
  backupBaseUrl: "TIM_BACKUP_BASE_URL",
  region: "TIM_REGION",
  requestTimeout: "TIM_TIMEOUT"
}

const renamePath = (error: ConfigError.ConfigError): ConfigError.ConfigError =>
  error._op === "InvalidData"
    ? ConfigError.InvalidData(error.path.map((p) => envNames[p] ?? p), error.message)
    : error

/**
 * A layer reading the environment (through Effect's `ConfigProvider`): `TIM_SDKAPPID`,
 * `TIM_SECRET_KEY` (or `TIM_USERSIG`), `TIM_ADMIN`, `TIM_REGION` (or `TIM_BASE_URL`), `TIM_BACKUP_BASE_URL`,
 * `TIM_TIMEOUT`.
 * A missing or malformed value fails with a `ConfigError` naming the variable.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<TimConfig, ConfigError.ConfigError> = Layer.effect(TimConfig, config)
