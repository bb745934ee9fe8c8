/**
 * Test harness: an emulator on loopback and the real client stack (Node platform, real crypto)
 * pointed at it.
 */
import * as Client from "@timtags/core/Client"
import * as RateLimit from "@timtags/core/RateLimit"
import type { Signer } from "@timtags/core/Signer"
import * as TimConfig from "@timtags/core/TimConfig"
import { Emulator } from "@timtags/emulator"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"

/** The test app's credentials. */
export const sdkAppId = 1400000001
export const secretKey = "test-secret-0f1e2d3c4b5a69788796a5b4c3d2e1f0"

/** Accounts the emulator knows, with their tags. */
export const seed: Record<string, ReadonlyArray<string>> = {
  alice: ["gold", "beta"],
  bob: ["silver"],
  carol: [],
  "界面": ["unicode"]
}

/** An emulator for the test app. */
export const emulator = (options: Partial<Emulator.EmulatorOptions> = {}) =>
  Emulator.layer({ sdkAppId, secretKey, seed, ...options })

/** The client configured against the running emulator (as its base URL, or as the backup of another). */
export const config = (options: Partial<TimConfig.Options> = {}, backupFromEmulator = false) =>
  Layer.unwrap(
    Effect.map(Emulator.Emulator, (emu) =>
      TimConfig.layer({
        sdkAppId,
        secretKey,
        baseUrl: emu.baseUrl,
        ...(backupFromEmulator ? { backupBaseUrl: emu.baseUrl } : {}),
        ...options
      }))
  )

/**
 * The full client stack (PushTags + TimRest) against an emulator, with the Node platform. `services`
 * (a `RetryPolicy.layer`, a tracer, a logger) are provided to the client layer: every batch runs with them.
 */
export const client = (
  options: {
    readonly emulator?: Partial<Emulator.EmulatorOptions>
    readonly config?: Partial<TimConfig.Options>
    readonly client?: Client.Options
    /** The HttpClient and Signer; default the Node platform. */
    readonly platform?: Layer.Layer<HttpClient.HttpClient | Signer>
    /** Make the emulator the backup domain (for a `config.baseUrl` that cannot be reached). */
    readonly backupFromEmulator?: boolean
    /** References the client is built with (`RetryPolicy.layer`, `Layer.succeed(Tracer.Tracer, …)`, …). */
    readonly services?: Layer.Layer<never>
  } = {}
) =>
  Client.layer({ rateLimit: RateLimit.layerMemory(), ...options.client }).pipe(
    Layer.provide(options.services ?? Layer.empty),
    Layer.provide(config(options.config, options.backupFromEmulator)),
    Layer.provide(options.platform ?? NodePlatform.layer),
    Layer.provideMerge(emulator(options.emulator))
  )
