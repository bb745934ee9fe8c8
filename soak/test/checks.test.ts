import type { CallLog } from "@timtags/emulator"
import { describe, expect, it } from "vitest"
import type { Row, RunData } from "../checks/data.js"
import * as Checks from "../checks/index.js"
import { intended } from "../checks/store.js"
import { fingerprint } from "../plan.js"
import type { Sample, Tally } from "../protocol.js"
import type { Incarnation } from "../supervisor.js"

const goAt = 1_700_000_000_000

const tally = (overrides: Partial<Tally> = {}): Tally => ({
  many: { getTagsMany: { calls: 2, requested: 8, outcomes: 8, missing: 0, extra: 0 } },
  requests: { issued: 5, resolved: 5 },
  ok: { tagLookups: 600, attrLookups: 300, tagWrites: 40, attrWrites: 20 },
  failed: {},
  contradictions: [],
  contradictionCount: 0,
  ...overrides
})

/** Ten samples, `every` ms apart (default 40 s: long enough to judge memory), with RSS `rss(i)` MiB. */
const samples = (
  rss: (i: number) => number = () => 100,
  last: Partial<Tally> = {},
  every = 40_000
): Array<Omit<Sample, "answers">> =>
  Array.from({ length: 10 }, (_, i) => ({
    at: goAt + (i + 1) * every,
    rssBytes: rss(i) * 2 ** 20,
    heapTotalBytes: 80 * 2 ** 20,
    heapUsedBytes: 50 * 2 ** 20,
    externalBytes: 5 * 2 ** 20,
    resources: { TCPSocketWrap: 4, Timeout: 12 },
    lagP99Millis: 10,
    lagMaxMillis: 20,
    tally: i === 9
      ? tally(last)
      : tally({ ok: { tagLookups: 60 * i, attrLookups: 30 * i, tagWrites: 4 * i, attrWrites: 2 * i } })
  }))

const worker = (overrides: Partial<Incarnation> = {}): Incarnation => ({
  slot: 0,
  incarnation: 0,
  pid: 1,
  startedAt: goAt - 1000,
  readyAt: goAt - 500,
  lastRoundStarted: 3,
  samples: samples(),
  report: { lastRound: 3, unresolved: [], pending: 0, lagP99Millis: 11, warnings: {} },
  exit: { code: 0, signal: null, killed: false },
  output: "",
  ...overrides
})

/** `count` get_tag arrivals `spacing` ms apart from `from` (ms after go). */
const arrivals = (count: number, from: number, spacing: number): Array<CallLog.CallRecord> =>
  Array.from({ length: count }, (_, i) => ({
    command: "get_tag",
    at: goAt + from + i * spacing,
    random: 1,
    accounts: 100,
    errorCode: 0,
    httpStatus: 200,
    rateLimited: false
  }))

/** A consistent run of one worker: the store as intended, every answer equal to it. */
const run = (overrides: Partial<RunData> = {}): RunData => {
  const base: RunData = {
    options: { durationMillis: 400_000, processes: 1, faultRate: 0.1, disruptions: [], out: "x" },
    population: { lookups: 3, attrs: 2, ghosts: 1, perWorker: 2 },
    limit: 100,
    goAt,
    stoppedAt: 400_000,
    endedAt: 402_000,
    disruptions: [],
    calls: [...arrivals(100, 0, 9), ...arrivals(100, 1000, 9)],
    workers: [worker()],
    answers: new Map(),
    crossContradictions: [],
    crossContradictionCount: 0,
    store: {}
  }
  const store = Object.fromEntries(intended({ ...base, ...overrides }).accounts)
  const answers = new Map(
    Object.entries(store).filter(([account]) => !account.startsWith("sw")).map(([account, held]) =>
      [
        `${account.startsWith("sa") ? "attrs" : "tags"}:${account}`,
        held === null
          ? fingerprint.unknown
          : account.startsWith("sa")
          ? fingerprint.attrs(held.attrs)
          : fingerprint.tags(held.tags)
      ] as const
    )
  )
  return { ...base, store, answers, ...overrides }
}

const failed = (rows: ReadonlyArray<Row>) => rows.filter((r) => r.verdict === "FAIL").map((r) => r.check)

describe("the soak's checks", () => {
  it("a consistent run passes every check", () => {
    const rows = Checks.all(run())
    expect(failed(rows)).toEqual([])
    expect(Checks.table(rows)).toContain(
      "| Every answer is right (compared with the emulator's store) | 6 accounts answered"
    )
  })

  it("an account without an outcome, or a request that never ended, fails the outcome check", () => {
    const missing = run({
      workers: [
        worker({
          samples: samples(undefined, {
            many: { getTagsMany: { calls: 1, requested: 4, outcomes: 3, missing: 1, extra: 0 } }
          })
        })
      ]
    })
    expect(failed(Checks.all(missing))).toEqual(["Every requested account gets exactly one outcome"])
    const hung = run({
      workers: [worker({ report: { lastRound: 3, unresolved: [], pending: 1, lagP99Millis: 1, warnings: {} } })]
    })
    expect(failed(Checks.all(hung))).toEqual(["Every requested account gets exactly one outcome"])
  })

  it("an answer that differs from the store, or from an earlier answer, fails the answer check", () => {
    const good = run()
    const wrong = new Map(good.answers).set("tags:sl0000001", fingerprint.tags(["vip"]))
    expect(failed(Checks.all({ ...good, answers: wrong }))).toEqual([
      "Every answer is right (compared with the emulator's store)"
    ])
    const changed = { ...good, crossContradictionCount: 1, crossContradictions: [{ key: "k", first: "a", then: "b" }] }
    expect(failed(Checks.all(changed))).toEqual(["Every answer is right (compared with the emulator's store)"])
  })

  it("a store that lost a write, or a worker that never reported its last round, fails the store check", () => {
    const good = run()
    const lost = {
      ...good.store,
      "sw0-0000001": { tags: ["soak-2"], attrs: { "round-odd": "r3", "round-even": "r2" } }
    }
    expect(failed(Checks.all({ ...good, store: lost }))).toEqual([
      "After the run the store equals what the writes intended"
    ])
    const { report: _, ...silent } = worker()
    expect(failed(Checks.all(run({ workers: [silent] })))).toEqual([
      "Every requested account gets exactly one outcome",
      "Workers",
      "After the run the store equals what the writes intended"
    ])
  })

  it("101 arrivals of one command in a sliding second fail the limit check; 100 in each of two seconds do not", () => {
    const over = run({ calls: [...arrivals(100, 0, 9), ...arrivals(1, 995, 1)] })
    expect(failed(Checks.all(over))).toEqual(["≤ 100 arrivals per sliding second per command: whole run"])
    const disrupted = run({
      disruptions: [{ kind: "redis-pause", label: "Redis paused 10 s", from: 0, to: 500 }],
      calls: [...arrivals(100, 0, 9), ...arrivals(1, 995, 1)]
    })
    expect(failed(Checks.all(disrupted))).toEqual([
      "≤ 100 arrivals per sliding second per command: whole run",
      "≤ 100 arrivals per sliding second per command: Redis paused 10 s (0–11 s)"
    ])
  })

  it("RSS that grows by more than 10 % between the first and the last third fails the memory check", () => {
    const rssRow = "RSS flat after 2 min of warm-up: mean of the last third within 10 % of the first third's"
    const grows = run({ workers: [worker({ samples: samples((i) => 100 + i * 4) })] })
    expect(failed(Checks.all(grows))).toEqual([rssRow])
    const steady = run({ workers: [worker({ samples: samples((i) => 100 + (i % 2) * 5) })] })
    expect(failed(Checks.all(steady))).toEqual([])
    // Growth in the first two minutes only (the heap sizing up) is warm-up: reported, not held against it.
    const warming = Checks.all(run({ workers: [worker({ samples: samples((i) => (i < 3 ? 50 : 100)) })] }))
    expect(failed(warming)).toEqual([])
    expect(warming.find((r) => r.check === rssRow)?.result).toContain("over its whole life 62.5 → 100.0, +60.0 %")
    // Sampled for 50 s only: reported, not judged.
    const young = Checks.all(run({ workers: [worker({ samples: samples((i) => (i < 5 ? 100 : 115), {}, 5000) })] }))
    expect(failed(young)).toEqual([])
    expect(young.find((r) => r.check === rssRow)).toMatchObject({
      verdict: "info",
      result: expect.stringContaining("(not judged: worker 0 sampled for under 150 s after warming up)")
    })
  })

  it("sockets or handles that keep growing fail the handle check", () => {
    const leaky = samples().map((s, i) => ({ ...s, resources: { TCPSocketWrap: 4 + i * 3, Timeout: 12 } }))
    expect(failed(Checks.all(run({ workers: [worker({ samples: leaky })] })))).toEqual([
      "Sockets and handles flat: last third's mean ≤ first third's most + 10 % + 1"
    ])
  })

  it("throughput counts successes per second, split between calm and disrupted time", () => {
    const rows = Checks.all(run({ disruptions: [{ kind: "redis-restart", label: "Redis", from: 60_000, to: 60_000 }] }))
    // 60 tag lookups per 40-s sample (1.5/s) until the last one; 60–70 s is disrupted.
    const tags = rows.find((r) => r.check === "Throughput: tag lookups (get_tag)")!
    expect(rows.find((r) => r.check === "Accounts per successful call (at most 100)")?.result).toBe(
      "get_tag 100.0 (200 calls)"
    )
    expect(tags.result).toMatch(/^calm \d+\/s \(\d+\.\d % of 10,000\); disrupted 2\/s \(0\.0 %\)/)
  })
})
