/** The NTP-style bounds that map Redis's clock onto the process clock. */
import { describe, expect, it } from "@effect/vitest"
import { makeClockMap } from "../src/internal/clockMap.js"

describe("clockMap", () => {
  it("keeps the tightest bounds of the round trips", () => {
    const clock = makeClockMap()
    // Redis is 1000 ms ahead. A slow round trip (sent 0, received 40, Redis read 1020), then a fast one.
    clock.observe(1020, 0, 40)
    expect([clock.lower(), clock.upper()]).toEqual([980, 1021])
    clock.observe(1100, 100, 101)
    expect([clock.lower(), clock.upper()]).toEqual([999, 1001])
    // A later slow sample does not loosen them.
    clock.observe(1230, 200, 260)
    expect([clock.lower(), clock.upper()]).toEqual([999, 1001])
  })

  it("starts over when a sample contradicts the bounds (a clock stepped)", () => {
    const clock = makeClockMap()
    clock.observe(1100, 100, 101)
    // Redis's clock stepped back 500 ms: [sent, received] → offset about 500, outside [999, 1001].
    clock.observe(700, 200, 202)
    expect([clock.lower(), clock.upper()]).toEqual([498, 501])
  })

  it("forgets samples older than two periods, so drift is followed", () => {
    const clock = makeClockMap()
    clock.observe(1100, 100, 101) // [999, 1001]
    clock.observe(7100, 6100, 6103) // new period: [997, 1001]; the old one still counts
    expect([clock.lower(), clock.upper()]).toEqual([999, 1001])
    clock.observe(13_100, 12_100, 12_103) // another: the first period is dropped
    expect([clock.lower(), clock.upper()]).toEqual([997, 1001])
  })
})
