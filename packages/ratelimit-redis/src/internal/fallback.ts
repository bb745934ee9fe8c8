/**
 * Redis while it answers, the in-process limiter while it does not. `acquire` cannot fail: a call whose
 * Redis round trip fails goes local.
 *
 * - **The local limiter keeps this process's share** of each key's rate (`share.ts`): the limit divided
 *   by the processes seen live (`presence.ts`), or the whole rate under the `whole` policy.
 * - **It knows the calls made through Redis, by every process.** Each reservation brings the slots the
 *   key's log got since this process's previous one, numbered; the K processes split them by number
 *   (reservation n goes to the process of rank n mod K) and each records its part in its local limiter
 *   as it hears of it. When Redis fails, each process therefore continues from its part of the calls of
 *   the last window (the sleeping ones included), and the parts and the shares add up to at most the
 *   limit, however unevenly the processes used Redis. (A staggered share records every slot; the `whole`
 *   policy records this process's own.) A process that had not heard of a key for a while (it was idle)
 *   cannot know its part of what the others sent meanwhile: at its first local call of the outage it
 *   counts its share for that time as used.
 * - **Probes and rejoining** (`outage.ts`) go through both: the share first, then Redis, so that a process
 *   coming back never adds to the calls of processes that are still on their own.
 * - **Refusals reach both**, so that the local limiter that takes over in an outage is already paused and
 *   slowed down; permits of local calls report their writes to it.
 */
import type * as RateLimit from "@timtags/core/RateLimit"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { Health } from "./outage.js"
import type { Presence } from "./presence.js"
import { type KeyRate, keyRate, type LogSettings } from "./settings.js"
import * as Share from "./share.js"
import type { Reserved, Shared } from "./shared.js"

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
  /** When this process last heard of each key's log from Redis, and the latest slot it heard of (Effect's clock, ms). */
  const heard = new Map<string, { readonly at: number; readonly latest: number }>()
  /** The outage each key last caught up with (`catchUp`). */
  const caughtUp = new Map<string, number>()

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

  /** Records this process's part of the slots Redis reserved (see the module's doc) in the local limiter. */
  const hear =
    (key: string, share: RateLimit.Rate, staggered: boolean) => (slots: ReadonlyArray<Reserved>, now: number) => {
      heard.set(key, { at: now, latest: Math.max(heard.get(key)?.latest ?? 0, ...slots.map((slot) => slot.at)) })
      const processes = presence.processes()
      const rank = presence.rank()
      slots.forEach((slot, i) => {
        const mine = settings.outage === "whole"
          ? i === slots.length - 1
          : staggered || slot.seq % processes === rank % processes
        if (mine) local.record(key, slot.at, share).started(slot.at)
      })
    }

  /**
   * At the first local call under `key` in an outage: between the last time this process heard of the
   * key's log and the moment Redis stopped answering (when the failing call was sent), the others (if
   * there are others) reserved slots it has not heard of. It counts its part of them as used (its share of that time, one
   * more for rounding, at most a share), at the latest slot it heard of (theirs are later; the margin
   * covers the difference) or when Redis stopped, whichever is later.
   */
  const catchUp = (key: string, rate: KeyRate, share: RateLimit.Rate) => {
    const outage = health.outages()
    if (settings.outage === "whole" || presence.processes() <= 1 || caughtUp.get(key) === outage) return
    caughtUp.set(key, outage)
    const stopped = health.outageSentAt()
    const last = heard.get(key)
    const unknown = stopped - (last?.at ?? Number.NEGATIVE_INFINITY)
    if (!(unknown > 0)) return
    const uses = Math.min(share.limit, Math.ceil((share.limit * unknown) / rate.spacing) + 1)
    const at = Math.max(stopped, last?.latest ?? Number.NEGATIVE_INFINITY)
    for (let i = 0; i < uses; i++) local.record(key, at, share).started(at)
  }

  /** The share alone (Redis is down): caught up with the outage first. */
  const viaLocal = (key: string, rate: KeyRate) =>
    Effect.flatMap(shared.redisTime, (redisNow) => {
      catchUp(key, rate, shareOf(rate, redisNow).rate)
      return viaShare(key, rate)
    })

  /**
   * Through Redis, recording this process's part of the reserved slots locally; local if Redis fails (or
   * an outage began while the call waited for its turn, unless it is the probe).
   */
  const viaRedis = (key: string, rate: KeyRate, probe = false) =>
    Effect.gen(function*() {
      const share = shareOf(rate, yield* shared.redisTime)
      return yield* shared.acquire(key, rate, {
        reserved: hear(key, share.rate, share.lattice !== undefined),
        usable: probe ? undefined : health.inUse
      }).pipe(
        Effect.catch((failed) => Effect.andThen(health.down(failed.error, failed.sentAt), viaLocal(key, rate)))
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
            case "probe":
              return settings.outage === "whole" ? viaRedis(key, rate, true) : viaBoth(key, rate)
            case "rejoining":
              return settings.outage === "whole" ? viaRedis(key, rate) : viaBoth(key, rate)
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
