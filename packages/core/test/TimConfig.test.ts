import { describe, expect, it } from "@effect/vitest"
import * as TimConfig from "@timtags/core/TimConfig"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"

const fromEnv = (env: Record<string, string>, options?: TimConfig.ConfigOptions) =>
  Effect.flatMap(TimConfig.TimConfig, Effect.succeed).pipe(
    Effect.provide(TimConfig.layerConfig(options)),
    Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))
  )

/** The message of the `ConfigError` a layer fails with (never a thrown error). */
const envProblem = (env: Record<string, string>, options?: TimConfig.ConfigOptions) =>
  Effect.map(Effect.flip(fromEnv(env, options)), (error) => {
    expect(error).toBeInstanceOf(Config.ConfigError)
    return String(error)
  })

/** The message of the `ConfigError` that `TimConfig.layer(options)` fails with, however wrong the options' types. */
const codeProblem = (options: Record<string, unknown>) =>
  Effect.map(
    Effect.flip(Effect.provide(Effect.flatMap(TimConfig.TimConfig, Effect.succeed), TimConfig.layer(options as any))),
    (error) => {
      expect(error).toBeInstanceOf(Config.ConfigError)
      return String(error)
    }
  )

const base = { TIM_SDKAPPID: "1400000000", TIM_SECRET_KEY: "k3y-s3cr3t", TIM_REGION: "sgp" }
const regionList = "one of China, Singapore, Seoul, Tokyo, Frankfurt, SiliconValley, Jakarta, Riyadh (any case)"

describe("TimConfig.layerConfig()", () => {
  it.effect("reads the environment, with defaults for admin and timeout", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv({ TIM_SDKAPPID: "1400000000", TIM_SECRET_KEY: "k3y", TIM_REGION: "sgp" })
      expect(config.sdkAppId).toBe(1400000000)
      expect(config.admin).toBe("administrator")
      expect(config.baseUrl).toBe("https://adminapisgp.im.qcloud.com")
      expect(Duration.toMillis(config.requestTimeout)).toBe(5000)
      expect(config.credential._tag).toBe("SecretKey")
      expect(String(config.credential._tag === "SecretKey" && config.credential.secretKey)).toBe("<redacted>")
    }))

  it.effect("TIM_BASE_URL wins over TIM_REGION and loses its trailing slash", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv({
        TIM_SDKAPPID: "1",
        TIM_SECRET_KEY: "k",
        TIM_REGION: "china",
        TIM_BASE_URL: "http://127.0.0.1:8080/",
        TIM_ADMIN: "boss"
      })
      expect(config.baseUrl).toBe("http://127.0.0.1:8080")
      expect(config.admin).toBe("boss")
    }))

  const failures: ReadonlyArray<readonly [string, Record<string, string>, string]> = [
    ["missing SDKAppID", { TIM_SECRET_KEY: "k", TIM_REGION: "china" }, "TIM_SDKAPPID"],
    ["malformed SDKAppID", { TIM_SDKAPPID: "abc", TIM_SECRET_KEY: "k", TIM_REGION: "china" }, "TIM_SDKAPPID"],
    ["negative SDKAppID", { TIM_SDKAPPID: "-5", TIM_SECRET_KEY: "k", TIM_REGION: "china" }, "TIM_SDKAPPID"],
    ["missing key", { TIM_SDKAPPID: "1", TIM_REGION: "china" }, "TIM_SECRET_KEY"],
    ["unknown region", { TIM_SDKAPPID: "1", TIM_SECRET_KEY: "k", TIM_REGION: "mars" }, "TIM_REGION"],
    ["no region or URL", { TIM_SDKAPPID: "1", TIM_SECRET_KEY: "k" }, "TIM_REGION"],
    ["malformed URL", { TIM_SDKAPPID: "1", TIM_SECRET_KEY: "k", TIM_BASE_URL: "not a url" }, "TIM_BASE_URL"],
    [
      "timeout under 3 s",
      { TIM_SDKAPPID: "1", TIM_SECRET_KEY: "k", TIM_REGION: "china", TIM_TIMEOUT: "2 seconds" },
      "TIM_TIMEOUT"
    ]
  ]
  for (const [name, env, variable] of failures) {
    it.effect(`${name}: a ConfigError naming ${variable}`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(fromEnv(env))
        expect(error).toBeInstanceOf(Config.ConfigError)
        expect(String(error)).toContain(variable)
        expect(String(error)).not.toContain("k3y")
      }))
  }
})

describe("one check, one case rule, on every path (issue 20 rows 2, 5, 6)", () => {
  it.effect("a region in any case, or an alias, is read the same from code and from TIM_REGION", () =>
    Effect.gen(function*() {
      for (const region of ["singapore", "SINGAPORE", " Singapore ", "sgp"]) {
        const fromCode = Result.getOrThrow(TimConfig.make({ sdkAppId: 7, secretKey: "k", region: region as any }))
        const env = yield* fromEnv({ ...base, TIM_REGION: region })
        for (const config of [fromCode, env]) {
          expect(config.region).toBe("Singapore")
          expect(config.baseUrl).toBe("https://adminapisgp.im.qcloud.com")
        }
      }
    }))

  it.effect("a misspelt region is a ConfigError at region listing the regions, not a TypeError", () =>
    Effect.gen(function*() {
      expect(yield* codeProblem({ sdkAppId: 7, secretKey: "k", region: "Singpore" })).toContain(
        `Expected a region at region: ${regionList}, got "Singpore"`
      )
      expect(yield* codeProblem({ sdkAppId: 7, secretKey: "k", region: 3 })).toContain(
        `Expected a region at region: ${regionList}, got 3 (a number)`
      )
      expect(yield* envProblem({ ...base, TIM_REGION: "Mars" })).toContain(
        `Expected a region at TIM_REGION: ${regionList}, got "Mars"`
      )
    }))

  it.effect("an SDKAppID from JSON (a string) is quoted, with its type and the option's name", () =>
    Effect.gen(function*() {
      expect(yield* codeProblem({ sdkAppId: "1400000000", secretKey: "k", region: "Tokyo" })).toContain(
        `Expected a positive integer SDKAppID at sdkAppId, got "1400000000" (a string)`
      )
      expect(yield* codeProblem({ sdkAppId: 1.5, secretKey: "k", region: "Tokyo" })).toContain(
        "Expected a positive integer SDKAppID at sdkAppId, got 1.5"
      )
    }))

  it.effect("TIM_SDKAPPID=abc names the SDKAppID and the variable, and quotes the value", () =>
    Effect.gen(function*() {
      expect(yield* envProblem({ ...base, TIM_SDKAPPID: "abc" })).toContain(
        `Expected a positive integer SDKAppID at TIM_SDKAPPID, got "abc"`
      )
      expect(yield* envProblem({ ...base, TIM_SDKAPPID: "-5" })).toContain(`at TIM_SDKAPPID, got "-5"`)
      expect(yield* envProblem({ TIM_SECRET_KEY: "k", TIM_REGION: "sgp" })).toContain(
        "Expected a positive integer SDKAppID at TIM_SDKAPPID, got nothing (not set)"
      )
    }))

  it.effect("a bad timeout says what format is expected, with an example, on both paths", () =>
    Effect.gen(function*() {
      const format = `a number and a unit (millis, seconds, minutes, hours, days), e.g. "5 seconds"`
      expect(yield* envProblem({ ...base, TIM_TIMEOUT: "5s" })).toContain(
        `Expected a request timeout at TIM_TIMEOUT: ${format}, got "5s"`
      )
      expect(yield* codeProblem({ sdkAppId: 7, secretKey: "k", region: "Tokyo", requestTimeout: "5s" })).toContain(
        `Expected a request timeout at requestTimeout: ${format}, got "5s"`
      )
      expect(yield* envProblem({ ...base, TIM_TIMEOUT: "2 seconds" })).toContain(
        `Expected a request timeout above the server's 3 seconds at TIM_TIMEOUT, e.g. "5 seconds", got "2 seconds"`
      )
      expect(yield* codeProblem({ sdkAppId: 7, secretKey: "k", region: "Tokyo", requestTimeout: 2000 })).toContain(
        "above the server's 3 seconds at requestTimeout, e.g. \"5 seconds\", got 2000"
      )
    }))

  it.effect("a missing credential names both TIM_SECRET_KEY and TIM_USERSIG", () =>
    Effect.gen(function*() {
      expect(yield* envProblem({ TIM_SDKAPPID: "1", TIM_REGION: "sgp" })).toContain(
        "Expected a SecretKey at TIM_SECRET_KEY (or a ready-made UserSig at TIM_USERSIG), got neither"
      )
      expect(yield* codeProblem({ sdkAppId: 7, region: "Tokyo" })).toContain(
        "Expected a SecretKey at secretKey (or a ready-made UserSig at userSig), got neither"
      )
    }))

  it.effect("a SecretKey and a UserSig together are refused on every path, naming both, showing neither", () =>
    Effect.gen(function*() {
      const env = yield* envProblem({ ...base, TIM_USERSIG: "us3rs1g-v4lue" })
      expect(env).toContain("Expected either a SecretKey at TIM_SECRET_KEY or a UserSig at TIM_USERSIG, not both")
      const code = yield* codeProblem({
        sdkAppId: 7,
        region: "Tokyo",
        secretKey: "k3y-s3cr3t",
        userSig: "us3rs1g-v4lue"
      })
      expect(code).toContain("Expected either a SecretKey at secretKey or a UserSig at userSig, not both")
      for (const text of [env, code]) {
        expect(text).not.toContain("k3y-s3cr3t")
        expect(text).not.toContain("us3rs1g-v4lue")
      }
      // A secret of the wrong type is named by its type only.
      const typed = yield* codeProblem({ sdkAppId: 7, region: "Tokyo", secretKey: { key: "k3y-s3cr3t" } })
      expect(typed).toContain("Expected a SecretKey at secretKey as a string or a Redacted string, got an object")
      expect(typed).not.toContain("k3y-s3cr3t")
    }))

  it.effect("TIM_USERSIG alone is a ready-made UserSig; TIM_USERSIG_LIFETIME and TIM_MAX_ANSWER_BYTES are read", () =>
    Effect.gen(function*() {
      const sig = yield* fromEnv({ TIM_SDKAPPID: "1", TIM_USERSIG: "us3rs1g", TIM_REGION: "Riyadh" })
      expect(sig.credential._tag).toBe("UserSig")
      const tuned = yield* fromEnv({ ...base, TIM_USERSIG_LIFETIME: "12 hours", TIM_MAX_ANSWER_BYTES: "1048576" })
      expect(Duration.toMillis(tuned.userSigLifetime)).toBe(12 * 3_600_000)
      expect(tuned.maxAnswerBytes).toBe(1_048_576)
      expect(yield* envProblem({ ...base, TIM_USERSIG_LIFETIME: "1 minute" })).toContain(
        `Expected a UserSig lifetime of at least 5 minutes at TIM_USERSIG_LIFETIME, e.g. "1 day", got "1 minute"`
      )
      expect(yield* envProblem({ ...base, TIM_MAX_ANSWER_BYTES: "8MB" })).toContain(
        `at TIM_MAX_ANSWER_BYTES, e.g. 8388608 (8 MiB), got "8MB"`
      )
    }))

  it.effect("an empty variable counts as unset", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv({ ...base, TIM_USERSIG: "", TIM_BASE_URL: "", TIM_TIMEOUT: "" })
      expect(config.credential._tag).toBe("SecretKey")
      expect(config.baseUrl).toBe("https://adminapisgp.im.qcloud.com")
      expect(Duration.toMillis(config.requestTimeout)).toBe(5000)
    }))

  it.effect("a base URL's user information and credential parameters are not shown", () =>
    Effect.gen(function*() {
      const text = yield* envProblem({ ...base, TIM_BASE_URL: "ftp://user:p4ssw0rd@host/?usersig=s1g" })
      expect(text).toContain("Expected an http(s) URL at TIM_BASE_URL, e.g. \"http://127.0.0.1:8080\", got")
      expect(text).not.toContain("p4ssw0rd")
      expect(text).not.toContain("s1g")
    }))
})

describe("TimConfig.variables: the list of what layerConfig() reads", () => {
  /** A provider that records every name it is asked for, answering from `env`. */
  const recording = (env: Record<string, string>) => {
    const asked = new Set<string>()
    const provider = ConfigProvider.make((path) => {
      asked.add(path.join("."))
      const value = env[path.join(".")]
      return Effect.succeed(value === undefined ? undefined : ConfigProvider.makeValue(value))
    })
    return { asked, provider }
  }

  it.effect("names exactly the variables layerConfig() reads, each once, for each setting of Options", () =>
    Effect.gen(function*() {
      const { asked, provider } = recording(base)
      yield* Effect.flatMap(TimConfig.TimConfig, Effect.succeed).pipe(
        Effect.provide(TimConfig.layerConfig()),
        Effect.provideService(ConfigProvider.ConfigProvider, provider)
      )
      const names = TimConfig.variables.map((variable) => variable.name)
      expect(new Set(names).size).toBe(names.length)
      expect([...asked].sort()).toEqual([...names].sort())
      const settings: ReadonlyArray<keyof TimConfig.Options> = [
        "sdkAppId",
        "admin",
        "secretKey",
        "userSig",
        "region",
        "baseUrl",
        "backupBaseUrl",
        "requestTimeout",
        "userSigLifetime",
        "maxAnswerBytes"
      ]
      expect(TimConfig.variables.map((variable) => variable.setting).sort()).toEqual([...settings].sort())
      for (const variable of TimConfig.variables) {
        expect(variable.format.length).toBeGreaterThan(10)
        expect(variable.default.length).toBeGreaterThan(0)
      }
      expect(TimConfig.variables.filter((variable) => variable.secret).map((variable) => variable.name)).toEqual([
        "TIM_SECRET_KEY",
        "TIM_USERSIG"
      ])
    }))

  it.effect("each documented example is accepted", () =>
    Effect.gen(function*() {
      const examples = Object.fromEntries(
        TimConfig.variables.filter((v) => !v.example.startsWith("(") && v.name !== "TIM_USERSIG").map((
          v
        ) => [v.name, v.example])
      )
      const config = yield* fromEnv({ ...examples, TIM_SECRET_KEY: "k" })
      expect(config.baseUrl).toBe("http://127.0.0.1:8080")
      expect(config.backupBaseUrl).toBe("https://adminapisgp.my-imcloud.com")
    }))
})

describe("TimConfig.layerConfig(options): the caller's own Config for any setting", () => {
  it.effect("reads the caller's names where given, TIM_* for the rest", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv(
        { CHAT_APP_ID: "1400000042", CHAT_SECRET: "own-s3cr3t", TIM_REGION: "Frankfurt", TIM_SDKAPPID: "1" },
        {
          sdkAppId: Config.Int("CHAT_APP_ID"),
          secretKey: Config.Redacted("CHAT_SECRET"),
          requestTimeout: Config.succeed("8 seconds")
        }
      )
      expect(config.sdkAppId).toBe(1400000042)
      expect(config.credential._tag === "SecretKey" && Redacted.value(config.credential.secretKey)).toBe("own-s3cr3t")
      expect(config.region).toBe("Frankfurt")
      expect(Duration.toMillis(config.requestTimeout)).toBe(8000)
    }))

  it.effect("a problem with a value from the caller's Config is reported under the setting's name", () =>
    Effect.gen(function*() {
      expect(
        yield* envProblem({ ...base, CHAT_APP_ID: "0" }, { sdkAppId: Config.Int("CHAT_APP_ID") })
      ).toContain("Expected a positive integer SDKAppID at sdkAppId, got 0")
      expect(yield* envProblem(base, { userSig: Config.succeed("s") })).toContain(
        "Expected either a SecretKey at TIM_SECRET_KEY or a UserSig at userSig, not both"
      )
    }))
})

describe("TimConfig.make", () => {
  it("a region brings its documented backup domain; an explicit base URL has none unless given", () => {
    const region = Result.getOrThrow(TimConfig.make({ sdkAppId: 7, secretKey: "k", region: "Singapore" }))
    expect(region.backupBaseUrl).toBe("https://adminapisgp.my-imcloud.com")
    const explicit = Result.getOrThrow(TimConfig.make({ sdkAppId: 7, secretKey: "k", baseUrl: "http://127.0.0.1:9" }))
    expect(explicit.backupBaseUrl).toBeUndefined()
    const both = Result.getOrThrow(
      TimConfig.make({ sdkAppId: 7, secretKey: "k", baseUrl: "http://a", backupBaseUrl: "http://b/" })
    )
    expect(both.backupBaseUrl).toBe("http://b")
  })

  it("accepts a ready-made UserSig instead of a key", () => {
    const config = Result.getOrThrow(TimConfig.make({ sdkAppId: 7, userSig: "sig", region: "Tokyo" }))
    expect(config.credential._tag).toBe("UserSig")
    expect(config.baseUrl).toBe("https://adminapijpn.im.qcloud.com")
  })
  it("Riyadh: its domain, and no backup domain (none is documented)", () => {
    const config = Result.getOrThrow(TimConfig.make({ sdkAppId: 7, secretKey: "k", region: "Riyadh" }))
    expect(config.baseUrl).toBe("https://adminapiksa.im.qcloud.com")
    expect(config.backupBaseUrl).toBeUndefined()
    const withBackup = Result.getOrThrow(
      TimConfig.make({ sdkAppId: 7, secretKey: "k", region: "ksa", backupBaseUrl: "https://backup.example" } as any)
    )
    expect(withBackup.backupBaseUrl).toBe("https://backup.example")
  })

  it("refuses both a key and a UserSig, and neither", () => {
    for (
      const refused of [
        TimConfig.make({ sdkAppId: 7, userSig: "s", secretKey: "k", region: "Tokyo" }),
        TimConfig.make({ sdkAppId: 7, region: "Tokyo" })
      ]
    ) {
      expect(Result.isFailure(refused)).toBe(true)
      expect(Result.isFailure(refused) && refused.failure).toBeInstanceOf(Config.ConfigError)
      expect(String(Result.isFailure(refused) && refused.failure)).toContain("secretKey")
    }
  })
  it("keeps the key redacted when printed", () => {
    const config = Result.getOrThrow(
      TimConfig.make({ sdkAppId: 7, secretKey: Redacted.make("s3cr3t"), region: "Seoul" })
    )
    expect(JSON.stringify(config)).not.toContain("s3cr3t")
    expect(String(config.credential._tag === "SecretKey" ? config.credential.secretKey : "")).not.toContain("s3cr3t")
  })
})

describe("TimConfig.config(): what layerConfig() reads, as one Config", () => {
  /** What a configuration is, in comparable values (its secret unwrapped, its durations in ms). */
  const plain = (config: TimConfig.TimConfigShape) => ({
    ...config,
    credential: config.credential._tag === "SecretKey"
      ? `SecretKey ${Redacted.value(config.credential.secretKey)}`
      : `UserSig ${Redacted.value(config.credential.userSig)}`,
    requestTimeout: Duration.toMillis(config.requestTimeout),
    userSigLifetime: Duration.toMillis(config.userSigLifetime)
  })
  /** A configuration, or the text of its problem. */
  const outcome = <R>(effect: Effect.Effect<TimConfig.TimConfigShape, Config.ConfigError, R>) =>
    Effect.map(
      Effect.result(effect),
      (result) => Result.isSuccess(result) ? plain(result.success) : String(result.failure)
    )

  it.effect("gives the same configuration, or the same problem, from the same environment", () =>
    Effect.gen(function*() {
      const envs: ReadonlyArray<Record<string, string>> = [
        base,
        { ...base, TIM_ADMIN: "", TIM_TIMEOUT: "8 seconds", TIM_MAX_ANSWER_BYTES: "2048", TIM_BASE_URL: "http://a/" },
        { TIM_SDKAPPID: "1400000000", TIM_USERSIG: "s1g", TIM_REGION: "ksa", TIM_USERSIG_LIFETIME: "12 hours" },
        { ...base, TIM_SDKAPPID: "abc" },
        { ...base, TIM_USERSIG: "s1g" },
        { ...base, TIM_TIMEOUT: "2 seconds" },
        { TIM_SDKAPPID: "1400000000", TIM_SECRET_KEY: "k" }
      ]
      for (const env of envs) {
        const provider = ConfigProvider.fromEnv({ env })
        const viaLayer = yield* outcome(fromEnv(env))
        expect(yield* outcome(TimConfig.config().parse(provider))).toEqual(viaLayer)
      }
      const own = { sdkAppId: Config.Int("CHAT_APP_ID") }
      const env = { ...base, CHAT_APP_ID: "1400000042" }
      expect(yield* outcome(TimConfig.config(own).parse(ConfigProvider.fromEnv({ env })))).toEqual(
        yield* outcome(fromEnv(env, own))
      )
    }))

  it.effect("a problem is a ConfigError caused by what Effect's Schema.SchemaError holds and prints", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(fromEnv({ ...base, TIM_SDKAPPID: "abc" }))
      const cause = error.cause as Schema.SchemaError
      const message = "Expected a positive integer SDKAppID at TIM_SDKAPPID, got \"abc\""
      const effects = new Config.ConfigError(new Schema.SchemaError(new SchemaIssue.InvalidValue({ message })))
      expect(Schema.isSchemaError(cause)).toBe(true)
      expect(cause._tag).toBe("SchemaError")
      expect(cause.issue).toEqual(effects.cause._tag === "SchemaError" && effects.cause.issue)
      expect(cause.message).toBe(effects.cause.message)
      expect(String(cause)).toBe(String(effects.cause))
      expect(JSON.stringify(cause)).toBe(JSON.stringify(effects.cause))
      expect(error.message).toBe(effects.message)
      expect(String(error)).toBe(String(effects))
    }))
})
