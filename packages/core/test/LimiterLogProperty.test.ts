/**
 * The limiter's arithmetic (`internal/limiterLog.ts`) as a property: whatever order the writes of its calls
 * are confirmed in (a request may wait for a connection while later ones are written), no window of
 * `windowMillis` holds more than `limit` starts, each start being the moment its write was confirmed.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Schema from "effect/Schema"
import * as LimiterLog from "../src/internal/limiterLog.js"

/** Per call: how long its write takes after it was let go (ms), and how long the caller waits before asking again. */
const call = Schema.Struct({
  writeDelay: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 400 })),
  gap: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 30 }))
})
const calls = Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 20, maximum: 200 }))).pipe(
  Arbitrary.flatMap((n) => Arbitrary.array(Arbitrary.schema(call), { minLength: n, maxLength: n }))
)

/** Runs the calls through a log on a simulated clock; returns the confirmed starts. */
const simulate = (limit: number, windowMillis: number, plan: ReadonlyArray<typeof call.Type>) => {
  const log = LimiterLog.make(limit, windowMillis, Math.min(limit, 4))
  const writes: Array<{ slot: number; at: number }> = []
  const starts: Array<number> = []
  let now = 0
  const confirmUpTo = (time: number) => {
    writes.sort((a, b) => a.at - b.at)
    while (writes.length > 0 && writes[0]!.at <= time) {
      const write = writes.shift()!
      log.started(write.slot, write.at)
      starts.push(write.at)
    }
  }
  for (const { gap, writeDelay } of plan) {
    now += gap
    for (;;) {
      confirmUpTo(now)
      const slot = log.take(now)
      if (slot !== undefined) {
        writes.push({ slot, at: now + writeDelay })
        break
      }
      // Wait for the limiter, or for the next write, whichever comes first (a confirmation may free a slot).
      const next = Math.min(log.earliest(now), writes.length > 0 ? Math.min(...writes.map((w) => w.at)) : Infinity)
      now = Math.max(now + 1, Math.ceil(next))
    }
  }
  confirmUpTo(Infinity)
  return starts.sort((a, b) => a - b)
}

/** The most starts in any half-open window `[t, t + windowMillis)`. */
const busiest = (starts: ReadonlyArray<number>, windowMillis: number) => {
  let most = 0
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (starts[i]! - starts[j]! >= windowMillis) j++
    most = Math.max(most, i - j + 1)
  }
  return most
}

describe("LimiterLog", () => {
  it.prop("whatever order writes are confirmed in, no window holds more than the limit", [calls], ([plan]) => {
    const starts = simulate(5, 100, plan)
    expect(starts).toHaveLength(plan.length)
    expect(busiest(starts, 100)).toBeLessThanOrEqual(5)
  }, { arbitrary: { runs: 1000 } })
})
