/**
 * The worker's writes, in rounds over the accounts it owns (`plan.ts`): each round adds one tag, removes
 * another and sets one attribute on every owned account (`addTagsMany`, `removeTagsMany` and `setAttrsMany`
 * at once), retries the accounts that failed, as an application would, and lasts at least `settleMillis`. After
 * "stop" it ends with the round it is in, and always completes its first round (a restarted worker redoes the
 * round it was killed in), so that the store's intended state is that of a whole round. (The last round needs no
rest: no write of this worker follows it.)
 */
import type * as Batching from "@timtags/core/Batching"
import * as PushAttrs from "@timtags/core/PushAttrs"
import * as PushTags from "@timtags/core/PushTags"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { ownedAccount, roundAttr, roundTag } from "../plan.js"
import type { Kind, WorkerSpec } from "../protocol.js"
import { awaitMessage, stopRequested } from "./ipc.js"
import type { Recorder } from "./recorder.js"

/** Attempts of the application's own, each after the client's retries. */
const appAttempts = 10

/**
 * Writes `accounts` with `call`, then again those that failed, up to `appAttempts` times, a second apart; the
 * accounts still failing at the end.
 */
const untilWritten = (
  recorder: Recorder,
  operation: string,
  kind: Kind,
  accounts: ReadonlyArray<string>,
  call: (accounts: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, Batching.Outcome<void>>>
) =>
  Effect.gen(function*() {
    let pending = accounts
    for (let attempt = 1; attempt <= appAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) yield* Effect.sleep("1 second")
      const outcomes = yield* recorder.track(call(pending))
      recorder.many(operation, kind, pending, outcomes)
      pending = pending.filter((account) => {
        const outcome = outcomes.get(account)
        if (outcome !== undefined && Result.isSuccess(outcome)) return false
        if (outcome !== undefined) recorder.failed(operation, outcome.failure)
        return true
      })
    }
    return pending
  })

/** Runs rounds from `spec.firstRound` until "stop"; the last round completed and the accounts never written. */
export const run = (spec: WorkerSpec, recorder: Recorder, onRound: (round: number) => Effect.Effect<void>) =>
  Effect.gen(function*() {
    const tags = yield* PushTags.PushTags
    const attrs = yield* PushAttrs.PushAttrs
    const owned = Array.from({ length: spec.population.perWorker }, (_, j) => ownedAccount(spec.id, j))
    const unresolved = new Set<string>()
    let round = spec.firstRound
    for (;;) {
      yield* onRound(round)
      const started = Date.now()
      const [name, value] = roundAttr(round)
      const add = roundTag(round)
      const remove = roundTag(round + 2)
      const failed = yield* Effect.all([
        untilWritten(
          recorder,
          "addTagsMany",
          "tagWrites",
          owned,
          (accounts) => tags.addTagsMany(accounts.map((account) => ({ account, tags: [add] })))
        ),
        untilWritten(
          recorder,
          "removeTagsMany",
          "tagWrites",
          owned,
          (accounts) => tags.removeTagsMany(accounts.map((account) => ({ account, tags: [remove] })))
        ),
        untilWritten(
          recorder,
          "setAttrsMany",
          "attrWrites",
          owned,
          (accounts) => attrs.setAttrsMany(accounts.map((account) => ({ account, attrs: { [name]: value } })))
        )
      ], { concurrency: "unbounded" })
      for (const account of failed.flat()) unresolved.add(account)
      const rest = spec.settleMillis - (Date.now() - started)
      if (rest > 0) yield* Effect.race(Effect.sleep(rest), awaitMessage("stop"))
      if (stopRequested()) return { lastRound: round, unresolved: [...unresolved] }
      round++
    }
  })
