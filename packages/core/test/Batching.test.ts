/**
 * The resolvers behind `PushTags` (internal/batching.ts with internal/sharing.ts), driven through
 * `Effect.request` with a recording runner: the window, the cap of distinct accounts, merged
 * duplicates, lookups sharing one already sent (until a write completes), interruption, and a
 * runner that forgets an entry. The HTTP path is covered by PushTags.test.ts and ContextIsolation.test.ts.
 */
import { describe, expect, it } from "@effect/vitest"
import type { NonEmptyArray } from "effect/Array"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type * as Request from "effect/Request"
import * as TestClock from "effect/testing/TestClock"
import * as Batching from "../src/internal/batching.js"
import { GetTags } from "../src/internal/requests.js"
import * as Sharing from "../src/internal/sharing.js"
import { TimAccountError } from "../src/TimError.js"

/** A runner recording each batch's accounts; accounts starting with "bad" fail. It waits for `gate` if given. */
const recording = (gate?: Deferred.Deferred<void>) => {
  const batches: Array<ReadonlyArray<string>> = []
  const run = (entries: NonEmptyArray<Request.Entry<GetTags>>) =>
    Effect.gen(function*() {
      batches.push(entries.map((entry) => entry.request.account))
      if (gate) yield* Deferred.await(gate)
      for (const entry of entries) {
        const { account } = entry.request
        entry.completeUnsafe(
          account.startsWith("bad")
            ? Exit.fail(new TimAccountError({ command: "timpush/get_tag", account, code: 70107, info: "" }))
            : Exit.succeed([`v:${account}`])
        )
      }
    })
  return { batches, run }
}

/** A `getTags`-like lookup over a resolver made in the current context, with sharing. */
const lookupWith = (
  run: ReturnType<typeof recording>["run"],
  window: Duration.Input,
  maxPerCall = 100,
  inFlight = true
) =>
  Effect.gen(function*() {
    const epoch: Sharing.Epoch = { value: 0 }
    const sharing = Sharing.make<GetTags>((request) => request.account, epoch, inFlight)
    const resolver = Batching.make(
      { window: Duration.fromInputUnsafe(window), maxPerCall, context: yield* Effect.context<never>() },
      {
        run: (entries) => Effect.suspend(() => (sharing.sent(entries), run(entries))),
        preCheck: sharing.preCheck,
        riders: sharing.riders
      }
    )
    const lookup = (account: string) =>
      Effect.map(Effect.request(new GetTags({ account }), resolver), (tags) => tags[0])
    return { lookup, epoch }
  })

const forkAll = <A, E>(effects: ReadonlyArray<Effect.Effect<A, E>>) =>
  Effect.forEach(effects, (e) => Effect.forkChild(e))

describe("batching", () => {
  it.effect("lookups from independent fibers share one batch per window; duplicates are sent once", () =>
    Effect.gen(function*() {
      const { batches, run } = recording()
      const { lookup } = yield* lookupWith(run, "5 millis")
      const fibers = yield* forkAll(["a", "b", "a", "c", "b"].map(lookup))
      yield* TestClock.adjust("5 millis")
      expect(yield* Fiber.joinAll(fibers)).toEqual(["v:a", "v:b", "v:a", "v:c", "v:b"])
      expect(batches).toEqual([["a", "b", "c"]])
    }))

  it.effect("a batch runs at maxPerCall distinct accounts without waiting for the window; duplicates do not count", () =>
    Effect.gen(function*() {
      const { batches, run } = recording()
      const { lookup } = yield* lookupWith(run, "1 second", 3)
      const fibers = yield* forkAll(["k1", "k1", "k2", "k3", "k4", "k5", "k5"].map(lookup))
      yield* TestClock.adjust("1 millis")
      expect(batches).toEqual([["k1", "k2", "k3"]])
      yield* TestClock.adjust("999 millis")
      expect(yield* Fiber.joinAll(fibers)).toEqual(["v:k1", "v:k1", "v:k2", "v:k3", "v:k4", "v:k5", "v:k5"])
      expect(batches).toEqual([["k1", "k2", "k3"], ["k4", "k5"]])
    }))

  it.effect("a lone lookup waits at most the window", () =>
    Effect.gen(function*() {
      const { batches, run } = recording()
      const { lookup } = yield* lookupWith(run, "5 millis")
      const fiber = yield* Effect.forkChild(lookup("solo"))
      yield* TestClock.adjust("4 millis")
      expect(batches).toEqual([])
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toBe("v:solo")
    }))

  it.effect("a failure reaches only its own account's callers", () =>
    Effect.gen(function*() {
      const { run } = recording()
      const { lookup } = yield* lookupWith(run, "5 millis")
      const fibers = yield* forkAll(["ok", "bad1", "bad1", "ok2"].map((a) => Effect.result(lookup(a))))
      yield* TestClock.adjust("5 millis")
      const [ok, bad, badAgain, ok2] = yield* Fiber.joinAll(fibers)
      expect(ok).toMatchObject({ _tag: "Success", success: "v:ok" })
      expect(bad).toMatchObject({ _tag: "Failure", failure: { _tag: "TimAccountError", account: "bad1" } })
      expect(badAgain).toEqual(bad)
      expect(ok2).toMatchObject({ _tag: "Success", success: "v:ok2" })
    }))

  it.effect("an interrupted caller leaves its batch; an account is dropped only when nobody else wants it", () =>
    Effect.gen(function*() {
      const { batches, run } = recording()
      const { lookup } = yield* lookupWith(run, "5 millis")
      const gone = yield* Effect.forkChild(lookup("gone"))
      const shared1 = yield* Effect.forkChild(lookup("shared"))
      const shared2 = yield* Effect.forkChild(lookup("shared"))
      const stays = yield* Effect.forkChild(lookup("stays"))
      yield* Effect.yieldNow
      yield* Fiber.interrupt(gone)
      yield* Fiber.interrupt(shared1)
      yield* TestClock.adjust("5 millis")
      expect(yield* Fiber.join(stays)).toBe("v:stays")
      expect(yield* Fiber.join(shared2)).toBe("v:shared")
      expect(batches).toEqual([["shared", "stays"]])
    }))

  it.effect("interrupting a caller while its batch is in flight does not break the batch for the others", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const { batches, run } = recording(gate)
      const { lookup } = yield* lookupWith(run, "5 millis")
      const a1 = yield* Effect.forkChild(lookup("a"))
      const a2 = yield* Effect.forkChild(lookup("a"))
      const b = yield* Effect.forkChild(lookup("b"))
      yield* TestClock.adjust("5 millis")
      expect(batches).toEqual([["a", "b"]])
      yield* Fiber.interrupt(a1)
      yield* Fiber.interrupt(b)
      expect(Exit.hasInterrupts(yield* Fiber.await(a1))).toBe(true)
      expect(Exit.hasInterrupts(yield* Fiber.await(b))).toBe(true)
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.join(a2)).toBe("v:a")
    }))

  it.effect("a lookup joins one already sent for its account until a write completes; then it goes out again", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const { batches, run } = recording(gate)
      const { epoch, lookup } = yield* lookupWith(run, "5 millis")
      const first = yield* Effect.forkChild(lookup("a"))
      yield* TestClock.adjust("5 millis")
      expect(batches).toEqual([["a"]])
      const joined = yield* Effect.forkChild(lookup("a"))
      yield* TestClock.adjust("5 millis")
      expect(batches).toEqual([["a"]])
      epoch.value++ // a write completed: a later lookup must not join the one sent before it
      const fresh = yield* Effect.forkChild(lookup("a"))
      yield* TestClock.adjust("5 millis")
      expect(batches).toEqual([["a"], ["a"]])
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.joinAll([first, joined, fresh])).toEqual(["v:a", "v:a", "v:a"])
    }))

  it.effect("with in-flight sharing off, a lookup joins only one still waiting for its batch", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const { batches, run } = recording(gate)
      const { lookup } = yield* lookupWith(run, "5 millis", 100, false)
      const first = yield* Effect.forkChild(lookup("a"))
      const waiting = yield* Effect.forkChild(lookup("a"))
      yield* TestClock.adjust("5 millis")
      expect(batches).toEqual([["a"]])
      const again = yield* Effect.forkChild(lookup("a"))
      yield* TestClock.adjust("5 millis")
      expect(batches).toEqual([["a"], ["a"]])
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.joinAll([first, waiting, again])).toEqual(["v:a", "v:a", "v:a"])
    }))

  it.effect("a lookup after its account's call completed goes out again (results are not cached)", () =>
    Effect.gen(function*() {
      const { batches, run } = recording()
      const { lookup } = yield* lookupWith(run, "5 millis")
      const first = yield* Effect.forkChild(lookup("a"))
      yield* TestClock.adjust("5 millis")
      expect(yield* Fiber.join(first)).toBe("v:a")
      const second = yield* Effect.forkChild(lookup("a"))
      yield* TestClock.adjust("5 millis")
      expect(yield* Fiber.join(second)).toBe("v:a")
      expect(batches).toEqual([["a"], ["a"]])
    }))

  it.effect("a runner that forgets an entry ends its callers with a defect instead of leaving them waiting", () =>
    Effect.gen(function*() {
      const resolver = Batching.make<GetTags>(
        { window: Duration.millis(5), maxPerCall: 100, context: yield* Effect.context<never>() },
        {
          run: (entries) =>
            Effect.sync(() =>
              entries.filter((e) => e.request.account !== "forgotten").forEach((e) =>
                e.completeUnsafe(Exit.succeed([]))
              )
            )
        }
      )
      const ok = yield* Effect.forkChild(Effect.request(new GetTags({ account: "a" }), resolver))
      const forgotten = yield* Effect.forkChild(Effect.request(new GetTags({ account: "forgotten" }), resolver))
      yield* TestClock.adjust("5 millis")
      expect(yield* Fiber.join(ok)).toEqual([])
      const exit = yield* Fiber.await(forgotten)
      expect(Exit.hasDies(exit)).toBe(true)
    }))
})
