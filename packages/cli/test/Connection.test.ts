/** Unit tests of the configuration: the environment, and the flags that override it. */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Connection from "../src/internal/connection.js"
import { tempDir } from "./support/cli.js"

const none: Connection.Flags = {
  sdkAppId: Option.none(),
  region: Option.none(),
  baseUrl: Option.none(),
  identifier: Option.none(),
  secretKeyFile: Option.none()
}
const env = { TIM_SDKAPPID: "1400000001", TIM_SECRET_KEY: "env-key", TIM_BASE_URL: "http://127.0.0.1:9999" }

const resolve = (flags: Partial<Connection.Flags>, environment: Record<string, string>) =>
  Connection.resolve({ ...none, ...flags }, environment).pipe(Effect.provide(NodeFileSystem.layer))

describe("Connection.resolve", () => {
  it.effect("reads the TIM_* variables", () =>
    Effect.gen(function*() {
      const config = yield* resolve({}, env)
      assert.strictEqual(config.sdkAppId, 1400000001)
      assert.strictEqual(config.baseUrl, "http://127.0.0.1:9999")
      assert.strictEqual(config.admin, "administrator")
    }))

  it.effect("--region replaces TIM_BASE_URL (and its backup) instead of losing to it", () =>
    Effect.gen(function*() {
      const config = yield* resolve({ region: Option.some("Tokyo") }, { ...env, TIM_BACKUP_BASE_URL: "http://x" })
      assert.strictEqual(config.baseUrl, "https://adminapijpn.im.qcloud.com")
      assert.notStrictEqual(config.backupBaseUrl, "http://x")
    }))

  it.effect("--sdk-app-id, --identifier and --secret-key-file replace their variables", () =>
    Effect.gen(function*() {
      const dir = tempDir()
      writeFileSync(join(dir, "key"), "  file-key\n")
      const config = yield* resolve({
        sdkAppId: Option.some("1400000002"),
        identifier: Option.some("ops"),
        secretKeyFile: Option.some(join(dir, "key"))
      }, { ...env, TIM_USERSIG: "a-usersig" })
      assert.strictEqual(config.sdkAppId, 1400000002)
      assert.strictEqual(config.admin, "ops")
      assert.deepStrictEqual(
        config.credential._tag === "SecretKey" ? Redacted.value(config.credential.secretKey) : config.credential._tag,
        "file-key"
      )
    }))

  it.effect("a problem names the flag when a flag set it, the variable otherwise", () =>
    Effect.gen(function*() {
      const fromFlag = yield* Effect.flip(resolve({ sdkAppId: Option.some("abc") }, env))
      assert.match(fromFlag.message, /^configuration: --sdk-app-id: .*Set TIM_SDKAPPID .* or pass --sdk-app-id$/)
      const fromEnv = yield* Effect.flip(resolve({}, { ...env, TIM_SDKAPPID: "abc" }))
      assert.match(fromEnv.message, /^configuration: TIM_SDKAPPID: /)
      const timeout = yield* Effect.flip(resolve({}, { ...env, TIM_TIMEOUT: "1 second" }))
      assert.match(timeout.message, /^configuration: TIM_TIMEOUT: Expected a request timeout above .*Set TIM_TIMEOUT/)
    }))
})
