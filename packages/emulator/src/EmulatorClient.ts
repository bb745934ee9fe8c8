/**
 * A client of `@timtags/core` wired to an emulator in the same process, for your tests: one layer starts the
 * emulator (on an ephemeral port of 127.0.0.1) and provides it together with everything `Client.layer()`
 * provides (`PushTags`, `TimRest`), over `NodePlatform.layer`, with `TimConfig` pointed at the emulator.
 *
 * It needs `@timtags/core` and `@timtags/platform-node`, which are optional peer dependencies of this package:
 * import it from its own path, `@timtags/emulator/EmulatorClient`, so that the rest of the package (and the
 * `timtags-emulator` command) works without them.
 *
 * @since 0.3.0
 */
import * as Client from "@timtags/core/Client"
import * as TimConfig from "@timtags/core/TimConfig"
import * as NodePlatform from "@timtags/platform-node/NodePlatform"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Emulator from "./Emulator.js"

/**
 * The emulator's options, each optional (the app defaults to `defaults`), and the client's.
 *
 * @since 0.3.0
 * @category options
 */
export interface Options extends Partial<Emulator.EmulatorOptions> {
  /** Options of `Client.layer` (batch window, concurrency, rate limiter, ...). */
  readonly client?: Client.Options | undefined
}

/**
 * The app the emulator serves and the client calls as, unless the options say otherwise.
 *
 * @since 0.3.0
 * @category constants
 */
export const defaults = { sdkAppId: 1400000000, secretKey: "timtags-emulator-test-key" } as const

/**
 * What the layer provides: the running emulator, and every service of `Client.layer()`.
 *
 * @since 0.3.0
 * @category models
 */
export type Services = Emulator.Emulator | Layer.Success<ReturnType<typeof Client.layer>>

/**
 * The emulator, and a client pointed at it. The emulator stays reachable (`Emulator.Emulator`) to seed accounts,
 * inject faults and read its call log.
 *
 * @example
 * ```ts
 * import { PushTags } from "@timtags/core"
 * import { Emulator } from "@timtags/emulator"
 * import * as EmulatorClient from "@timtags/emulator/EmulatorClient"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const tags = yield* PushTags.PushTags
 *   yield* tags.addTags("bob", ["beta"])
 *   console.log(yield* tags.getTags("alice")) // [ 'vip' ]
 *   console.log((yield* (yield* Emulator.Emulator).stats).byCommand) // { add_tag: 1, get_tag: 1 }
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(EmulatorClient.layer({ seed: { alice: ["vip"], bob: [] } }))))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<Services, Layer.Error<ReturnType<typeof Emulator.layer> | ReturnType<typeof TimConfig.layer>>> => {
  const { client, ...emulatorOptions } = options
  const app = { ...defaults, ...emulatorOptions }
  const ClientLive = Layer.unwrap(
    Effect.map(Emulator.Emulator, ({ baseUrl }) =>
      Client.layer(client).pipe(
        Layer.provide(TimConfig.layer({ sdkAppId: app.sdkAppId, secretKey: app.secretKey, admin: app.admin, baseUrl })),
        Layer.provide(NodePlatform.layer)
      ))
  )
  return ClientLive.pipe(Layer.provideMerge(Emulator.layer(app)))
}
