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
  retryInterval: Duration.seconds(1)
} as const

/** The least `maxLateness`, in ms: a wake-up is a millisecond or two late even when nothing stalls. */
const minLatenessMillis = 5

/** The options of the shared log (every process sharing a key must agree on them), in ms. */
export interface LogSettings {
  readonly limit: number
  /** Calls that may start back to back (at most `limit`). */
  readonly burst: number
  /** Window plus margin, rounded up to the ms: the length of every sliding window. */
  readonly spacing: number
  readonly prefix: string
  /** Longest wait for one Redis answer. */
  readonly timeout: number
}

/** Everything the limiter needs, in ms. */
export interface Settings extends LogSettings {
  readonly maxLateness: number
  readonly retryInterval: number
  readonly connectTimeout: number
  /** The in-memory fall-back's options. */
  readonly fallback: RateLimit.Options & { readonly limit: number }
}

const positiveInteger = (name: string, n: number) => {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer, got ${n}`)
  return n
}

/** The shared log's settings; throws a `RangeError` for a limit or burst that is not a positive integer. */
export const logSettings = (
  options: Pick<Options, "limit" | "window" | "margin" | "burst" | "prefix" | "timeout">
): LogSettings => {
  const limit = positiveInteger("rate limit", options.limit ?? defaults.limit)
  return {
    limit,
    burst: Math.min(positiveInteger("burst", options.burst ?? defaults.burst), limit),
    spacing: Math.ceil(
      Duration.toMillis(options.window ?? defaults.window) + Duration.toMillis(options.margin ?? defaults.margin)
    ),
    prefix: options.prefix ?? defaults.prefix,
    timeout: Duration.toMillis(options.timeout ?? defaults.timeout)
  }
}

/** All the settings; throws a `RangeError` for a limit that is not a positive integer. */
export const settings = (options: Options): Settings => {
  const margin = options.margin ?? defaults.margin
  return {
    ...logSettings(options),
    maxLateness: Math.max(
      minLatenessMillis,
      Duration.toMillis(options.maxLateness ?? Duration.millis(Duration.toMillis(margin) / 2))
    ),
    retryInterval: Duration.toMillis(options.retryInterval ?? defaults.retryInterval),
    connectTimeout: Duration.toMillis(options.connectTimeout ?? defaults.connectTimeout),
    fallback: {
      limit: positiveInteger("fallback rate limit", options.fallbackLimit ?? options.limit ?? defaults.limit),
      window: options.window,
      margin,
      burst: options.burst
    }
  }
}
