import { describe, expect, it } from "@effect/vitest"
import * as TimConfig from "@timtags/core/TimConfig"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"

const fromEnv = (env: Record<string, string>) =>
  Effect.flatMap(TimConfig.TimConfig, Effect.succeed).pipe(
    Effect.provide(TimConfig.layerConfig()),
    Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))
  )

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
