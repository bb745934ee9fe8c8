/**
 * The client as children measured against this version and against the previous release (`baseline.ts`)
 * build it: only what both have (`Client.layer` with a `rateLimit`, `TimConfig.layer`,
 * `NodePlatform.layer`, `PushTags`), so one bundle runs on either's packages.
 */
import { Client, PushTags, RateLimit, TimConfig } from "@timtags/core"
import { NodePlatform } from "@timtags/platform-node"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { app } from "./emulator.js"

/** A built client with the tag service. */
export interface PortableClient {
  readonly tags: PushTags.Service
  readonly run: <A, E>(effect: Effect.Effect<A, E, PushTags.PushTags>) => Promise<A>
  readonly dispose: () => Promise<void>
}

/** The client for an emulator at `baseUrl`, with the default limiter (`capped`) or none. */
export const makePortableClient = async (baseUrl: string, capped: boolean): Promise<PortableClient> => {
  const layer = Client.layer(capped ? {} : { rateLimit: RateLimit.layerDisabled }).pipe(
    Layer.provide(TimConfig.layer({ sdkAppId: app.sdkAppId, secretKey: app.secretKey, admin: app.admin, baseUrl })),
    Layer.provide(NodePlatform.layer)
  )
  const runtime = ManagedRuntime.make(layer)
  const tags = await runtime.runPromise(PushTags.PushTags)
  return { tags, run: (effect) => runtime.runPromise(effect), dispose: () => runtime.dispose() }
}
