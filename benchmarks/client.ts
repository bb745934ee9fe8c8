/**
 * The client stack every scenario measures, composed as an application would (see `examples/get-tags.ts`):
 * `Client.layer(options)` over `TimConfig.layer` pointing at the emulator, over `NodePlatform.layer`.
 */
import { Client, PushAttrs, PushTags, TimConfig } from "@timtags/core"
import { NodePlatform } from "@timtags/platform-node"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { app } from "./emulator.js"

/** The client layer for an emulator at `baseUrl`. */
export const clientLayer = (baseUrl: string, options: Client.Options = {}) =>
  Client.layer(options).pipe(
    Layer.provide(TimConfig.layer({ sdkAppId: app.sdkAppId, secretKey: app.secretKey, admin: app.admin, baseUrl })),
    Layer.provide(NodePlatform.layer)
  )

/** A built client: the `PushTags` and `PushAttrs` services and a way to run effects in its runtime. */
export interface BenchClient {
  readonly tags: PushTags.Service
  readonly attrs: PushAttrs.Service
  readonly run: <A, E>(effect: Effect.Effect<A, E, Client.Services>) => Promise<A>
  readonly dispose: () => Promise<void>
}

/** Builds the client once (layers, connection pool, UserSig cache) so that runs measure lookups only. */
export const makeClient = async (baseUrl: string, options: Client.Options = {}): Promise<BenchClient> => {
  const runtime = ManagedRuntime.make(clientLayer(baseUrl, options))
  const tags = await runtime.runPromise(PushTags.PushTags)
  const attrs = await runtime.runPromise(PushAttrs.PushAttrs)
  return { tags, attrs, run: (effect) => runtime.runPromise(effect), dispose: () => runtime.dispose() }
}

/** Runs `f` with a fresh client and always disposes it. */
export const withClient = async <A>(
  baseUrl: string,
  options: Client.Options,
  f: (client: BenchClient) => Promise<A>
): Promise<A> => {
  const client = await makeClient(baseUrl, options)
  try {
    return await f(client)
  } finally {
    await client.dispose()
  }
}
