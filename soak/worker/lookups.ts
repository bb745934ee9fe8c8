/**
 * The worker's reads, until the runner says "stop" (each loop finishes the request it is in): `lookupFibers`
 * fibers each looking up one random account at a time with `getTags` (they coalesce into shared `get_tag`
 * calls), one loop of large `getTagsMany`, and one of `getAttrsMany`. About one account in a hundred is a ghost,
 * which must come back as an unknown account. Every answer is recorded for the runner to check.
 */
import type * as Batching from "@timtags/core/Batching"
import * as PushAttrs from "@timtags/core/PushAttrs"
import * as PushTags from "@timtags/core/PushTags"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { attrAccount, fingerprint, ghostAccount, lookupAccount } from "../plan.js"
import type { Kind, WorkerSpec } from "../protocol.js"
import { stopRequested } from "./ipc.js"
import { lookupOutcome, type Recorder } from "./recorder.js"

const randomInt = (n: number) => Math.floor(Math.random() * n)

/** Repeats `body` until the runner asks to stop. */
const untilStop = <E, R>(body: Effect.Effect<void, E, R>) =>
  Effect.whileLoop({ while: () => !stopRequested(), body: () => body, step: () => {} })

/** `size` consecutive accounts of `count` (wrapping), from a cursor that moves on each time, and 5 ghosts. */
const batches = (count: number, size: number, start: number, name: (i: number) => string, ghosts: number) => {
  let cursor = start
  return () => {
    const accounts = Array.from({ length: Math.min(size, count) }, (_, i) => name((cursor + i) % count))
    cursor = (cursor + size) % count
    return [...accounts, ...Array.from({ length: 5 }, () => ghostAccount(randomInt(ghosts)))]
  }
}

/** A loop of many-account lookups, each checked for one outcome per account, each outcome recorded as an answer. */
interface ManyLoop<A> {
  readonly operation: string
  readonly kind: Kind
  /** `tags` or `attrs`: the answers' keys are `<prefix>:<account>`. */
  readonly prefix: string
  readonly show: (a: A) => string
  readonly next: () => ReadonlyArray<string>
  readonly call: (accounts: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, Batching.Outcome<A>>>
}

/** Runs a many-account lookup loop until "stop". */
const manyLoop = <A>(recorder: Recorder, loop: ManyLoop<A>) =>
  untilStop(Effect.suspend(() => {
    const accounts = loop.next()
    return Effect.map(recorder.track(loop.call(accounts)), (outcomes) => {
      recorder.many(loop.operation, loop.kind, accounts, outcomes)
      for (const [account, outcome] of outcomes) {
        lookupOutcome(recorder, loop.operation, `${loop.prefix}:${account}`, outcome, loop.show)
      }
    })
  }))

/** Runs every read loop until "stop". */
export const run = (spec: WorkerSpec, recorder: Recorder) =>
  Effect.gen(function*() {
    const tags = yield* PushTags.PushTags
    const attrs = yield* PushAttrs.PushAttrs
    const { attrs: attrCount, ghosts, lookups } = spec.population
    const single = Effect.suspend(() => {
      const account = Math.random() < 0.01 ? ghostAccount(randomInt(ghosts)) : lookupAccount(randomInt(lookups))
      return Effect.map(recorder.track(Effect.result(tags.getTags(account))), (outcome) => {
        if (Result.isSuccess(outcome)) recorder.ok("tagLookups", 1)
        lookupOutcome(recorder, "getTags", `tags:${account}`, outcome, fingerprint.tags)
      })
    })
    const tagsMany = manyLoop(recorder, {
      operation: "getTagsMany",
      kind: "tagLookups",
      prefix: "tags",
      show: fingerprint.tags,
      next: batches(lookups, spec.manySize, randomInt(lookups), lookupAccount, ghosts),
      call: (accounts) => tags.getTagsMany(accounts)
    })
    const attrsMany = manyLoop(recorder, {
      operation: "getAttrsMany",
      kind: "attrLookups",
      prefix: "attrs",
      show: fingerprint.attrs,
      next: batches(attrCount, spec.attrsManySize, randomInt(attrCount), attrAccount, ghosts),
      call: (accounts) => attrs.getAttrsMany(accounts)
    })
    yield* Effect.all(
      [
        ...Array.from({ length: spec.lookupFibers }, () => untilStop(single)),
        tagsMany,
        attrsMany
      ],
      { concurrency: "unbounded", discard: true }
    )
  })

/** Looks up a few hundred accounts once, before "ready": the JIT, the connections and the attribute names warm. */
export const warmUp = Effect.gen(function*() {
  const tags = yield* PushTags.PushTags
  const attrs = yield* PushAttrs.PushAttrs
  yield* tags.getTagsMany(Array.from({ length: 500 }, (_, i) => lookupAccount(i)))
  yield* attrs.getAttrsMany(Array.from({ length: 200 }, (_, i) => attrAccount(i)))
})
