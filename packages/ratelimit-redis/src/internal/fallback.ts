/**
 * Redis while it answers, the in-process limiter while it does not. `acquire` cannot fail: a call
 * whose Redis round trip fails goes local. Refusals reach both, so that the in-process limiter that
 * takes over in an outage is already paused and slowed down; permits of local calls report their
 * writes to the in-process limiter.
 */
import type * as RateLimit from "@timtags/core/RateLimit"
import * as Effect from "effect/Effect"
import type { Health } from "./outage.js"
import type { Shared } from "./shared.js"

/** The limiter that falls back from `shared` to `local` as `health` says. */
export const make = (health: Health, shared: Shared, local: RateLimit.Service): RateLimit.Service => ({
  acquire: (key) =>
    Effect.flatMap(health.tryRedis, (viaRedis) =>
      viaRedis
        ? shared.acquire(key).pipe(Effect.catch((error) => Effect.andThen(health.down(error), local.acquire(key))))
        : local.acquire(key)),
  refused: (key, at) =>
    Effect.andThen(
      local.refused(key, at),
      Effect.suspend(() => (health.inUse() ? Effect.catch(shared.refused(key, at), health.down) : Effect.void))
    ),
  // Interim: quotas are counted in this process until the shared store counts them.
  quota: local.quota
})
