/**
 * When failed REST calls are tried again. Only retryable failures are: transport errors, HTTP 5xx,
 * timeouts, 408/429, and the server-busy codes (91000, 60008, 70169, 70500, …) with exponential,
 * jittered backoff; the frequency-limit codes (60007, 60011, 60018, 60019) with a longer base.
 * Attempts and total time are bounded. Credential, permission and validation errors are never
 * retried; an expired UserSig (70001) is re-signed and retried once by `TimRest` itself.
 *
 * The policy is a `Context.Reference`, so the defaults apply without a layer and `layer(options)`
 * overrides them. `TimRest` reads it once, where it is built (provide it to `Client.layer`), never
 * from one caller: `PushTags` batches calls from many callers.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import type { RetryClass } from "./ErrorCode.js"

/**
 * Retry settings.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Attempts in all, the first included; 1 disables retries. */
  readonly maxAttempts: number
  /** First delay for transport and server-busy failures; doubled each time. */
  readonly base: Duration.Duration
  /** First delay after a frequency-limit answer; doubled each time. */
  readonly throttledBase: Duration.Duration
  /** Upper bound of one delay (before jitter). */
  readonly maxDelay: Duration.Duration
  /** No retry starts later than this after the first failure. */
  readonly maxElapsed: Duration.Duration
}

/**
 * The defaults: 4 attempts, 100 ms base (1 s after frequency limits), at most 5 s per delay and 20 s
 * in all, each delay jittered by ±20 %.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Options = {
  maxAttempts: 4,
  base: Duration.millis(100),
  throttledBase: Duration.seconds(1),
  maxDelay: Duration.seconds(5),
  maxElapsed: Duration.seconds(20)
}

/**
 * The policy in effect (a `Context.Reference` defaulting to `defaults`).
 *
 * @since 0.1.0
 * @category tags
 */
export const RetryPolicy: Context.Reference<Options> = Context.Reference<Options>("@timtags/core/RetryPolicy", {
  defaultValue: () => defaults
})

/**
 * A failure the policy can judge.
 *
 * @since 0.1.0
 * @category models
 */
export interface Retryable {
  readonly retryClass: RetryClass
}

/**
 * The schedule for a policy: retries `backoff` and `throttled` failures only.
 *
 * @since 0.1.0
 * @category constructors
 */
export const schedule = <E extends Retryable>(options: Options): Schedule.Schedule<Duration.Duration, E> => {
  const factor = Duration.toMillis(options.throttledBase) / Math.max(1, Duration.toMillis(options.base))
  const maxMillis = Duration.toMillis(options.maxDelay)
  return Schedule.exponential(options.base).pipe(
    Schedule.setInputType<E>(),
    Schedule.modifyDelay(({ duration, input }) => {
      const millis = Duration.toMillis(duration) * (input.retryClass === "throttled" ? factor : 1)
      return Effect.succeed(Duration.millis(Math.min(millis, maxMillis)))
    }),
    Schedule.jittered,
    Schedule.while(({ input }) => input.retryClass === "backoff" || input.retryClass === "throttled"),
    Schedule.upTo({ times: Math.max(0, options.maxAttempts - 1), duration: options.maxElapsed })
  )
}

/**
 * Settings for `layer`: any subset, durations in any `Duration.Input` form.
 *
 * @since 0.1.0
 * @category models
 */
export interface LayerOptions {
  readonly maxAttempts?: number | undefined
  readonly base?: Duration.Input | undefined
  readonly throttledBase?: Duration.Input | undefined
  readonly maxDelay?: Duration.Input | undefined
  readonly maxElapsed?: Duration.Input | undefined
}

/**
 * Completes partial settings with the defaults.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: LayerOptions = {}): Options => ({
  maxAttempts: options.maxAttempts ?? defaults.maxAttempts,
  base: Duration.fromInputUnsafe(options.base ?? defaults.base),
  throttledBase: Duration.fromInputUnsafe(options.throttledBase ?? defaults.throttledBase),
  maxDelay: Duration.fromInputUnsafe(options.maxDelay ?? defaults.maxDelay),
  maxElapsed: Duration.fromInputUnsafe(options.maxElapsed ?? defaults.maxElapsed)
})

/**
 * A layer overriding some of the defaults.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: LayerOptions): Layer.Layer<never> => Layer.succeed(RetryPolicy, make(options))
