/**
 * `RequestWrites` from undici's diagnostics channel `undici:client:sendHeaders`, published at the
 * moment undici writes a request's headers to its socket (after waiting for a connection, if it had
 * to). Requests are matched by their `random` query parameter; only watched ones are looked at.
 *
 * @since 0.2.0
 */
import { RequestWrites } from "@timtags/core/RequestWrites"
import type * as Core from "@timtags/core/RequestWrites"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as diagnostics from "node:diagnostics_channel"
import { guard } from "./internal/nodeVersion.js"

const channel = "undici:client:sendHeaders"
const randomParam = /[?&]random=(\d+)/

/** One watched request. */
interface Watched {
  readonly since: number
  readonly written: (afterMillis: number) => void
}

/**
 * A `RequestWrites` and the channel listener that feeds it (subscribe it while the service is in use).
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (): { readonly service: Core.Service; readonly listener: (message: unknown) => void } => {
  const watching = new Map<string, Watched>()
  const listener = (message: unknown) => {
    if (watching.size === 0) return
    const path = (message as { readonly request?: { readonly path?: unknown } }).request?.path
    const random = typeof path === "string" ? randomParam.exec(path)?.[1] : undefined
    const watched = random === undefined ? undefined : watching.get(random)
    if (watched === undefined) return
    watching.delete(random!)
    watched.written(performance.now() - watched.since)
  }
  const service: Core.Service = {
    watch: (random, written) => {
      const key = String(random)
      const watched: Watched = { since: performance.now(), written }
      watching.set(key, watched)
      return () => {
        if (watching.get(key) === watched) watching.delete(key)
      }
    }
  }
  return { service, listener }
}

/**
 * Provides `RequestWrites` from undici's diagnostics channel while the layer is in use. Built on a Node.js
 * older than 22.19, it dies with a one-line message naming the version it found.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer: Layer.Layer<never> = guard(Layer.effect(
  RequestWrites,
  Effect.acquireRelease(
    Effect.sync(() => {
      const { listener, service } = make()
      diagnostics.subscribe(channel, listener)
      return { listener, service }
    }),
    ({ listener }) => Effect.sync(() => diagnostics.unsubscribe(channel, listener))
  ).pipe(Effect.map(({ service }) => service))
))
