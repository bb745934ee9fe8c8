import { describe, expect, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Either from "effect/Either"
import * as TestClock from "effect/TestClock"
import * as Coalescer from "../src/internal/Coalescer.js"

/** A batch runner that records each batch's keys; keys starting with "bad" fail. */
const recording = (gate?: Deferred.Deferred<void>) => {
  const batches: Array<ReadonlyArray<string>> = []
  const run = (items: ReadonlyArray<Coalescer.Item<void, string, string>>) =>
    Effect.gen(function*() {
      batches.push(items.map((item) => item.account))
      if (gate) yield* Deferred.await(gate)
      for (const item of items) {
        item.complete(item.account.startsWith("bad") ? Either.left(`no ${item.account}`) : Either.right(`v:${item.account}`))
      }
    })
  return { batches, run }
}

/** The coalescer keyed by account. */
const echoLookup = (run: ReturnType<typeof recording>["run"], options: Coalescer.Options) =>
  Effect.map(Coalescer.make(run, options), (submit) => (key: string) => submit(key, key, undefined))

const forkAll = <A, E>(effects: ReadonlyArray<Effect.Effect<A, E>>) => Effect.forEach(effects, Effect.fork)

describe("Coalescer", () => {
  it.scoped("lookups from independent fibers share one batch per window; duplicates are sent once", () =>
    Effect.gen(function*() {
      const { batches, run } = recording()
      const lookup = yield* echoLookup(run, { window: "5 millis", maxBatchSize: 100 })
      const fibers = yield* forkAll(["a", "b", "a", "c", "b"].map(lookup))
      yield* TestClock.adjust("5 millis")
      const results = yield* Fiber.joinAll(fibers)
      expect(results).toEqual(["v:a", "v:b", "v:a", "v:c", "v:b"])
      expect(batches).toEqual([["a", "b", "c"]])
    }))

  it.scoped("a batch flushes at maxBatchSize distinct keys without waiting for the window", () =>
    Effect.gen(function*() {
      const { batches, run } = recording()
      const lookup = yield* echoLookup(run, { window: "1 second", maxBatchSize: 3 })
      const keys = ["k1", "k1", "k2", "k3", "k4", "k5", "k5"]
      const fibers = yield* forkAll(keys.map(lookup))
      yield* TestClock.adjust("1 millis")
      expect(batches).toEqual([["k1", "k2", "k3"]])
      yield* TestClock.adjust("999 millis")
      yield* Fiber.joinAll(fibers)
      expect(batches).toEqual([["k1", "k2", "k3"], ["k4", "k5"]])
    }))

  it.scoped("a lone lookup waits at most the window", () =>
    Effect.gen(function*() {
      const { batches, run } = recording()
      const lookup = yield* echoLookup(run, { window: "5 millis", maxBatchSize: 100 })
      const fiber = yield* Effect.fork(lookup("solo"))
      yield* TestClock.adjust("4 millis")
      expect(batches).toEqual([])
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toBe("v:solo")
    }))

  it.scoped("a failure reaches only its own key's callers", () =>
    Effect.gen(function*() {
      const { run } = recording()
      const lookup = yield* echoLookup(run, { window: "5 millis", maxBatchSize: 100 })
      const fibers = yield* forkAll(["ok", "bad1", "ok2"].map((k) => Effect.either(lookup(k))))
      yield* TestClock.adjust("5 millis")
      const [ok, bad, ok2] = yield* Fiber.joinAll(fibers)
      expect(ok).toMatchObject({ _tag: "Right", right: "v:ok" })
      expect(bad).toMatchObject({ _tag: "Left", left: "no bad1" })
      expect(ok2).toMatchObject({ _tag: "Right", right: "v:ok2" })
    }))

  it.scoped("an interrupted waiter leaves the batch: its key is dropped when nobody else wants it", () =>
    Effect.gen(function*() {
      const { batches, run } = recording()
      const lookup = yield* echoLookup(run, { window: "5 millis", maxBatchSize: 100 })
      const gone = yield* Effect.fork(lookup("gone"))
      const shared1 = yield* Effect.fork(lookup("shared"))
      const shared2 = yield* Effect.fork(lookup("shared"))
      const stays = yield* Effect.fork(lookup("stays"))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(gone)
      yield* Fiber.interrupt(shared1)
      yield* TestClock.adjust("5 millis")
      expect(yield* Fiber.join(stays)).toBe("v:stays")
      expect(yield* Fiber.join(shared2)).toBe("v:shared")
      expect(batches).toEqual([["shared", "stays"]])
    }))

  it.scoped("interrupting a caller while its batch is in flight does not break the batch for others", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const { batches, run } = recording(gate)
      const lookup = yield* echoLookup(run, { window: "5 millis", maxBatchSize: 100 })
      const a1 = yield* Effect.fork(lookup("a"))
      const a2 = yield* Effect.fork(lookup("a"))
      yield* TestClock.adjust("5 millis")
      expect(batches).toEqual([["a"]])
      const interrupted = yield* Fiber.interrupt(a1)
      expect(Exit.isInterrupted(interrupted)).toBe(true)
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.join(a2)).toBe("v:a")
    }))
})

describe("Coalescer: a runner that forgets an item", () => {
  it.scoped("ends that item's callers with a defect instead of leaving them waiting", () =>
    Effect.gen(function*() {
      const submit = yield* Coalescer.make<void, string, string>((items) =>
        Effect.sync(() => items.filter((i) => i.account !== "forgotten").forEach((i) => i.complete(Either.right("ok")))), {
        window: "5 millis",
        maxBatchSize: 100
      })
      const ok = yield* Effect.fork(submit("a", "a", undefined))
      const forgotten = yield* Effect.fork(submit("forgotten", "forgotten", undefined))
      yield* TestClock.adjust("5 millis")
      expect(yield* Fiber.join(ok)).toBe("ok")
      const exit = yield* Fiber.await(forgotten)
      expect(Exit.isFailure(exit) && !Exit.isInterrupted(exit)).toBe(true)
    }))
})

describe("Coalescer with shareInFlight", () => {
  it.scoped("a caller joins an item already sent for its key while the epoch is unchanged", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const { batches, run } = recording(gate)
      let epoch = 0
      const submit = yield* Coalescer.make(run, { window: "5 millis", maxBatchSize: 100, shareInFlight: { epoch: () => epoch } })
      const first = yield* Effect.fork(submit("a", "a", undefined))
      yield* TestClock.adjust("5 millis")
      expect(batches).toEqual([["a"]])
      const joined = yield* Effect.fork(submit("a", "a", undefined))
      yield* TestClock.adjust("5 millis")
      expect(batches).toEqual([["a"]])
      epoch++ // e.g. a write completed: later callers must not join the read sent before it
      const fresh = yield* Effect.fork(submit("a", "a", undefined))
      yield* TestClock.adjust("5 millis")
      expect(batches).toEqual([["a"], ["a"]])
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.joinAll([first, joined, fresh])).toEqual(["v:a", "v:a", "v:a"])
    }))

  it.scoped("without shareInFlight, a key already sent goes out again", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const { batches, run } = recording(gate)
      const submit = yield* Coalescer.make(run, { window: "5 millis", maxBatchSize: 100 })
      const first = yield* Effect.fork(submit("a", "a", undefined))
      yield* TestClock.adjust("5 millis")
      const second = yield* Effect.fork(submit("a", "a", undefined))
      yield* TestClock.adjust("5 millis")
      expect(batches).toEqual([["a"], ["a"]])
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.joinAll([first, second])
    }))
})
