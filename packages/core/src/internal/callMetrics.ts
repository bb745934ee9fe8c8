/**
 * The metrics of one REST command, with their attributes set once: giving a metric attributes
 * builds and hashes a new series key, which is worth doing once per command and code rather than
 * on every call.
 */
import * as Metric from "effect/Metric"
import * as Metrics from "../Metrics.js"

/** The metrics `TimRest` updates for one command. */
export interface CallMetrics {
  readonly accounts: Metric.Counter<number>
  /** Attempts, by the answer's code (`0`, an error code, a transport kind or `decode`). */
  readonly calls: (code: string) => Metric.Counter<number>
  /** Retries, by the code of the failure that caused them. */
  readonly retries: (code: string) => Metric.Counter<number>
}

/** A function memoized by its string argument. */
const memo = <A>(make: (key: string) => A): (key: string) => A => {
  const made = new Map<string, A>()
  return (key) => {
    let value = made.get(key)
    if (value === undefined) made.set(key, value = make(key))
    return value
  }
}

/** The metrics of a command, made on first use. */
export const of: (command: string) => CallMetrics = memo((command) => {
  const calls = Metric.withAttributes(Metrics.calls, { command })
  const retries = Metric.withAttributes(Metrics.retries, { command })
  return {
    accounts: Metric.withAttributes(Metrics.accounts, { command }),
    calls: memo((code) => Metric.withAttributes(calls, { code })),
    retries: memo((code) => Metric.withAttributes(retries, { code }))
  }
})
