/** The limiter's options, checked and turned into the numbers the limiter works with. */
import * as RateLimit from "@timtags/core/RateLimit"
import * as Duration from "effect/Duration"
import type { Options } from "../RedisRateLimit.js"

/** Defaults of the options (see `RedisRateLimit.defaults`). */
export const defaults = {
  ...RateLimit.defaults,
  // The lateness check keeps half of it for waking up and half for the way to the server.
  margin: Duration.millis(50),
  prefix: "timtags:ratelimit:",
  timeout: Duration.millis(200),
  connectTimeout: Duration.seconds(1),
  retryInterval: Duration.seconds(1),
  outage: "share",
  heartbeatInterval: Duration.seconds(1),
  processTtl: Duration.seconds(5),
  expectedProcesses: 1
} as const

/** The least `maxLateness`, in ms: a wake-up is a millisecond or two late even when nothing stalls. */
const minLatenessMillis = 5

/** One key's rate as the shared log uses it, in ms. */
export interface KeyRate {
  /** The rate the caller asked for (window without the margin). */
  readonly rate: RateLimit.Rate
  readonly limit: number
  /** Calls that may start back to back (at most `limit`). */
  readonly burst: number
  /** Window plus margin, rounded up to the ms: the length of every sliding window. */
  readonly spacing: number
}

/** The options of the shared log (every process sharing a key must agree on them), in ms. */
export interface LogSettings {
  /** The rate of keys acquired without one. */
  readonly rate: KeyRate
  /** The margin added to every window. */
  readonly margin: number
  /** Calls that may start back to back, before a key's limit caps it. */
  readonly burst: number
  readonly prefix: string
  /** Longest wait for one Redis answer. */
  readonly timeout: number
}

/** Everything the limiter needs, in ms. */
export interface Settings extends LogSettings {
  readonly maxLateness: number
  readonly retryInterval: number
  readonly connectTimeout: number
  /** What each process allows itself while Redis is unreachable. */
  readonly outage: "share" | "whole"
  readonly heartbeatInterval: number
  readonly processTtl: number
  readonly expectedProcesses: number
  /** The in-memory fall-back's options (its own limit and window are the default rate's). */
  readonly fallback: RateLimit.Options
}

const positiveInteger = (name: string, n: number) => {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer, got ${n}`)
  return n
}

const positiveMillis = (name: string, duration: Duration.Input) => {
  const millis = Duration.toMillis(duration)
  if (!(millis > 0) || !Number.isFinite(millis)) throw new RangeError(`${name} must be a positive duration`)
  return millis
}

/** `rate` with the margin and burst of `settings`; throws a `RangeError` naming what is wrong with it. */
export const keyRate = (settings: Pick<LogSettings, "margin" | "burst">, rate: RateLimit.Rate): KeyRate => {
  const { limit, windowMillis } = RateLimit.checkRate(rate)
  return { rate, limit, burst: Math.min(settings.burst, limit), spacing: Math.ceil(windowMillis + settings.margin) }
}

/** The shared log's settings; throws a `RangeError` for a limit or burst that is not a positive integer. */
export const logSettings = (
  options: Pick<Options, "limit" | "window" | "margin" | "burst" | "prefix" | "timeout">
): LogSettings => {
  const margin = Duration.toMillis(options.margin ?? defaults.margin)
  const burst = positiveInteger("burst", options.burst ?? defaults.burst)
  const rate = {
    limit: options.limit ?? defaults.limit,
    windowMillis: Duration.toMillis(options.window ?? defaults.window)
  }
  return {
    rate: keyRate({ margin, burst }, rate),
    margin,
    burst,
    prefix: options.prefix ?? defaults.prefix,
    timeout: Duration.toMillis(options.timeout ?? defaults.timeout)
  }
}

/** All the settings; throws a `RangeError` for an option out of range. */
export const settings = (options: Options): Settings => {
  const log = logSettings(options)
  const heartbeatInterval = positiveMillis("heartbeatInterval", options.heartbeatInterval ?? defaults.heartbeatInterval)
  const processTtl = positiveMillis("processTtl", options.processTtl ?? defaults.processTtl)
  if (processTtl <= heartbeatInterval) {
    throw new RangeError(
      `processTtl (${processTtl} ms) must be longer than heartbeatInterval (${heartbeatInterval} ms)`
    )
  }
  const outage = options.outage ?? defaults.outage
  if (outage !== "share" && outage !== "whole") throw new RangeError(`outage must be "share" or "whole", got ${outage}`)
  return {
    ...log,
    maxLateness: Math.max(minLatenessMillis, Duration.toMillis(options.maxLateness ?? Duration.millis(log.margin / 2))),
    retryInterval: Duration.toMillis(options.retryInterval ?? defaults.retryInterval),
    connectTimeout: Duration.toMillis(options.connectTimeout ?? defaults.connectTimeout),
    outage,
    heartbeatInterval,
    processTtl,
    expectedProcesses: positiveInteger("expectedProcesses", options.expectedProcesses ?? defaults.expectedProcesses),
    fallback: {
      limit: log.rate.limit,
      window: Duration.millis(log.rate.rate.windowMillis),
      margin: Duration.millis(log.margin),
      burst: log.burst
    }
  }
}

/** The longest ioredis waits between reconnection attempts (this package's `retryStrategy`). */
export const maxReconnectDelay = 1000

/**
 * How long after an outage a process keeps to its share as it uses Redis again (plus the key's window and
 * margin): the longest another process may take to notice that Redis is back, one heartbeat (and its
 * time-out) and one reconnection later.
 */
export const rejoinGrace = (settings: Pick<Settings, "heartbeatInterval" | "timeout">): number =>
  settings.heartbeatInterval + settings.timeout + maxReconnectDelay
