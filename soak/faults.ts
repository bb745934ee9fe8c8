/**
 * The faults the emulator injects for the whole run, each on an equal share of all calls: an HTML 502 page,
 * 91000 (server busy), a dropped connection, and an answer later than the client's timeout, the call running
 * when the delay ends even though the client gave up (and retried) by then: a write lands late.
 */
import type { EmulatorProcess } from "../benchmarks/emulator.js"

/** The kinds, for `delayMillis` above the client's timeout. */
export const kinds = (delayMillis: number) =>
  [
    {
      name: "HTML 502",
      fault: { _tag: "HttpStatus", status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" }
    },
    { name: "91000", fault: { _tag: "ErrorCode", code: 91000, info: "server busy" } },
    { name: "connection reset", fault: { _tag: "Drop" } },
    {
      name: `answer after ${delayMillis / 1000} s, the call running anyway`,
      fault: { _tag: "Delay", millis: delayMillis, runsAnyway: true }
    }
  ] as const

/**
 * The chance each of `count` queued faults is given with, so that each falls on `rate / count` of all calls: a
 * call spared by one fault goes on to the next, so the k-th (from 0) is given with `share / (1 - k × share)`.
 */
export const chances = (rate: number, count: number): Array<number> =>
  Array.from({ length: count }, (_, k) => (rate / count) / (1 - k * (rate / count)))

/** Queues the faults, for ever, on `rate` of all calls. */
export const inject = async (emulator: EmulatorProcess, rate: number, delayMillis: number) => {
  if (rate === 0) return
  const all = kinds(delayMillis)
  const probability = chances(rate, all.length)
  for (const [k, { fault }] of all.entries()) {
    await emulator.injectFault({ times: "Infinity", probability: probability[k], fault })
  }
}
