/**
 * The rate limit's modes: counting at arrival (`stampAtArrival`), counting refused calls (`countRefused`), and
 * the arrival jitter (`arrivalJitter`), each against the lenient behaviour, over real HTTP on loopback.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Random from "effect/Random"
import * as TestClock from "effect/testing/TestClock"
import type * as Emulator from "../src/Emulator.js"
import { call, codeOf, emulator, postHeld, restUrl } from "./helpers.js"

const getTag = { To_Account: ["alice"] }
const seed = { alice: [] }

/** The `get_tag` error code of a call tagged with `random`. */
const knock = (baseUrl: string, random = 12345) =>
  Effect.map(call(baseUrl, "timpush/get_tag", getTag, { query: { random: String(random) } }), codeOf)

/** A `get_tag` whose body waits until the server asks for it (see `postHeld`). */
const heldBody = (baseUrl: string, random: number) =>
  Effect.flatMap(
    restUrl(baseUrl, "timpush/get_tag", { random: String(random) }),
    (url) => postHeld(url, JSON.stringify(getTag))
  )

/** Draws halfway, as a fallback. */
const halfway: Random.Random = { nextIntUnsafe: () => 0, nextDoubleUnsafe: () => 0.5 }

/**
 * A `Random` that answers `doubles` in turn (then asks `fallback`), and lets a test wait until it has been asked
 * `n` times: the emulator asks once per call, as the call arrives, so that is when `n` calls have arrived.
 */
const scriptedRandom = (doubles: ReadonlyArray<number>, fallback: Random.Random = halfway) => {
  let asked = 0
  let waiting: Array<{ readonly n: number; readonly wake: () => void }> = []
  const random: Random.Random = {
    nextIntUnsafe: () => fallback.nextIntUnsafe(),
    nextDoubleUnsafe: () => {
      const value = asked < doubles.length ? doubles[asked]! : fallback.nextDoubleUnsafe()
      asked++
      const due = waiting.filter((w) => w.n <= asked)
      waiting = waiting.filter((w) => w.n > asked)
      for (const w of due) w.wake()
      return value
    }
  }
  const askedTimes = (n: number) =>
    Effect.promise(() =>
      new Promise<void>((wake) => {
        if (asked >= n) wake()
        else waiting.push({ n, wake })
      })
    )
  return { random, askedTimes }
}

/** The double that makes `Random.nextIntBetween(0, max)` draw `delay`. */
const drawing = (delay: number, max: number) => (delay + 0.5) / (max + 1)

/** Sends a `get_tag` tagged with each of `randoms`, each once the one before has arrived; their fibers. */
const arriveInOrder = (
  baseUrl: string,
  randoms: ReadonlyArray<number>,
  askedTimes: (n: number) => Effect.Effect<void>
) =>
  Effect.forEach(
    randoms,
    (random, i) => Effect.forkChild(knock(baseUrl, random)).pipe(Effect.tap(() => askedTimes(i + 1)))
  )

/** An emulator whose handlers draw from `random`. */
const emulatorWith = (random: Random.Random, options: Partial<Emulator.EmulatorOptions>) =>
  emulator(options).pipe(Effect.provideService(Random.Random, random))

describe("stampAtArrival", () => {
  /**
   * A call whose body is slow arrives first (t=0); a quick one arrives at t=300; the slow body comes last. The
   * stamps are the same in both modes (Effect's handler starts in the same `'request'` event the arrival stamp
   * is taken in); what differs is when a call is counted, and so which one of the two the limit of 1 refuses.
   */
  const race = (stampAtArrival: boolean) =>
    Effect.gen(function*() {
      const emu = yield* emulator({ rateLimit: 1, stampAtArrival, seed })
      const slow = yield* heldBody(emu.baseUrl, 1)
      yield* TestClock.adjust("300 millis")
      const quick = yield* knock(emu.baseUrl, 2)
      const late = codeOf(yield* Effect.promise(slow.send))
      const calls = (yield* emu.calls).map((c) => [c.random, c.at, c.rateLimited])
      return { slow: late, quick, calls }
    })

  it.effect("on (default): a call counts as it arrives, before its body is read, in arrival order", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* race(true), {
        slow: 0,
        quick: 60007,
        calls: [[2, 300, true], [1, 0, false]] // answer order
      })
    }))

  it.effect("off: a call counts once its body is in, so a quick later call overtakes a slow earlier one", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* race(false), {
        slow: 60007,
        quick: 0,
        calls: [[2, 300, false], [1, 0, true]]
      })
    }))

  it.live("the stamp is the arrival's wall-clock time under the live Clock", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      const before = Date.now()
      assert.strictEqual(yield* knock(emu.baseUrl), 0)
      const after = Date.now()
      const [only] = yield* emu.calls
      assert.isAtLeast(only!.at, before)
      assert.isAtMost(only!.at, after)
    }))
})

describe("countRefused", () => {
  /** With a limit of 2: two calls at t=0, then a retry every 100 ms up to t=1500; the retries' codes. */
  const retries = (countRefused: boolean) =>
    Effect.gen(function*() {
      const emu = yield* emulator({ rateLimit: 2, countRefused, seed })
      assert.deepStrictEqual([yield* knock(emu.baseUrl), yield* knock(emu.baseUrl)], [0, 0])
      const codes: Array<number> = []
      for (let t = 100; t <= 1500; t += 100) {
        yield* TestClock.adjust("100 millis")
        codes.push(yield* knock(emu.baseUrl))
      }
      return { emu, codes }
    })

  it.effect("on (default): a client retrying at once stays refused until it calls less often than the limit", () =>
    Effect.gen(function*() {
      const { codes, emu } = yield* retries(true)
      assert.deepStrictEqual(codes, Array(15).fill(60007))
      yield* TestClock.adjust("800 millis") // t=2300: the retries at t=1400 and 1500 still fill the window
      assert.strictEqual(yield* knock(emu.baseUrl), 60007)
      yield* TestClock.adjust("1 second") // t=3300: the window is empty
      assert.deepStrictEqual([yield* knock(emu.baseUrl), yield* knock(emu.baseUrl)], [0, 0])
      const { maxInAnySecond } = yield* emu.stats
      assert.deepStrictEqual(maxInAnySecond.get_tag, { received: 11, accepted: 2 })
    }))

  it.effect("off: refused calls are forgotten, so the retries get through once the first two leave the window", () =>
    Effect.gen(function*() {
      const { codes } = yield* retries(false)
      // t=100..900 refused; t=1000 and 1100 accepted (the calls at t=0 left); t=1200..1500 refused again
      assert.deepStrictEqual(codes, [...Array(9).fill(60007), 0, 0, ...Array(4).fill(60007)])
    }))

  it.effect("can be switched while running; the rateLimited flag is the same in both modes", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ rateLimit: 1, seed })
      yield* emu.setRateLimit({ countRefused: false })
      assert.strictEqual(yield* knock(emu.baseUrl), 0) // t=0
      yield* TestClock.adjust("500 millis")
      assert.strictEqual(yield* knock(emu.baseUrl), 60007)
      yield* TestClock.adjust("500 millis")
      assert.strictEqual(yield* knock(emu.baseUrl), 0) // t=1000: the refused call at t=500 was not counted
      yield* emu.setRateLimit({ countRefused: true })
      yield* TestClock.adjust("500 millis")
      assert.strictEqual(yield* knock(emu.baseUrl), 60007)
      yield* TestClock.adjust("500 millis")
      assert.strictEqual(yield* knock(emu.baseUrl), 60007) // t=2000: the refused call at t=1500 counts
      assert.deepStrictEqual((yield* emu.calls).map((c) => c.rateLimited), [false, true, false, true, true])
    }))
})

describe("arrivalJitter", () => {
  it.effect("each call is held 0..N ms, stamped arrival + delay, and counted in that order", () =>
    Effect.gen(function*() {
      const jitter = 30
      const delays = [30, 0, 10, 20] // of calls 1, 2, 3, 4, which arrive in that order at t=1000
      const { askedTimes, random } = scriptedRandom(delays.map((d) => drawing(d, jitter)))
      const emu = yield* emulatorWith(random, { rateLimit: 2, arrivalJitter: jitter, seed })
      yield* TestClock.setTime(1000)
      const [first, second, third, fourth] = yield* arriveInOrder(emu.baseUrl, [1, 2, 3, 4], askedTimes)
      assert.strictEqual(yield* Fiber.join(second!), 0) // no delay: counted and answered at once
      yield* TestClock.adjust("29 millis")
      // Counted at 1010 and 1020: call 3 takes the second place, call 4 is refused.
      assert.deepStrictEqual([yield* Fiber.join(third!), yield* Fiber.join(fourth!)], [0, 60007])
      assert.strictEqual((yield* emu.calls).length, 3) // call 1 is still held
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* Fiber.join(first!), 60007) // the first to arrive, the last counted
      const calls = [...yield* emu.calls].sort((a, b) => a.at - b.at)
      assert.deepStrictEqual(calls.map((c) => [c.random, c.at, c.rateLimited]), [
        [2, 1000, false],
        [3, 1010, false],
        [4, 1020, true],
        [1, 1030, true]
      ])
    }))

  it.effect("delays are whole milliseconds from 0 to N inclusive, drawn from Effect's Random", () =>
    Effect.gen(function*() {
      const jitter = 50
      const { askedTimes, random } = scriptedRandom([0, 0.999999, drawing(25, jitter)])
      const emu = yield* emulatorWith(random, { rateLimit: Infinity, arrivalJitter: jitter, seed })
      yield* TestClock.setTime(5000)
      const fibers = yield* arriveInOrder(emu.baseUrl, [1, 2, 3], askedTimes)
      yield* TestClock.adjust(`${jitter} millis`)
      assert.deepStrictEqual(yield* Fiber.joinAll(fibers), [0, 0, 0])
      const at = Object.fromEntries((yield* emu.calls).map((c) => [c.random, c.at]))
      assert.deepStrictEqual(at, { 1: 5000, 2: 5050, 3: 5025 }) // the bounds, and the middle
    }))

  it.effect("with a seeded Random, every stamp is a whole millisecond in [arrival, arrival + N]", () =>
    Effect.gen(function*() {
      const jitter = 40
      const seeded = yield* Effect.gen(function*() {
        return yield* Random.Random
      }).pipe(Random.withSeed("jitter"))
      const { askedTimes, random } = scriptedRandom([], seeded)
      const emu = yield* emulatorWith(random, { rateLimit: Infinity, arrivalJitter: jitter, seed })
      yield* TestClock.setTime(7000)
      const fibers = yield* Effect.forEach(
        Array.from({ length: 20 }, (_, i) => i),
        (i) => Effect.forkChild(knock(emu.baseUrl, i))
      )
      yield* askedTimes(20)
      yield* TestClock.adjust(`${jitter} millis`)
      yield* Fiber.joinAll(fibers)
      const stamps = (yield* emu.calls).map((c) => c.at)
      assert.strictEqual(stamps.length, 20)
      for (const at of stamps) assert.isTrue(Number.isInteger(at) && at >= 7000 && at <= 7000 + jitter, String(at))
      assert.isAbove(new Set(stamps).size, 5) // spread out, not all at one end
    }))

  it.effect("off (0, the default): no call waits", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed })
      yield* TestClock.setTime(100)
      assert.deepStrictEqual([yield* knock(emu.baseUrl), yield* knock(emu.baseUrl)], [0, 0])
      assert.deepStrictEqual((yield* emu.calls).map((c) => c.at), [100, 100])
    }))
})
