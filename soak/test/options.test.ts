import { describe, expect, it } from "vitest"
import { parse, parseDuration } from "../options.js"

describe("options", () => {
  it("defaults: 4 processes, 10 minutes, 10 % faults, every disruption", () => {
    expect(parse([])).toEqual({
      durationMillis: 600_000,
      processes: 4,
      faultRate: 0.1,
      disruptions: ["redis-restart", "redis-pause", "worker-kill"],
      out: "soak/results/latest"
    })
  })

  it("--smoke: 60 s with one Redis restart, written apart; flags still override it", () => {
    expect(parse(["--smoke"])).toMatchObject({
      durationMillis: 60_000,
      disruptions: ["redis-restart"],
      out: "soak/results/smoke"
    })
    expect(parse(["--", "--smoke", "--duration=90s", "--processes", "2"])).toMatchObject({
      durationMillis: 90_000,
      processes: 2
    })
    expect(parse(["--disruptions", "none"]).disruptions).toEqual([])
  })

  it("durations in ms, s, m, h or plain seconds", () => {
    expect([
      parseDuration("250ms"),
      parseDuration("90s"),
      parseDuration("10m"),
      parseDuration("1h"),
      parseDuration("45")
    ])
      .toEqual([250, 90_000, 600_000, 3_600_000, 45_000])
    expect(parseDuration("ten minutes")).toBeUndefined()
  })

  it("a bad value names the flag and shows the usage", () => {
    expect(() => parse(["--duration", "soon"])).toThrow(/--duration.*\n.*usage: pnpm soak/)
    expect(() => parse(["--processes", "0"])).toThrow(/--processes/)
    expect(() => parse(["--fault-rate", "1"])).toThrow(/--fault-rate/)
    expect(() => parse(["--disruptions", "redis-restart,meteor"])).toThrow(/meteor is not one of/)
    expect(() => parse(["--colour", "red"])).toThrow(/unknown option --colour/)
    expect(() => parse(["--processes"])).toThrow(/--processes needs a value/)
  })
})
