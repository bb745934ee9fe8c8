/**
 * Tail tolerance: `getTagsStream` over 60,000 seeded accounts against the strict emulator at its cap of
 * 100 calls per sliding second (stamped on arrival, refusals counted, 0–30 ms of arrival jitter), with the
 * client's defaults, as a user would run it, under three server behaviours:
 *
 * 1. no faults;
 * 2. 10 % fast faults: of all `get_tag` calls, 1 in 30 each answers an HTML 502, answers 91000, or has
 *    its connection reset (each retried by the client);
 * 3. 1 % of answers slower than the client's request timeout (`Delay` of timeout + 1 s), nothing else.
 *
 * Each runs in input order (the default) and again with `order: "completion"`, each on a fresh client.
 * The rate is accounts out of the stream ÷ the stream's wall time, against the ceiling of 100 calls × 100
 * accounts = 10,000/s (the client's limiter keeps a 40 ms margin per window, so ~96 % is its own ceiling).
 * Every account is counted as it comes out: each must come out exactly once. The client's requests are
 * recorded (`requestLog.ts`), so hedges (a request sent while one with the same body is in flight), retries
 * and the longest pause between two outputs are reported too.
 */
import { TimConfig } from "@timtags/core"
import * as Duration from "effect/Duration"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { accountName, tagsFor } from "../accounts.js"
import { makeClient } from "../client.js"
import { type EmulatorProcess, withEmulator } from "../emulator.js"
import * as Faults from "../faults.js"
import { hedges, requestLog, writeTimes } from "../requestLog.js"
import type { Figure, Scenario } from "../Scenario.js"
import { median, percentile, round, scaled } from "../stats.js"
import { warmUp } from "../warmup.js"

const accountsCount = scaled(60_000)
const limit = 100
const ceiling = limit * 100
const jitter = 30
const target = 0.85
const timeoutMillis = Duration.toMillis(TimConfig.defaults.requestTimeout)
const prefix = "l"

/** One of the server's behaviours: the faults queued for `get_tag`. */
interface Behaviour {
  readonly name: string
  readonly faults: ReadonlyArray<unknown>
  /** Whether the ≥ 85 % target applies. */
  readonly judged: boolean
}

const behaviours: ReadonlyArray<Behaviour> = [
  { name: "no faults", faults: [], judged: false },
  {
    name: "10% fast faults",
    // A call spared by one fault goes on to the next: 1/30 of all calls each.
    faults: Faults.fast.map(({ fault }, k) => ({
      command: "get_tag",
      times: "Infinity",
      probability: Faults.chances(0.1, Faults.fast.length)[k],
      fault
    })),
    judged: false
  },
  {
    name: "1% slow answers",
    faults: [{
      command: "get_tag",
      times: "Infinity",
      probability: 0.01,
      fault: { _tag: "Delay", millis: timeoutMillis + 1000 }
    }],
    judged: true
  }
]

/** What one run measured. */
interface Run {
  readonly ms: number
  readonly failed: number
  /** Accounts that did not come out exactly once (missing, repeated or unknown). */
  readonly notOnce: number
  readonly refusals: number
  readonly requests: number
  readonly hedges: number
  /** Requests that waited out the client's request timeout (slow answers nobody hedged in time). */
  readonly timedOut: number
  /** Median time from a hedge's primary being sent to the hedge being sent. */
  readonly hedgeAfterMs: number
  readonly longestPauseMs: number
  /** From undici writing a request to the emulator's stamp of it (its 0–30 ms jitter included): p99 and max. */
  readonly stampLagMs: readonly [p99: number, max: number]
}

/** Streams every account once through a fresh client, with `behaviour`'s faults queued. */
const runOnce = async (
  emulator: EmulatorProcess,
  behaviour: Behaviour,
  order: "input" | "completion"
): Promise<Run> => {
  const log = requestLog()
  const client = await makeClient(emulator.baseUrl, { transformClient: log.transform })
  try {
    await client.run(client.tags.getTagsMany([accountName(prefix, 0)])) // connection and UserSig
    await new Promise((r) => setTimeout(r, 1100)) // out of both limiters' windows
    await emulator.clearFaults()
    for (const fault of behaviour.faults) await emulator.injectFault(fault)
    await emulator.resetCalls()
    log.records.length = 0
    const written = writeTimes()
    const counts = new Uint8Array(accountsCount)
    const accounts = Stream.range(0, accountsCount - 1).pipe(Stream.map((i) => accountName(prefix, i)))
    const start = performance.now()
    const out = await client.run(
      client.tags.getTagsStream(accounts, { order }).pipe(
        Stream.runFold(() => ({ failed: 0, unknown: 0, last: start, longestPause: 0 }), (acc, item) => {
          const i = Number(item.account.slice(prefix.length))
          if (Number.isInteger(i) && i >= 0 && i < accountsCount && counts[i]! < 255) counts[i]!++
          else acc.unknown++
          if (Result.isFailure(item.result)) acc.failed++
          const now = performance.now()
          acc.longestPause = Math.max(acc.longestPause, now - acc.last)
          acc.last = now
          return acc
        })
      )
    )
    const ms = performance.now() - start
    written.stop()
    await emulator.clearFaults()
    const stats = await emulator.stats()
    const lags = (await emulator.calls()).flatMap((c) => {
      const at = written.times.get(String(c.random))
      return at === undefined ? [] : [c.at - at]
    })
    const hedged = hedges(log.records)
    return {
      ms,
      failed: out.failed,
      notOnce: out.unknown + counts.reduce((n, c) => n + (c === 1 ? 0 : 1), 0),
      refusals: stats.byErrorCode["60007"] ?? 0,
      requests: log.records.length,
      hedges: hedged.length,
      timedOut: log.records.filter((r) => r.end - r.start >= timeoutMillis - 50).length,
      hedgeAfterMs: hedged.length === 0
        ? Number.NaN
        : median(hedged.map(({ hedge, primary }) => hedge.start - primary.start)),
      longestPauseMs: out.longestPause,
      stampLagMs: [percentile(lags, 99), Math.max(...lags)]
    }
  } finally {
    await client.dispose()
  }
}

/** The figures of one run. */
const figuresOf = (label: string, behaviour: Behaviour, r: Run): Array<Figure> => {
  const rate = accountsCount / (r.ms / 1000)
  return [
    {
      label: `${label}: accounts/s (share of ${ceiling.toLocaleString("en-US")})`,
      value: round(rate, 0),
      unit: `/s = ${round((100 * rate) / ceiling, 1)} %`,
      ...(behaviour.judged ? { target: `≥ ${target * 100} %`, met: rate >= target * ceiling } : {})
    },
    { label: `${label}: 60007 answers`, value: r.refusals, unit: "", target: "0", met: r.refusals === 0 },
    {
      label: `${label}: emulator's arrival stamp after undici's write, p99 / max`,
      value: round(r.stampLagMs[0], 0),
      unit: `/ ${round(r.stampLagMs[1], 0)} ms`
    },
    {
      label: `${label}: accounts not out exactly once`,
      value: r.notOnce,
      unit: "",
      target: "0",
      met: r.notOnce === 0
    },
    { label: `${label}: failed accounts`, value: r.failed, unit: "" },
    {
      label: `${label}: requests / hedges / timed out / longest pause`,
      value: r.requests,
      unit: `/ ${r.hedges} (median ${round(r.hedgeAfterMs, 0)} ms after their primary) / ${r.timedOut} / ${
        round(r.longestPauseMs, 0)
      } ms`
    }
  ]
}

export const tail: Scenario = {
  name: "tail",
  description: `getTagsStream over ${
    accountsCount.toLocaleString("en-US")
  } accounts at the strict emulator's ${limit} calls/s: no faults, 10% fast faults, 1% answers slower than the timeout`,
  run: () =>
    withEmulator({ rateLimit: limit, arrivalJitter: jitter }, async (emulator) => {
      await emulator.seedRange(accountsCount, (i) => accountName(prefix, i), tagsFor)
      await warmUp(emulator, Array.from({ length: Math.min(accountsCount, 30_000) }, (_, i) => accountName(prefix, i)))
      const figures: Array<Figure> = []
      const wall: Array<string> = []
      for (const order of ["input", "completion"] as const) {
        for (const behaviour of behaviours) {
          const label = `${behaviour.name}, ${order} order`
          const r = await runOnce(emulator, behaviour, order)
          figures.push(...figuresOf(label, behaviour, r))
          wall.push(`${label} ${round(r.ms / 1000, 2)} s`)
        }
      }
      return {
        figures,
        notes:
          `Stream wall times: ${wall.join("; ")}. Slow answers wait ${
            timeoutMillis + 1000
          } ms (the client's request timeout is ${timeoutMillis} ms). Requests are counted by the client (hedges and retries included). ` +
          `The emulator stamps a call when its event loop sees it, plus 0–${jitter} ms of jitter; the client's limiter leaves ` +
          `40 ms of margin per window, so stamps later than ~40 ms after the write (a busy machine) can cause 60007 answers.`
      }
    })
}
