/**
 * The faults the emulator injects for the whole run, each on an equal share of all calls: an HTML 502 page,
 * 91000 (server busy), a dropped connection, and an answer later than the client's timeout, the call running
 * when the delay ends even though the client gave up (and retried) by then: a write lands late.
 */
import type { EmulatorProcess } from "../benchmarks/emulator.js"
import * as Faults from "../benchmarks/faults.js"

/** The kinds, for `delayMillis` above the client's timeout. */
export const kinds = (delayMillis: number) =>
  [
    ...Faults.fast,
    {
      name: `answer after ${delayMillis / 1000} s, the call running anyway`,
      fault: { _tag: "Delay", millis: delayMillis, runsAnyway: true }
    }
  ] as const

export { chances } from "../benchmarks/faults.js"

/** Queues the faults, for ever, on `rate` of all calls. */
export const inject = async (emulator: EmulatorProcess, rate: number, delayMillis: number) => {
  if (rate === 0) return
  const all = kinds(delayMillis)
  const probability = Faults.chances(rate, all.length)
  for (const [k, { fault }] of all.entries()) {
    await emulator.injectFault({ times: "Infinity", probability: probability[k], fault })
  }
}
