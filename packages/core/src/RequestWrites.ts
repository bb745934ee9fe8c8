/**
 * When a request was actually written to the network. The rate limiter counts a call from that
 * moment, because a request can wait between being handed to the `HttpClient` and reaching the
 * wire: for a new connection, for a free one, for a busy event loop. Those waits are what make calls
 * that left the limiter evenly spaced arrive at the server bunched together.
 *
 * `TimRest` watches each request by its `random` query parameter, which is unique per attempt. A
 * platform that can see the write provides a `RequestWrites` (`@timtags/platform-node` does, from
 * undici's diagnostics channels); the default knows nothing, and the call then counts from the
 * moment it was handed to the `HttpClient`.
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"

/**
 * Sees requests being written.
 *
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /**
   * Watches for the write of the request whose `random` query parameter is `random`: calls
   * `written` once with the milliseconds from this call to the write. Returns a function that stops
   * watching (call it when the request has ended).
   */
  readonly watch: (random: number, written: (afterMillis: number) => void) => () => void
}

const stopNothing = () => {}

/**
 * Sees nothing: a request counts as written when it is handed to the `HttpClient`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const blind: Service = {
  watch: (_random, written) => {
    written(0)
    return stopNothing
  }
}

/**
 * The `RequestWrites` in effect (a `Context.Reference` defaulting to `blind`).
 *
 * @example
 * ```ts
 * import { RequestWrites } from "@timtags/core"
 * import { Layer } from "effect"
 *
 * // A platform that sees writes reports them; `writtenNow` is what its write hook would call.
 * const watching = new Map<number, () => void>()
 * const writtenNow = (random: number) => watching.get(random)?.()
 *
 * const RequestWritesLive = Layer.succeed(RequestWrites.RequestWrites, {
 *   watch: (random, written) => {
 *     const handed = performance.now()
 *     watching.set(random, () => written(performance.now() - handed))
 *     return () => watching.delete(random)
 *   }
 * })
 * ```
 *
 * @since 0.2.0
 * @category tags
 */
export const RequestWrites: Context.Reference<Service> = Context.Reference<Service>("@timtags/core/RequestWrites", {
  defaultValue: () => blind
})
