/**
 * The batching engine (internal/batching) over a recording `TimRest`: single-account requests through
 * the resolver (window, cap of distinct accounts, merged duplicates, sharing a call in flight until
 * a write completes, interruption), chunks of accounts in hand (one call without a window, riding on
 * and carrying single lookups, a partial chunk coalescing), matching answers by account, outcomes in
 * input order, and hedging. The HTTP path is covered by PushTags.test.ts, TagWrites.test.ts and
 * ContextIsolation.test.ts.
 */
import { describe, expect, it } from "@effect/vitest"
import { TimDecodeError } from "@timtags/core/TimError"
import * as TimRest from "@timtags/core/TimRest"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/testing/TestClock"
import * as Envelope from "../src/Envelope.js"
import * as Engine from "../src/internal/batching/engine.js"
import * as Many from "../src/internal/batching/many.js"
import * as BatchOptions from "../src/internal/batching/options.js"
import { keyedAnswer, type ReadSpec, type WriteSpec } from "../src/internal/batching/spec.js"
import * as Streams from "../src/internal/batching/stream.js"
import * as Read from "../src/internal/decode.js"

interface Recorded {
  readonly command: string
  readonly accounts: ReadonlyArray<string>
}

/** How the recording `TimRest` answers: after `gate`, after `delay(n)` (the n-th call), after a retry `retryAfter(n)`. */
interface RestOptions {
  readonly gate?: Deferred.Deferred<void>
  /** Holds each call before it is handed over (as the rate limiter would), until `limiter` completes. */
  readonly limiter?: Deferred.Deferred<void>
  readonly delay?: (n: number) => Duration.Input | undefined
  readonly retryAfter?: (n: number) => Duration.Input | undefined
  /** Each call dies (a defect) instead of answering, after its gate or delay. */
  readonly dies?: boolean
}

/**
 * A `TimRest` answering `get` from `value(account)` (accounts starting with "bad" in `ErrorList`,
 * "lost" ones left out), `put` with the envelope; each call waits for `gate` (if set) or `delay`; a
 * call with a `retryAfter` reports a second attempt sent that long after the first.
 */
const recordingRest = (options: RestOptions = {}) => {
  const calls: Array<Recorded> = []
  const rest = TimRest.TimRest.of({
    call: (command, body, decoder, meta) =>
      Effect.gen(function*() {
        const accounts = (body as { To_Account: ReadonlyArray<string> }).To_Account
        calls.push({ command, accounts })
        if (options.limiter) yield* Deferred.await(options.limiter)
        meta?.sent?.(yield* Clock.currentTimeMillis)
        const retryAfter = options.retryAfter?.(calls.length)
        if (retryAfter) {
          yield* Effect.sleep(retryAfter)
          meta?.sent?.(yield* Clock.currentTimeMillis)
        }
        if (options.gate) yield* Deferred.await(options.gate)
        const delay = options.delay?.(calls.length)
        if (delay) yield* Effect.sleep(delay)
        if (options.dies) return yield* Effect.die(new Error("boom"))
        const found = accounts.filter((a) => !a.startsWith("bad") && !a.startsWith("lost"))
        const answer = {
          ActionStatus: "OK",
          ErrorCode: 0,
          ErrorList: accounts.filter((a) => a.startsWith("bad")).map((a) => ({ To_Account: a, ErrorCode: 70107 })),
          Values: found.reverse().map((a) => ({ To_Account: a, Value: `v:${a}` }))
        }
        const decoded = decoder.decode(answer)
        return yield* Result.isSuccess(decoded)
          ? Effect.succeed(decoded.success)
          : Effect.fail(new TimDecodeError({ command, detail: decoded.failure }))
      })
  })
  return { calls, rest }
}

const get: ReadSpec<void, string> = {
  command: "test/get",
  kind: "read",
  maxPerCall: 100,
  body: (accounts) => ({ To_Account: accounts }),
  answer: keyedAnswer("Values", "Value", Read.string, "")
}

const put: WriteSpec<void> = {
  command: "test/put",
  kind: "write",
  maxPerCall: 100,
  body: (accounts) => ({ To_Account: accounts }),
  answer: Envelope.envelope
}

const engineWith = (
  rest: TimRest.Service,
  options: Partial<Engine.Options> = {}
) =>
  Engine.make({
    window: Duration.millis(5),
    maxPerCall: 100,
    concurrency: 8,
    shareInFlight: true,
    hedging: false,
    ...options
  }).pipe(Effect.provideService(TimRest.TimRest, rest))

const setup = (options: Partial<Engine.Options> & RestOptions = {}) =>
  Effect.gen(function*() {
    const recorded = recordingRest(options)
    const engine = yield* engineWith(recorded.rest, options)
    return { ...recorded, get: engine.runner(get), put: engine.runner(put), engine }
  })

const forkAll = <A, E>(effects: ReadonlyArray<Effect.Effect<A, E>>) =>
  Effect.forEach(effects, (e) => Effect.forkChild(e))

const accountsOf = (calls: ReadonlyArray<Recorded>) => calls.map((c) => c.accounts)

/** A chunk's results, by account. */
const chunkOf = (runner: Engine.Runner<void, string>, accounts: ReadonlyArray<string>) =>
  Effect.suspend(() => {
    const results = new Map<string, unknown>()
    return runner.chunk(accounts, new Array(accounts.length), {
      succeed: (i, value) => results.set(accounts[i]!, value),
      fail: (i, error) => results.set(accounts[i]!, error._tag)
    }).pipe(Effect.as(results))
  })

const numbered = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

describe("single-account requests", () => {
  it.effect("from independent fibers share one call per window; duplicates are sent once", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup()
      const fibers = yield* forkAll(["a", "b", "a", "c", "b"].map((a) => get.one(a, undefined)))
      yield* TestClock.adjust("5 millis")
      expect(yield* Fiber.joinAll(fibers)).toEqual(["v:a", "v:b", "v:a", "v:c", "v:b"])
      expect(accountsOf(calls)).toEqual([["a", "b", "c"]])
    }))

  it.effect("a call goes at maxPerCall distinct accounts without waiting for the window", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup({ maxPerCall: 3 })
      const fibers = yield* forkAll(["k1", "k1", "k2", "k3", "k4", "k5", "k5"].map((a) => get.one(a, undefined)))
      yield* TestClock.adjust("1 millis")
      expect(accountsOf(calls)).toEqual([["k1", "k2", "k3"]])
      yield* TestClock.adjust("4 millis")
      expect(yield* Fiber.joinAll(fibers)).toEqual(["v:k1", "v:k1", "v:k2", "v:k3", "v:k4", "v:k5", "v:k5"])
      expect(accountsOf(calls)).toEqual([["k1", "k2", "k3"], ["k4", "k5"]])
    }))

  it.effect("a lone request waits at most the window", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup()
      const fiber = yield* Effect.forkChild(get.one("solo", undefined))
      yield* TestClock.adjust("4 millis")
      expect(calls).toEqual([])
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toBe("v:solo")
    }))

  it.effect("an ErrorList entry fails only its account; an account the answer leaves out is a decode error", () =>
    Effect.gen(function*() {
      const { get } = yield* setup()
      const fibers = yield* forkAll(["ok", "bad1", "bad1", "lost1"].map((a) => Effect.result(get.one(a, undefined))))
      yield* TestClock.adjust("5 millis")
      const [ok, bad, badAgain, lost] = yield* Fiber.joinAll(fibers)
      expect(ok).toEqual(Result.succeed("v:ok"))
      expect(bad).toMatchObject({ failure: { _tag: "TimAccountError", account: "bad1", code: 70107 } })
      expect(badAgain).toEqual(bad)
      expect(lost).toMatchObject({ failure: { _tag: "TimDecodeError" } })
    }))

  it.effect("an interrupted caller leaves its batch; an account is dropped only when nobody else wants it", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup()
      const gone = yield* Effect.forkChild(get.one("gone", undefined))
      const shared1 = yield* Effect.forkChild(get.one("shared", undefined))
      const shared2 = yield* Effect.forkChild(get.one("shared", undefined))
      const stays = yield* Effect.forkChild(get.one("stays", undefined))
      yield* Effect.yieldNow
      yield* Fiber.interrupt(gone)
      yield* Fiber.interrupt(shared1)
      yield* TestClock.adjust("5 millis")
      expect(yield* Fiber.join(stays)).toBe("v:stays")
      expect(yield* Fiber.join(shared2)).toBe("v:shared")
      expect(accountsOf(calls)).toEqual([["shared", "stays"]])
    }))

  it.effect("a request joins a call already sent for its account until a write completes", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const { calls, get } = yield* setup({ gate })
      const first = yield* Effect.forkChild(get.one("a", undefined))
      yield* TestClock.adjust("5 millis")
      const joined = yield* Effect.forkChild(get.one("a", undefined))
      yield* TestClock.adjust("5 millis")
      expect(accountsOf(calls)).toEqual([["a"]])
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.joinAll([first, joined])).toEqual(["v:a", "v:a"])
      // A write completes; a read sent before it must not be joined by one after it.
      const gate2 = yield* Deferred.make<void>()
      const second = yield* setup({ gate: gate2 })
      const before = yield* Effect.forkChild(second.get.one("a", undefined))
      yield* TestClock.adjust("5 millis")
      const write = yield* Effect.forkChild(second.put.one("a", undefined))
      yield* TestClock.adjust("5 millis")
      yield* Deferred.succeed(gate2, undefined)
      yield* Fiber.join(write)
      const after = yield* Effect.forkChild(second.get.one("a", undefined))
      yield* TestClock.adjust("5 millis")
      yield* Fiber.joinAll([before, after])
      expect(accountsOf(second.calls)).toEqual([["a"], ["a"], ["a"]])
      expect(second.calls.map((c) => c.command)).toEqual(["test/get", "test/put", "test/get"])
    }))

  it.effect("with in-flight sharing off, a request joins only one still waiting for its batch", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const { calls, get } = yield* setup({ gate, shareInFlight: false })
      const first = yield* Effect.forkChild(get.one("a", undefined))
      const waiting = yield* Effect.forkChild(get.one("a", undefined))
      yield* TestClock.adjust("5 millis")
      const again = yield* Effect.forkChild(get.one("a", undefined))
      yield* TestClock.adjust("5 millis")
      expect(accountsOf(calls)).toEqual([["a"], ["a"]])
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.joinAll([first, waiting, again])).toEqual(["v:a", "v:a", "v:a"])
    }))

  it.effect("a batch whose window ended waits for the calls queued before it, and fills up meanwhile", () =>
    Effect.gen(function*() {
      const limiter = yield* Deferred.make<void>()
      const { calls, get } = yield* setup({ limiter })
      const first = yield* Effect.forkChild(get.one("a", undefined))
      yield* TestClock.adjust("5 millis") // "a" goes out and waits for the limiter
      const later: Array<Fiber.Fiber<string, unknown>> = []
      for (const account of ["b", "c", "d", "e"]) {
        later.push(yield* Effect.forkChild(get.one(account, undefined)))
        yield* TestClock.adjust("10 millis") // each alone in a window of its own, were it not for the queue
      }
      expect(accountsOf(calls)).toEqual([["a"]])
      yield* Deferred.succeed(limiter, undefined)
      yield* Fiber.joinAll([first, ...later])
      expect(accountsOf(calls)).toEqual([["a"], ["b", "c", "d", "e"]])
    }))

  it.effect("with no call queued, a batch closes at its window", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup()
      const fibers: Array<Fiber.Fiber<string, unknown>> = []
      for (const account of ["a", "b"]) {
        fibers.push(yield* Effect.forkChild(get.one(account, undefined)))
        yield* TestClock.adjust("10 millis")
      }
      yield* Fiber.joinAll(fibers)
      expect(accountsOf(calls)).toEqual([["a"], ["b"]])
    }))

  it.effect("writes of one account in one batch go out in rounds, one after the other", () =>
    Effect.gen(function*() {
      const { calls, put } = yield* setup()
      const fibers = yield* forkAll(["a", "b", "a", "a"].map((a) => put.one(a, undefined)))
      yield* TestClock.adjust("5 millis")
      yield* Fiber.joinAll(fibers)
      expect(accountsOf(calls)).toEqual([["a", "b"], ["a"], ["a"]])
    }))
})

describe("chunks of accounts in hand", () => {
  it.effect("a full chunk is one call at once, without waiting for the window", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup()
      const accounts = numbered(100, "c")
      const results = yield* chunkOf(get, accounts)
      expect(accountsOf(calls)).toEqual([accounts])
      expect(accounts.map((a) => results.get(a))).toEqual(accounts.map((a) => `v:${a}`))
    }))

  it.effect("single lookups ride on a chunk in flight, and a chunk rides on lookups in flight", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const { calls, get } = yield* setup({ gate })
      const single = yield* Effect.forkChild(get.one("x", undefined))
      yield* TestClock.adjust("5 millis") // "x" is in flight now
      const accounts = ["x", ...numbered(99, "c")]
      const chunk = yield* Effect.forkChild(chunkOf(get, numbered(100, "c")))
      yield* Effect.yieldNow
      const rider = yield* Effect.forkChild(get.one("c7", undefined))
      const partial = yield* Effect.forkChild(chunkOf(get, accounts))
      yield* TestClock.adjust("5 millis")
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.join(single)).toBe("v:x")
      expect(yield* Fiber.join(rider)).toBe("v:c7")
      expect((yield* Fiber.join(chunk)).get("c99")).toBe("v:c99")
      const partialResults = yield* Fiber.join(partial)
      expect(accounts.map((a) => partialResults.get(a))).toEqual(accounts.map((a) => `v:${a}`))
      // "x" once, the chunk once; the rider and the partial chunk sent nothing of their own.
      expect(accountsOf(calls)).toEqual([["x"], numbered(100, "c")])
    }))

  it.effect("a partial chunk goes through the resolver and coalesces with single requests", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup()
      const single = yield* Effect.forkChild(get.one("s", undefined))
      const chunk = yield* Effect.forkChild(chunkOf(get, ["p1", "p2"]))
      yield* TestClock.adjust("5 millis")
      yield* Fiber.join(single)
      yield* Fiber.join(chunk)
      expect(accountsOf(calls)).toEqual([["s", "p1", "p2"]])
    }))

  it.effect("interrupting a chunk's caller: the call goes on for riders; without riders it stops and nothing hangs", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const { calls, get } = yield* setup({ gate })
      const ridden = yield* Effect.forkChild(chunkOf(get, numbered(100, "r")))
      yield* Effect.yieldNow
      const rider = yield* Effect.forkChild(get.one("r5", undefined))
      yield* Effect.yieldNow
      yield* Fiber.interrupt(ridden)
      const alone = yield* Effect.forkChild(chunkOf(get, numbered(100, "n")))
      yield* Effect.yieldNow
      yield* Fiber.interrupt(alone)
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.join(rider)).toBe("v:r5")
      // The interrupted chunk's accounts are free again: a later lookup goes out instead of waiting forever.
      const later = yield* Effect.forkChild(get.one("n5", undefined))
      yield* TestClock.adjust("5 millis")
      expect(yield* Fiber.join(later)).toBe("v:n5")
      expect(accountsOf(calls)).toEqual([numbered(100, "r"), numbered(100, "n"), ["n5"]])
    }))
  it.effect("a full chunk's call that dies ends its caller and its riders with the defect: nothing hangs", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const { calls, get } = yield* setup({ gate, dies: true })
      const chunk = yield* Effect.forkChild(Effect.exit(chunkOf(get, numbered(100, "d"))))
      yield* Effect.yieldNow
      const rider = yield* Effect.forkChild(Effect.exit(get.one("d5", undefined)))
      yield* Effect.yieldNow
      yield* Deferred.succeed(gate, undefined)
      const chunkExit = yield* Fiber.join(chunk)
      const riderExit = yield* Fiber.join(rider)
      expect(Exit.isFailure(chunkExit) && Cause.hasDies(chunkExit.cause)).toBe(true)
      expect(Exit.isFailure(riderExit) && Cause.hasDies(riderExit.cause)).toBe(true)
      expect(accountsOf(calls)).toEqual([numbered(100, "d")])
    }))
})

describe("options", () => {
  it("a batch size or concurrency that is not a positive integer is refused, naming it", () => {
    expect(() => BatchOptions.engine({ maxBatchSize: 0 })).toThrow("maxBatchSize must be a positive integer, got 0")
    expect(() => BatchOptions.engine({ maxBatchSize: Number.NaN })).toThrow(RangeError)
    expect(() => BatchOptions.engine({ concurrency: 1.5 })).toThrow("concurrency must be a positive integer, got 1.5")
    expect(BatchOptions.engine({ maxBatchSize: 500 }).maxPerCall).toBe(100)
  })
})

describe("many inputs", () => {
  it.effect("outcomes come back in input order, refusals in their place, duplicates once", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup()
      const inputs = ["a", "", "bad", 42, "a", "b", ...numbered(150, "m")] as Array<string>
      const outcomes = yield* Effect.forkChild(Many.run(Many.ofAccounts(inputs), get))
      yield* TestClock.adjust("5 millis")
      const map = yield* Fiber.join(outcomes)
      expect([...map.keys()]).toEqual([...new Set(inputs)])
      expect(map.get("a")).toEqual(Result.succeed("v:a"))
      expect(map.get("")).toMatchObject({ failure: { _tag: "TimValidationError" } })
      expect(map.get(42 as never)).toMatchObject({ failure: { _tag: "TimValidationError" } })
      expect(map.get("bad")).toMatchObject({ failure: { _tag: "TimAccountError" } })
      expect(calls.flatMap((c) => c.accounts).sort()).toEqual(["a", "b", "bad", ...numbered(150, "m")].sort())
      expect(calls.length).toBe(2)
    }))
})

describe("hedging", () => {
  /** 39 calls of 10 ms (p99 10 ms: hedge after 50 ms), then a chunk whose calls take `slow(k)` (k = 0 primary, 1, 2 hedges). */
  const slowChunk = (slow: (k: number) => Duration.Input) =>
    Effect.gen(function*() {
      const setupDone = yield* setup({
        hedging: { minDelay: Duration.millis(50), factor: 2, budget: 0.5, minSamples: 32 },
        delay: (n) => n >= 40 ? slow(n - 40) : "10 millis"
      })
      for (let i = 0; i < 39; i++) {
        const fiber = yield* Effect.forkChild(chunkOf(setupDone.get, numbered(100, `w${i}-`)))
        yield* TestClock.adjust("10 millis")
        yield* Fiber.join(fiber)
      }
      return { ...setupDone, slow: yield* Effect.forkChild(chunkOf(setupDone.get, numbered(100, "slow"))) }
    })

  it.effect("a lookup much slower than the recent p99 gets one hedge, and the first answer wins", () =>
    Effect.gen(function*() {
      const { calls, slow } = yield* slowChunk((k) => k === 0 ? "60 seconds" : "10 millis")
      yield* TestClock.adjust("49 millis")
      expect(calls.length).toBe(40)
      yield* TestClock.adjust("1 millis")
      expect(calls.length).toBe(41)
      yield* TestClock.adjust("10 millis")
      const results = yield* Fiber.join(slow)
      expect(results.get("slow3")).toBe("v:slow3")
      expect(calls.at(-1)!.accounts).toEqual(calls.at(-2)!.accounts)
    }))

  it.effect("a hedge that is slow too gets one more hedge, which can win", () =>
    Effect.gen(function*() {
      const { calls, slow } = yield* slowChunk((k) => k < 2 ? "60 seconds" : "10 millis")
      yield* TestClock.adjust("99 millis")
      expect(calls.length).toBe(41)
      yield* TestClock.adjust("1 millis")
      expect(calls.length).toBe(42)
      yield* TestClock.adjust("10 millis")
      expect((yield* Fiber.join(slow)).get("slow3")).toBe("v:slow3")
    }))

  it.effect("at most two hedges per call", () =>
    Effect.gen(function*() {
      const { calls, slow } = yield* slowChunk(() => "60 seconds")
      yield* TestClock.adjust("1 second")
      expect(calls.length).toBe(42)
      yield* TestClock.adjust("60 seconds")
      expect((yield* Fiber.join(slow)).get("slow3")).toBe("v:slow3")
      expect(calls.length).toBe(42)
    }))

  it.effect("a lookup that starts before any latency is known is not hedged; a write never", () =>
    Effect.gen(function*() {
      const { calls, get, put } = yield* setup({
        hedging: { minDelay: Duration.millis(1), factor: 1, budget: 1, minSamples: 32 },
        delay: () => "2 seconds"
      })
      const read = yield* Effect.forkChild(chunkOf(get, numbered(100, "r")))
      const write = yield* Effect.forkChild(put.chunk(numbered(100, "w"), new Array(100), {
        succeed: () => {},
        fail: () => {}
      }))
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(read)
      yield* Fiber.join(write)
      expect(calls.length).toBe(2)
      expect(Exit.isSuccess(yield* Fiber.await(read))).toBe(true)
    }))

  it.effect("once one latency is known but fewer than minSamples, a slow lookup is hedged after 1 s", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup({
        hedging: { minDelay: Duration.millis(1), factor: 1, budget: 1, minSamples: 32 },
        delay: (n) => n === 1 ? "10 millis" : "2 seconds"
      })
      const first = yield* Effect.forkChild(chunkOf(get, numbered(100, "a")))
      yield* TestClock.adjust("10 millis")
      yield* Fiber.join(first)
      const slow = yield* Effect.forkChild(chunkOf(get, numbered(100, "r")))
      yield* TestClock.adjust("999 millis")
      expect(calls.length).toBe(2)
      yield* TestClock.adjust("1 millis")
      expect(calls.length).toBe(3)
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(slow)).get("r3")).toBe("v:r3")
      expect(calls.length).toBe(3)
    }))

  it.effect("the hedge delay counts from the latest attempt: a retried lookup is not hedged just after its retry", () =>
    Effect.gen(function*() {
      // The first call answers in 10 ms (p99 10 ms: hedge after 50 ms); the second is retried after
      // 40 ms and answers 60 ms after its retry; the hedge, if any, would take 60 s.
      const { calls, get } = yield* setup({
        hedging: { minDelay: Duration.millis(50), factor: 2, budget: 1, minSamples: 1 },
        delay: (n) => n === 1 ? "10 millis" : n === 2 ? "60 millis" : "60 seconds",
        retryAfter: (n) => n === 2 ? "40 millis" : undefined
      })
      const first = yield* Effect.forkChild(chunkOf(get, numbered(100, "a")))
      yield* TestClock.adjust("10 millis")
      yield* Fiber.join(first)
      const retried = yield* Effect.forkChild(chunkOf(get, numbered(100, "b")))
      yield* TestClock.adjust("89 millis")
      expect(calls.length).toBe(2)
      yield* TestClock.adjust("1 millis")
      expect(calls.length).toBe(3)
      yield* TestClock.adjust("10 millis")
      expect((yield* Fiber.join(retried)).get("b7")).toBe("v:b7")
    }))
})

describe("streams", () => {
  /** `count` accounts (or the given ones) through `runner`, 2 calls in flight, 500 accounts ahead. */
  const streamOf = (
    runner: Engine.Runner<void, string>,
    inputs: number | Stream.Stream<string>,
    options: Partial<Streams.Options<never>> = {}
  ) =>
    Streams.stream<string, never, never, never>(
      runner,
      typeof inputs === "number" ? Stream.range(0, inputs - 1).pipe(Stream.map((i) => `s${i}`)) : inputs,
      { concurrency: 2, readAhead: 500, order: "input", onProgress: undefined, ...options }
    )

  const collecting = (stream: Stream.Stream<{ readonly account: string }>) =>
    Effect.gen(function*() {
      const out: Array<string> = []
      const fiber = yield* Effect.forkChild(
        Stream.runForEach(stream, (item) => Effect.sync(() => out.push(item.account)))
      )
      return { out, fiber }
    })

  it.effect("in input order, calls go on past a slow chunk for readAhead accounts, and nothing comes out of order", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup({ delay: (n) => n === 1 ? "10 seconds" : "10 millis" })
      const { fiber, out } = yield* collecting(streamOf(get, 2_000))
      yield* TestClock.adjust("1 second")
      // The slow first chunk and the 4 behind it (500 accounts) are fetched; nothing comes out before the first.
      expect(calls.length).toBe(5)
      expect(out.length).toBe(0)
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(out).toEqual(Array.from({ length: 2_000 }, (_, i) => `s${i}`))
      expect(calls.length).toBe(20)
    }))

  it.effect("by default a stream reads ahead 16 calls' worth per call in flight (the 5 s timeout at the default rate)", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup({ delay: (n) => n === 1 ? "10 seconds" : "10 millis" })
      const { fiber, out } = yield* collecting(
        streamOf(get, 5_000, BatchOptions.stream({ concurrency: 2, maxPerCall: 100 }))
      )
      yield* TestClock.adjust("1 second")
      expect(calls.length).toBe(32)
      expect(out.length).toBe(0)
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(out.length).toBe(5_000)
    }))

  it.effect("inputs are read only as calls may start, not ahead of them", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup({ delay: () => "10 seconds" })
      let pulled = 0
      const inputs = Stream.range(0, 1_999, 1).pipe(Stream.map((i) => {
        pulled++
        return `s${i}`
      }))
      const { fiber } = yield* collecting(streamOf(get, inputs))
      yield* TestClock.adjust("1 second")
      // Two calls in flight, one chunk waiting for a permit.
      expect(calls.length).toBe(2)
      expect(pulled).toBeLessThanOrEqual(300)
      yield* TestClock.adjust("100 seconds")
      yield* Fiber.join(fiber)
      expect(pulled).toBe(2_000)
    }))

  it.effect("in completion order, chunks come out as they are done, each account once", () =>
    Effect.gen(function*() {
      const { calls, get } = yield* setup({ delay: (n) => n === 1 ? "10 seconds" : "10 millis" })
      const { fiber, out } = yield* collecting(streamOf(get, 2_000, { order: "completion" }))
      yield* TestClock.adjust("1 second")
      expect(calls.length).toBe(20)
      expect(out.length).toBe(1_900)
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(out.slice(1_900)).toEqual(Array.from({ length: 100 }, (_, i) => `s${i}`))
      expect(new Set(out).size).toBe(2_000)
    }))
})

describe("read answers", () => {
  const attrs = keyedAnswer("UserAttrs", "Attrs", Read.record(Read.string, 10), {})
  const ok = { ActionStatus: "OK", ErrorCode: 0 }

  it.effect("values are read without building paths, and a wrong entry is named by its place", () =>
    Effect.sync(() => {
      expect(get.answer.decode({ ...ok, Values: [{ To_Account: "a", Value: "x" }, { To_Account: "b" }] }))
        .toMatchObject(
          Result.succeed({ ...ok, keys: ["a", "b"], values: ["x", ""] })
        )
      expect(get.answer.decode({ ...ok, Values: [{ To_Account: "a" }, { To_Account: 7 }] })).toEqual(
        Result.fail("expected a string at Values[1].To_Account")
      )
      expect(get.answer.decode({ ...ok, Values: [{ To_Account: "a" }, "b"] })).toEqual(
        Result.fail("expected an object at Values[1]")
      )
      expect(
        attrs.decode({
          ...ok,
          UserAttrs: [{ To_Account: "a", Attrs: { city: "x" } }, { To_Account: "b", Attrs: { tier: 1 } }]
        })
      )
        .toEqual(Result.fail("expected a string at UserAttrs[1].Attrs.tier"))
      const nested = Read.array(Read.array(Read.string, 3), 3)
      expect(Read.decode((fields) => nested(fields.list, "list"), { list: [[], ["a", 2]] })).toEqual(
        Result.fail("expected a string at list[1][1]")
      )
    }))
})
