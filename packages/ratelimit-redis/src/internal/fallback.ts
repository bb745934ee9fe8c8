/**
 * Redis while it answers, the in-process limiter while it does not. `acquire` cannot fail: a call whose
 * Redis round trip fails goes local.
 *
 * - **The local limiter keeps this process's share** of each key's rate (`share.ts`): the limit divided
 *   by the processes seen live (`presence.ts`), or the whole rate under the `whole` policy.
 * - **It knows the calls made through Redis, by every process** (`ledger.ts`), so that when Redis fails
 *   each process continues from its part of the last window's calls.
 * - **Probes and rejoining** (`outage.ts`) go through both: the share first, then Redis, so that a process
 *   coming back never adds to the calls of processes that are still on their own.
 * - **Refusals reach both**, so that the local limiter that takes over in an outage is already paused and
 *   slowed down; permits of local calls report their writes to it.
 */
import type * as RateLimit from "@timtags/core/RateLimit"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ledger from "./ledger.js"
import type { Health } from "./outage.js"
import type { Presence } from "./presence.js"
import { type KeyRate, keyRate, type LogSettings } from "./settings.js"
import * as Share from "./share.js"
import type { Shared } from "./shared.js"

/** What the policy needs of the settings. */
export interface PolicySettings extends Pick<LogSettings, "rate" | "margin" | "burst"> {
  readonly outage: "share" | "whole"
}

/** A permit that reports the write to both `a` and `b`. */
const both = (a: RateLimit.Permit, b: RateLimit.Permit): RateLimit.Permit => ({
  started: (at) => {
    a.started(at)
    b.started(at)
  }
})

/** The limiter that falls back from `shared` to `local` as `health` says, keeping to the share `presence` gives. */
export const make = (
  settings: PolicySettings,
  health: Health,
  shared: Shared,
  local: RateLimit.Memory,
  presence: Presence
): Pick<RateLimit.Service, "acquire" | "refused"> => {
  /** The rate each key was last acquired at (for its refusals). */
  const rates = new Map<string, KeyRate>()
  const ledger = Ledger.make(settings.outage, local, presence, health)

  /** This process's share of `rate`, and whether its calls are staggered (Redis's clock is known). */
  const shareOf = (rate: KeyRate, redisNow: number | undefined) => {
    const share = Share.of(rate, presence.processes(), presence.rank(), settings.outage, settings.margin)
    return share.lattice !== undefined && redisNow !== undefined
      ? { rate: share.lattice.rate, lattice: share.lattice }
      : { rate: share.rate, lattice: undefined }
  }

  /** Waits for the share, then (for a staggered share) for this process's next point on Redis's clock. */
  const viaShare = (key: string, rate: KeyRate) =>
    Effect.gen(function*() {
      const share = shareOf(rate, yield* shared.redisTime)
      const permit = yield* local.acquire(key, share.rate)
      if (share.lattice === undefined) return permit
      const now = yield* shared.redisTime
      if (now === undefined) return permit
      const wait = Share.nextPoint(share.lattice, now) - now
      if (wait > 0) yield* Effect.sleep(Duration.millis(Math.ceil(wait)))
      return permit
    })

  /** The share alone (Redis is down): caught up with the outage first. */
  const viaLocal = (key: string, rate: KeyRate) =>
    Effect.flatMap(shared.redisTime, (redisNow) => {
      ledger.catchUp(key, rate, shareOf(rate, redisNow).rate)
      return viaShare(key, rate)
    })

  /**
   * Through Redis, recording this process's part of the reserved slots locally; local if Redis fails (or
   * an outage began while the call waited for its turn, unless it is the probe). A call that failed while
   * Redis answered others (it was slow) tries Redis once more: going local while the others use Redis
   * would add its call to theirs.
   */
  const viaRedis = (key: string, rate: KeyRate, probe = false, again = false): Effect.Effect<RateLimit.Permit> =>
    Effect.gen(function*() {
      const share = shareOf(rate, yield* shared.redisTime)
      return yield* shared.acquire(key, rate, {
        reserved: ledger.hear(key, share.rate, rate.limit, share.lattice !== undefined),
        usable: probe ? undefined : health.inUse
      }).pipe(
        Effect.catch((failed) =>
          // Redis answered others meanwhile: this call was slow, not Redis down; it tries Redis once more.
          !again && health.answeredSince(failed.sentAt)
            ? viaRedis(key, rate, probe, true)
            : Effect.andThen(health.down(failed.error, failed.sentAt), viaLocal(key, rate))
        )
      )
    })

  /** The share first, then Redis; the local permit alone if Redis fails. */
  const viaBoth = (key: string, rate: KeyRate) =>
    Effect.gen(function*() {
      const mine = yield* viaShare(key, rate)
      return yield* shared.acquire(key, rate, { usable: health.inUse }).pipe(
        Effect.map((redis) => both(mine, redis)),
        Effect.catch((failed) => Effect.as(health.down(failed.error, failed.sentAt), mine))
      )
    })

  return {
    acquire: (key, given) =>
      Effect.suspend(() => {
        const rate = given === undefined ? settings.rate : keyRate(settings, given)
        rates.set(key, rate)
        return Effect.flatMap(health.route(rate.spacing), (route) => {
          switch (route) {
            case "redis":
              return viaRedis(key, rate)
            case "local":
              return viaLocal(key, rate)
            case "probe": // under `whole` (under `share` the heartbeat probes)
              return viaRedis(key, rate, true)
            case "rejoining": // under `share`
              return viaBoth(key, rate)
          }
        })
      }),
    refused: (key, at) =>
      Effect.andThen(
        local.refused(key, at),
        Effect.suspend(() =>
          health.inUse()
            ? Effect.catch(shared.refused(key, at, rates.get(key) ?? settings.rate), health.down)
            : Effect.void
        )
      )
  }
}
