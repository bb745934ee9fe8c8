/**
 * A local HTTP server that behaves like Tencent Cloud Chat's push REST API (tags, attributes, pushes, scheduled
 * tasks, statistics), as an Effect service (`Emulator`, built by `layer`) or, for code outside Effect, a
 * Promise (`startEmulator`). The server listens while the layer's scope is open.
 *
 * @since 0.1.0
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpServer from "effect/http/HttpServer"
import type { ServeError } from "effect/http/HttpServerError"
import * as Layer from "effect/Layer"
import * as NetAddress from "effect/net/NetAddress"
import * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { CallRecord, Stats, WindowCount } from "./CallLog.js"
import type { FaultSpec } from "./Faults.js"
import * as Arrivals from "./internal/Arrivals.js"
import * as ControlMethods from "./internal/Control.js"
import * as Seeding from "./internal/Seeding.js"
import { serve } from "./internal/Serve.js"
import * as State from "./internal/State.js"
import * as Timer from "./internal/Timer.js"
import type { PushRecord, PushSettings, Recipients, ScheduledTaskRecord } from "./Pushes.js"
import type { SeedRecord } from "./Store.js"

/**
 * How strictly the rate limit counts. The defaults are the strict model of Tencent's limiter (a gateway that
 * counts every request as it arrives); the README's "Rate limit" section says why.
 *
 * @since 0.2.0
 * @category options
 */
export interface RateLimitMode {
  /**
   * Stamp a call with the moment it arrived (Node's `'request'` event, its headers parsed) and count it then,
   * in arrival order, before its body is read (default `true`). Off: stamp it when the handler starts and count
   * it once its body is read, in the order bodies complete (the lenient mode, once the only one).
   */
  readonly stampAtArrival: boolean
  /**
   * A refused call enters the sliding log too, so a client that keeps knocking stays refused (default `true`).
   * Off: only accepted calls are counted.
   */
  readonly countRefused: boolean
  /**
   * Each call is held for a uniform random delay of 0 to `arrivalJitter` whole milliseconds (Effect's `Random`
   * and `Clock`) before it is stamped, counted and served, as a network between client and counter would
   * (default 0: none). A whole number.
   */
  readonly arrivalJitter: number
}

/**
 * The rate limit: calls per command in any sliding second (0 or `Infinity`: unlimited), and its mode.
 *
 * @since 0.2.0
 * @category options
 */
export interface RateLimitSettings extends RateLimitMode {
  readonly limit: number
}

/**
 * How to run an emulator.
 *
 * @since 0.1.0
 * @category options
 */
export interface EmulatorOptions extends Partial<RateLimitMode> {
  /** The app's SDKAppID; other SDKAppIDs get 70020. */
  readonly sdkAppId: number
  /** The app's secret key, which UserSigs must be signed with. */
  readonly secretKey: string
  /** The admin identifier (default `"administrator"`). */
  readonly admin?: string
  /** Listen address (default `"127.0.0.1"`). */
  readonly host?: string
  /** Listen port (default 0: an ephemeral port, see `Emulator.port`). */
  readonly port?: number
  /** Calls accepted per command in any sliding second (default 100; 0 or `Infinity`: unlimited). */
  readonly rateLimit?: number
  /** `get_tag` leaves `Tags` out for accounts without tags, instead of sending `Tags: []`. */
  readonly omitEmptyTags?: boolean
  /** `get_tag` returns `UserTags` with every entry moved from its request position. */
  readonly shuffleResponse?: boolean
  /** Accounts to create, with their tags. */
  readonly seed?: SeedRecord
  /**
   * RegistrationID accounts to create (as push registration would), before `seed`.
   *
   * @since 0.3.0
   */
  readonly devices?: ReadonlyArray<string>
  /**
   * Attribute names (by slot "0"–"9"), their account types (0 = UserID, the default; 1 = RegistrationID) and
   * accounts' values by attribute name, set after `seed` under the same rules as `set_attr_name`/`set_attr`
   * (accounts are created as needed). A broken rule fails the layer.
   *
   * @since 0.3.0
   */
  readonly attrs?: AttrSeed
  /**
   * The spacing and daily quota of pushes (default: 1000 ms, 100 per day).
   *
   * @since 0.3.0
   */
  readonly push?: Partial<PushSettings>
  /**
   * Calls per second for the commands named, instead of the general `rateLimit` (defaults: Tencent's lowest
   * edition, `batch` 10, `revoke` 1, scheduled-task commands 5, statistics commands 1; e.g. `{batch: 30}` for
   * the Standard edition). 0 or `Infinity`: unlimited.
   *
   * @since 0.3.0
   */
  readonly commandRateLimits?: Readonly<Record<string, number>>
  /**
   * Called once per REST call, as it is answered, with one line: its time, command, accounts, error code, HTTP
   * status and duration, e.g. `2026-12-07T12:00:00.123Z get_tag accounts=3 code=0 http=200 2ms`. Never the
   * query (which carries the UserSig) nor the body. `timtags-emulator --log` prints these lines.
   *
   * @since 0.3.0
   */
  readonly requestLog?: (line: string) => void
}

/**
 * Attributes to set up when the emulator starts.
 *
 * @since 0.3.0
 * @category options
 */
export interface AttrSeed {
  readonly names: Record<string, string>
  readonly types?: Record<string, 0 | 1>
  readonly values?: Record<string, Record<string, string>>
}

/**
 * The app's attribute names and their account types, by slot.
 *
 * @since 0.3.0
 * @category models
 */
export interface AttrNames {
  readonly names: Record<string, string>
  readonly types: Record<string, 0 | 1>
}

/**
 * The control methods of a running emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Control {
  /** Creates each account and sets its tags exactly (bypassing the tag limits). */
  readonly seed: (record: SeedRecord) => Effect.Effect<void>
  /** Creates accounts (without tags); existing ones are left alone. */
  readonly importAccounts: (accounts: ReadonlyArray<string>) => Effect.Effect<void>
  /** An account's tags, or `undefined` if it does not exist. */
  readonly tagsOf: (account: string) => Effect.Effect<ReadonlyArray<string> | undefined>
  /** Queues a fault. */
  readonly injectFault: (spec: FaultSpec) => Effect.Effect<void>
  /** Empties the fault queue. */
  readonly clearFaults: Effect.Effect<void>
  /** Every call so far, in answer order. */
  readonly calls: Effect.Effect<ReadonlyArray<CallRecord>>
  /** Empties the call log. */
  readonly resetCalls: Effect.Effect<void>
  /** Counters over the call log. */
  readonly stats: Effect.Effect<Stats>
  /** The most calls (to `command`, or any) that arrived within one `windowMillis` window. */
  readonly maxInSlidingWindow: (windowMillis: number, command?: string) => Effect.Effect<WindowCount>
  /** The rate limit and its mode. */
  readonly rateLimit: Effect.Effect<RateLimitSettings>
  /**
   * Changes the rate limit: a number is the new limit (0 or `Infinity`: unlimited); an object changes the
   * settings it names and keeps the others.
   */
  readonly setRateLimit: (change: number | Partial<RateLimitSettings>) => Effect.Effect<void>
  /**
   * The commands with a rate limit of their own, and their limits (calls per second).
   *
   * @since 0.3.0
   */
  readonly commandRateLimits: Effect.Effect<Readonly<Record<string, number>>>
  /**
   * Changes the rate limits of the commands named (0 or `Infinity`: unlimited); the others keep theirs.
   *
   * @since 0.3.0
   */
  readonly setCommandRateLimits: (change: Readonly<Record<string, number>>) => Effect.Effect<void>
  /**
   * Names attribute slots and fixes their types under the rules of `set_attr_name` (a name another slot has,
   * a type change, a slot outside "0"–"9", a name of 0 or over 50 bytes: a defect).
   *
   * @since 0.3.0
   */
  readonly setAttrNames: (names: Record<string, string>, types?: Record<string, 0 | 1>) => Effect.Effect<void>
  /**
   * The attribute names and types.
   *
   * @since 0.3.0
   */
  readonly attrNames: Effect.Effect<AttrNames>
  /**
   * Creates each missing account and sets its values by attribute name under the rules of `set_attr` (a
   * defect on a broken rule). A new account is a RegistrationID when every attribute given serves those.
   *
   * @since 0.3.0
   */
  readonly seedAttrs: (record: Record<string, Record<string, string>>) => Effect.Effect<void>
  /**
   * An account's attribute values by name (`{}` when it has none), or `undefined` if it does not exist.
   *
   * @since 0.3.0
   */
  readonly attrsOf: (account: string) => Effect.Effect<Record<string, string> | undefined>
  /**
   * Creates RegistrationID accounts, as push registration would; existing accounts are left alone.
   *
   * @since 0.3.0
   */
  readonly registerDevices: (registrationIds: ReadonlyArray<string>) => Effect.Effect<void>
  /**
   * Every accepted push (dispatched scheduled tasks included), in order.
   *
   * @since 0.3.0
   */
  readonly pushes: Effect.Effect<ReadonlyArray<PushRecord>>
  /**
   * Whom a `push` or `batch` request body would reach now, resolved as the push would be, without pushing
   * anything: its `To_Account` list, else its `Condition` (none: every account). Only the target is read.
   *
   * @since 0.3.0
   */
  readonly recipients: (body: unknown) => Effect.Effect<Recipients>
  /**
   * Every scheduled task not deleted, in creation order.
   *
   * @since 0.3.0
   */
  readonly scheduledTasks: Effect.Effect<ReadonlyArray<ScheduledTaskRecord>>
  /**
   * The push spacing and daily quota.
   *
   * @since 0.3.0
   */
  readonly pushSettings: Effect.Effect<PushSettings>
  /**
   * Changes the push settings named; the others keep their values.
   *
   * @since 0.3.0
   */
  readonly setPushSettings: (change: Partial<PushSettings>) => Effect.Effect<void>
}

/**
 * A running emulator: where it listens, and its control methods.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service extends Control {
  /** E.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly baseUrl: string
  readonly port: number
}

/**
 * The running emulator.
 *
 * @since 0.1.0
 * @category services
 */
export class Emulator extends Context.Service<Emulator, Service>()("@timtags/emulator/Emulator") {}

const urlHost = (host: string) => (host.includes(":") ? `[${host}]` : host)

/**
 * Starts an emulator for the layer's lifetime (scoped: the server closes when the scope closes). The emulator
 * creates its Node server itself, so that it can stamp each request's arrival before Effect's handler runs.
 *
 * @example
 * ```ts
 * import { Client, PushTags, TimConfig } from "@timtags/core"
 * import { Emulator } from "@timtags/emulator"
 * import { NodePlatform } from "@timtags/platform-node"
 * import { Effect, Layer } from "effect"
 *
 * const app = { sdkAppId: 1400000000, secretKey: "a-test-secret-key" }
 *
 * // The client, pointed at an emulator on an ephemeral port; the emulator stays reachable too.
 * const TestLive = Client.layer().pipe(
 *   Layer.provide(Layer.unwrap(Effect.map(Emulator.Emulator, (emulator) =>
 *     TimConfig.layer({ ...app, baseUrl: emulator.baseUrl })))),
 *   Layer.provide(NodePlatform.layer),
 *   Layer.provideMerge(Emulator.layer({ ...app, seed: { alice: ["vip"], bob: [] } }))
 * )
 *
 * const program = Effect.gen(function*() {
 *   const pushTags = yield* PushTags.PushTags
 *   const emulator = yield* Emulator.Emulator
 *   yield* pushTags.addTags("bob", ["beta"])
 *   console.log(yield* emulator.tagsOf("bob")) // [ 'beta' ]
 *   console.log((yield* emulator.stats).byCommand) // { add_tag: 1 }
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(TestLive)))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: EmulatorOptions): Layer.Layer<Emulator, ServeError> =>
  Layer.effect(
    Emulator,
    Effect.gen(function*() {
      const host = options.host ?? "127.0.0.1"
      const arrivals = yield* Arrivals.make
      const server = yield* NodeHttpServer.make(() => arrivals.watch(Http.createServer()), {
        port: options.port ?? 0,
        host
      })
      const state = State.make(options, arrivals, yield* Timer.make)
      yield* Effect.sync(() => Seeding.fromOptions(state.commands, options))
      const control = ControlMethods.make(state)
      yield* serve(state, control).pipe(Effect.provideService(HttpServer.HttpServer, server))
      const port = NetAddress.isUnixPathAddress(server.address) ? 0 : server.address.port
      return { ...control, baseUrl: `http://${urlHost(host)}:${port}`, port }
    })
  )

/**
 * `Control` with each Effect turned into a function returning a Promise.
 *
 * @since 0.1.0
 * @category promise API
 */
export type PromiseControl = {
  readonly [K in keyof Control]: Control[K] extends Effect.Effect<infer A> ? () => Promise<A>
    : Control[K] extends (...args: infer P) => Effect.Effect<infer A> ? (...args: P) => Promise<A>
    : never
}

/**
 * A running emulator for code outside Effect; `close` stops it.
 *
 * @since 0.1.0
 * @category promise API
 */
export interface RunningEmulator extends PromiseControl {
  readonly baseUrl: string
  readonly port: number
  readonly close: () => Promise<void>
}

const promised = (control: Control): PromiseControl =>
  Object.fromEntries(
    Object.entries(control).map(([name, method]) => [
      name,
      Effect.isEffect(method)
        ? () => Effect.runPromise(method as Effect.Effect<unknown>)
        : (...args: ReadonlyArray<unknown>) =>
          Effect.runPromise((method as (...a: ReadonlyArray<unknown>) => Effect.Effect<unknown>)(...args))
    ])
  ) as PromiseControl

/**
 * Starts an emulator and resolves once it listens.
 *
 * @example
 * ```ts
 * import { Emulator } from "@timtags/emulator"
 *
 * const emulator = await Emulator.startEmulator({
 *   sdkAppId: 1400000000,
 *   secretKey: "a-test-secret-key",
 *   seed: { alice: ["vip"] }
 * })
 * console.log(emulator.baseUrl) // e.g. http://127.0.0.1:41234
 * // The next get_tag call is answered with 91000 (ServerBusy), which clients retry.
 * await emulator.injectFault({ command: "get_tag", fault: { _tag: "ErrorCode", code: 91000 } })
 * // ... run the code under test against emulator.baseUrl, then:
 * console.log((await emulator.stats()).byErrorCode) // e.g. { '0': 1, '91000': 1 }
 * await emulator.close()
 * ```
 *
 * @since 0.1.0
 * @category promise API
 */
export const startEmulator = async (options: EmulatorOptions): Promise<RunningEmulator> => {
  const scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(Layer.buildWithScope(layer(options), scope)).catch(async (error) => {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    throw error
  })
  const { baseUrl, port, ...control } = Context.get(context, Emulator)
  return {
    ...promised(control),
    baseUrl,
    port,
    close: () => Effect.runPromise(Scope.close(scope, Exit.void))
  }
}
