/**
 * Which Chat app to call and how: SDKAppID, admin identifier, credential (a SecretKey to sign
 * UserSigs with, or a ready-made UserSig), where the REST API is (a region or an explicit base URL),
 * timing, and how large an answer may be. Secrets are held as `Redacted` and never printed.
 *
 * Build it from code with `layer(options)` or from the environment with `layerConfig()`, which reads
 * the `TIM_*` variables listed in `variables` (or the caller's own `Config` for any setting). Both
 * take the same checks: a problem is a `Config.ConfigError` that names the setting (the option or
 * the variable), says what is expected with an example, and quotes what was given (never a secret).
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Settings from "./internal/settings.js"
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
   * The region whose domain `baseUrl` is; absent when an explicit base URL was given. Error hints
   * use it (a wrong region, or a mistyped SDKAppID, is the likelier cause of 70020).
   *
   * @since 0.3.0
   */
  readonly region?: Region.Region | undefined
  /**
   * Where to go when the base URL cannot be reached (network errors): the region's documented
   * backup domain, or an explicit `backupBaseUrl`; none for an explicit `baseUrl` without one.
   */
  readonly backupBaseUrl: string | undefined
  /** Per-attempt timeout; the server gives up after 3 s, so this must be longer. */
  readonly requestTimeout: Duration.Duration
  /** Lifetime of each UserSig this library signs. */
  readonly userSigLifetime: Duration.Duration
  /**
   * The most bytes of an answer body that are read; a larger answer fails with a
   * `TimTransportError` of kind `TooLarge` and its connection is closed.
   *
   * @since 0.3.0
   */
  readonly maxAnswerBytes: number
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
 * (`baseUrl` wins: emulators, proxies). Values are checked when the layer is built, so options
 * read from JSON get the same clear errors as the environment.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The app's SDKAppID, a positive integer (a number, not a string). */
  readonly sdkAppId: number
  /** Default `administrator`. */
  readonly admin?: string | undefined
  readonly secretKey?: Redacted.Redacted<string> | string | undefined
  readonly userSig?: Redacted.Redacted<string> | string | undefined
  /** The app's data centre; read by `Region.parse`, so any case and the aliases (`sgp`) work. */
  readonly region?: Region.Region | undefined
  readonly baseUrl?: string | undefined
  /**
   * Used after network errors; default the region's backup domain (none with an explicit `baseUrl`,
   * nor in Riyadh, which has no documented one).
   */
  readonly backupBaseUrl?: string | undefined
  /** Default 5 seconds; must exceed the server's 3 s. */
  readonly requestTimeout?: Duration.Input | undefined
  /** Default 1 day; at least 5 minutes. Used only with a `secretKey`. */
  readonly userSigLifetime?: Duration.Input | undefined
  /**
   * The most bytes of an answer body read before the call fails as `TooLarge`; default 8 MiB.
   *
   * @since 0.3.0
   */
  readonly maxAnswerBytes?: number | undefined
}

/**
 * Defaults for the optional settings. `maxAnswerBytes` is 8 MiB: the largest legitimate answer
 * is a `get_tag` for 100 accounts holding 100 tags of 50 bytes each, about 0.5 MB as plain JSON
 * and about 3 MB if the server escaped every character (`\uXXXX`); a list of scheduled pushes or
 * a trace stays below that too. 8 MiB leaves room for that and bounds what a misbehaving server
 * can make the client hold.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = {
  admin: "administrator",
  requestTimeout: Duration.seconds(5),
  userSigLifetime: Duration.days(1),
  maxAnswerBytes: 8 * 1024 * 1024
} as const

/**
 * The name a problem with a setting is reported under: the option's own name by default,
 * the environment variable's for `layerConfig`.
 *
 * @since 0.2.0
 * @category models
 */
export type SettingName = (setting: keyof Options) => string

/** The options as they may really arrive (from JSON, from the environment): any value in any key. */
type Raw = { readonly [K in keyof Options]?: unknown }

/** Where each setting's value came from. */
type Labels = (setting: keyof Options) => Settings.Label

const requestTimeoutRule: Settings.DurationRule = {
  what: "a request timeout",
  bound: "above the server's 3 seconds",
  example: "5 seconds",
  holds: (d) => Duration.isGreaterThan(d, Duration.seconds(3))
}

const userSigLifetimeRule: Settings.DurationRule = {
  what: "a UserSig lifetime",
  bound: "of at least 5 minutes",
  example: "1 day",
  holds: (d) => Duration.isGreaterThanOrEqualTo(d, Duration.minutes(5))
}

/** The one credential rule: a SecretKey or a UserSig, never both, never neither, never empty. */
const checkCredential = (raw: Raw, labels: Labels): Settings.Checked<Credential> => {
  const key = labels("secretKey").name
  const sig = labels("userSig").name
  if (raw.secretKey !== undefined && raw.userSig !== undefined) {
    return Settings.refuse(`Expected either a SecretKey at ${key} or a UserSig at ${sig}, not both`)
  }
  if (raw.secretKey === undefined && raw.userSig === undefined) {
    return Settings.refuse(`Expected a SecretKey at ${key} (or a ready-made UserSig at ${sig}), got neither`)
  }
  const [what, value, name] = raw.secretKey !== undefined
    ? ["SecretKey", raw.secretKey, key]
    : ["UserSig", raw.userSig, sig]
  const redacted = typeof value === "string" ? Redacted.make(value) : Redacted.isRedacted(value) ? value : undefined
  if (redacted === undefined || typeof Redacted.value(redacted) !== "string") {
    return Settings.refuse(
      `Expected a ${what} at ${name} as a string or a Redacted string, got ${Settings.typeOf(value)}`
    )
  }
  const secret = redacted as Redacted.Redacted<string>
  if (Redacted.value(secret).length === 0) return Settings.refuse(`Expected a non-empty ${what} at ${name}`)
  return Result.succeed(
    what === "SecretKey" ? { _tag: "SecretKey", secretKey: secret } : { _tag: "UserSig", userSig: secret }
  )
}

/** Where the REST API is: an explicit base URL, or the region's domain; and where to go when it is unreachable. */
const checkAddress = (raw: Raw, labels: Labels) =>
  Result.gen(function*() {
    const region = raw.region === undefined ? undefined : yield* Settings.region(raw.region, labels("region"))
    const explicit = raw.baseUrl === undefined ? undefined : yield* Settings.httpUrl(raw.baseUrl, labels("baseUrl"))
    const backup = raw.backupBaseUrl === undefined
      ? undefined
      : yield* Settings.httpUrl(raw.backupBaseUrl, labels("backupBaseUrl"))
    if (explicit !== undefined) return { baseUrl: explicit, backupBaseUrl: backup }
    if (region === undefined) {
      const [regionName, baseUrlName] = [labels("region").name, labels("baseUrl").name]
      return yield* Settings.refuse(`Expected a region at ${regionName} (or a base URL at ${baseUrlName}), got neither`)
    }
    return { baseUrl: Region.baseUrl(region), region, backupBaseUrl: backup ?? Region.backupBaseUrl(region) }
  })

/** Every check, in the order a user fixes them. */
const check = (raw: Raw, labels: Labels): Settings.Checked<TimConfigShape> =>
  Result.gen(function*() {
    const sdkAppId = yield* Settings.sdkAppId(raw.sdkAppId, labels("sdkAppId"))
    const admin = yield* Settings.text(raw.admin ?? defaults.admin, labels("admin"), "a non-empty admin identifier")
    const credential = yield* checkCredential(raw, labels)
    const address = yield* checkAddress(raw, labels)
    const requestTimeout = yield* Settings.duration(
      raw.requestTimeout ?? defaults.requestTimeout,
      labels("requestTimeout"),
      requestTimeoutRule
    )
    const userSigLifetime = yield* Settings.duration(
      raw.userSigLifetime ?? defaults.userSigLifetime,
      labels("userSigLifetime"),
      userSigLifetimeRule
    )
    const maxAnswerBytes = yield* Settings.byteCount(
      raw.maxAnswerBytes ?? defaults.maxAnswerBytes,
      labels("maxAnswerBytes"),
      1024,
      "8388608 (8 MiB)"
    )
    return { sdkAppId, admin, credential, ...address, requestTimeout, userSigLifetime, maxAnswerBytes }
  })

/**
 * Validates options into a configuration; each problem is a `ConfigError` naming the setting.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options,
  nameOf: SettingName = String
): Result.Result<TimConfigShape, Config.ConfigError> =>
  check(options, (setting) => ({ name: nameOf(setting), fromText: false }))

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
 * // Invalid options fail the layer with a `Config.ConfigError` naming the setting, e.g.
 * // Expected a positive integer SDKAppID at sdkAppId, got "1400000000" (a string)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<TimConfig, Config.ConfigError> =>
  Layer.effect(TimConfig, Effect.suspend(() => Effect.fromResult(make(options))))

/**
 * One environment variable that `layerConfig` reads.
 *
 * @since 0.3.0
 * @category models
 */
export interface Variable {
  /** The variable, e.g. `TIM_SDKAPPID`. */
  readonly name: string
  /** The option of `Options` it sets. */
  readonly setting: keyof Options
  /** What it holds and in which format. */
  readonly format: string
  /** A valid value. */
  readonly example: string
  /** What applies when it is not set (or that it, or another, must be). */
  readonly default: string
  /** Whether it holds a secret (never printed). */
  readonly secret: boolean
}

/** What a variable is read as: its name, the setting it gives, whether it holds a secret. */
type Read = Pick<Variable, "name" | "setting" | "secret">

/** Every variable `layerConfig` and `config` read, in the order of `variables`. */
const reads: ReadonlyArray<Read> = [
  { name: "TIM_SDKAPPID", setting: "sdkAppId", secret: false },
  { name: "TIM_SECRET_KEY", setting: "secretKey", secret: true },
  { name: "TIM_USERSIG", setting: "userSig", secret: true },
  { name: "TIM_ADMIN", setting: "admin", secret: false },
  { name: "TIM_REGION", setting: "region", secret: false },
  { name: "TIM_BASE_URL", setting: "baseUrl", secret: false },
  { name: "TIM_BACKUP_BASE_URL", setting: "backupBaseUrl", secret: false },
  { name: "TIM_TIMEOUT", setting: "requestTimeout", secret: false },
  { name: "TIM_USERSIG_LIFETIME", setting: "userSigLifetime", secret: false },
  { name: "TIM_MAX_ANSWER_BYTES", setting: "maxAnswerBytes", secret: false }
]

/**
 * `reads` with what each variable holds, an example and its default. Built by a pure call, apart
 * from what the layers read, so that a bundle without `variables` (an edge worker) drops the text.
 */
const describe = (): ReadonlyArray<Variable> => {
  const docs: { readonly [K in keyof Options]-?: Omit<Variable, keyof Read> } = {
    sdkAppId: { format: "the app's SDKAppID, a positive integer", example: "1400000000", default: "none: required" },
    secretKey: {
      format: "the app's SecretKey, from which admin UserSigs are signed and renewed",
      example: "(from the console)",
      default: "none: this or TIM_USERSIG, not both"
    },
    userSig: {
      format: "a ready-made UserSig of the admin, used until it expires (it cannot be renewed)",
      example: "eJyrVgrxCdYrSy1S…",
      default: "none: this or TIM_SECRET_KEY, not both"
    },
    admin: {
      format: "the admin identifier (UserID) that calls the REST API",
      example: "administrator",
      default: defaults.admin
    },
    region: {
      format: `the app's data centre: ${Region.all.join(", ")} (any case; or cn, sgp, kr, jpn, ger, usa, idn, ksa)`,
      example: "Singapore",
      default: "none: this or TIM_BASE_URL"
    },
    baseUrl: {
      format: "an http(s) base URL used instead of the region's domain (an emulator, a proxy); wins over TIM_REGION",
      example: "http://127.0.0.1:8080",
      default: "the region's domain"
    },
    backupBaseUrl: {
      format: "an http(s) base URL to use for a minute after the base URL could not be reached",
      example: "https://adminapisgp.my-imcloud.com",
      default: "the region's backup domain; none with TIM_BASE_URL, nor in Riyadh"
    },
    requestTimeout: {
      format:
        "the timeout of each attempt, above the server's 3 seconds: a number and a unit (millis, seconds, minutes)",
      example: "5 seconds",
      default: "5 seconds"
    },
    userSigLifetime: {
      format: "the lifetime of each UserSig signed from TIM_SECRET_KEY, at least 5 minutes: a number and a unit",
      example: "12 hours",
      default: "1 day"
    },
    maxAnswerBytes: {
      format: "the most bytes of an answer body read; a larger answer fails (TooLarge), at least 1024",
      example: "8388608",
      default: "8388608 (8 MiB)"
    }
  }
  return reads.map((read) => ({ ...read, ...docs[read.setting] }))
}

/**
 * Every environment variable `layerConfig` reads, with its format, an example and its default: the
 * README's table comes from this list, and a test checks that `layerConfig` reads exactly these.
 *
 * @example
 * ```ts
 * import { TimConfig } from "@timtags/core"
 *
 * for (const v of TimConfig.variables) console.log(`${v.name}: ${v.format} (default: ${v.default})`)
 * ```
 *
 * @since 0.3.0
 * @category constants
 */
export const variables: ReadonlyArray<Variable> = /*#__PURE__*/ describe()

/**
 * The caller's own `Config` for any setting of `layerConfig`; a setting left out is read from its
 * `TIM_*` variable (see `variables`). A value from the caller's `Config` goes through the same
 * checks, and a problem with it is reported under the setting's name (`sdkAppId`).
 *
 * @since 0.3.0
 * @category models
 */
export interface ConfigOptions {
  readonly sdkAppId?: Config.Config<number> | undefined
  readonly admin?: Config.Config<string | undefined> | undefined
  readonly secretKey?: Config.Config<Redacted.Redacted<string> | string | undefined> | undefined
  readonly userSig?: Config.Config<Redacted.Redacted<string> | string | undefined> | undefined
  /** Any text `Region.parse` reads (`Singapore`, `sgp`). */
  readonly region?: Config.Config<string | undefined> | undefined
  readonly baseUrl?: Config.Config<string | undefined> | undefined
  readonly backupBaseUrl?: Config.Config<string | undefined> | undefined
  readonly requestTimeout?: Config.Config<Duration.Input | undefined> | undefined
  readonly userSigLifetime?: Config.Config<Duration.Input | undefined> | undefined
  readonly maxAnswerBytes?: Config.Config<number | undefined> | undefined
}

/** Whole numbers arrive from the environment as digits: read them as numbers (anything else stays text). */
const wholeNumbers: ReadonlySet<keyof Options> = new Set(["sdkAppId", "maxAnswerBytes"])

/**
 * A variable's text as the checks take it: absent or empty is `undefined`, so that they apply the
 * default or report it missing; a secret is `Redacted`; digits of a whole-number setting are a
 * number; anything else stays text.
 */
const fromText = (variable: Read, text: string | undefined): unknown => {
  if (text === undefined || text === "") return undefined
  if (variable.secret) return Redacted.make(text)
  return wholeNumbers.has(variable.setting) && /^\d+$/.test(text) ? Number(text) : text
}

/** One variable as a `Config`. */
const fromVariable = (variable: Read): Config.Config<unknown> =>
  Config.String(variable.name).pipe(
    Config.withDefault(undefined),
    Config.map((text) => fromText(variable, text))
  )

/**
 * One variable straight from a `ConfigProvider`: what `fromVariable` reads (the value at the
 * variable's name), without building a `Config`, whose schema machinery `layerConfig` need not carry.
 */
const readVariable = (provider: ConfigProvider.ConfigProvider, variable: Read) =>
  Effect.mapEager(provider.load([variable.name]), (node) => fromText(variable, node?.value)).pipe(
    Effect.mapError((error) => new Config.ConfigError(error))
  )

const variableOf = (setting: keyof Options): Read => reads.find((read) => read.setting === setting)!

/** Where each setting comes from: the caller's `Config` (its name then), or its variable. */
const labelsOf = (options: ConfigOptions): Labels => (setting) =>
  options[setting] === undefined
    ? { name: variableOf(setting).name, fromText: true }
    : { name: setting, fromText: false }

/**
 * The settings as one `Config`: the caller's own `Config` where given, the `TIM_*` variable
 * otherwise, then the checks of `make`.
 *
 * @since 0.1.0
 * @category config
 */
export const config = (options: ConfigOptions = {}): Config.Config<TimConfigShape> => {
  const readers = Object.fromEntries(
    reads.map((read) => [read.setting, options[read.setting] ?? fromVariable(read)])
  ) as { readonly [K in keyof Options]: Config.Config<unknown> }
  return Config.all(readers).pipe(Config.mapEffect((raw) => Effect.fromResult(check(raw, labelsOf(options)))))
}

/**
 * A layer reading the configuration through Effect's `ConfigProvider` (the environment by default):
 * each setting from the caller's own `Config` when given, from its `TIM_*` variable otherwise (see
 * `variables`: `TIM_SDKAPPID`, `TIM_SECRET_KEY` or `TIM_USERSIG`, `TIM_REGION` or `TIM_BASE_URL`, …).
 * An empty variable counts as unset. A missing or malformed value fails with a `ConfigError` naming
 * the variable (or the setting), with an example of what it takes. It reads what `config(options)`
 * reads, the variables straight from the provider: an application bundled with it (an edge worker)
 * does not carry the `Schema` machinery of Effect's `Config` constructors.
 *
 * @example
 * ```ts
 * import { TimConfig } from "@timtags/core"
 * import { Config, ConfigProvider, Effect, Layer } from "effect"
 *
 * // Reads the environment by default; here a record stands in for it (as in a test or a Worker).
 * const ConfigLive = TimConfig.layerConfig().pipe(
 *   Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({
 *     TIM_SDKAPPID: "1400000000",
 *     TIM_SECRET_KEY: "the app's SecretKey",
 *     TIM_REGION: "Frankfurt"
 *   })))
 * )
 *
 * // Any setting can come from the application's own configuration instead.
 * const OwnNames = TimConfig.layerConfig({
 *   sdkAppId: Config.Int("CHAT_APP_ID"),
 *   secretKey: Config.Redacted("CHAT_SECRET")
 * })
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
export const layerConfig = (options: ConfigOptions = {}): Layer.Layer<TimConfig, Config.ConfigError> =>
  Layer.effect(
    TimConfig,
    Effect.gen(function*() {
      const provider = yield* ConfigProvider.ConfigProvider
      const raw: Record<string, unknown> = {}
      for (const read of reads) {
        const own = options[read.setting]
        raw[read.setting] = own === undefined ? yield* readVariable(provider, read) : yield* own
      }
      return yield* Effect.fromResult(check(raw, labelsOf(options)))
    })
  )
