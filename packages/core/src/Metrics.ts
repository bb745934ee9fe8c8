/**
 * The metrics this library records, as Effect `Metric`s. Export them with any metrics backend
 * Effect supports (for example `@effect/opentelemetry`'s `NodeSdk` with a metric reader).
 *
 * @since 0.1.0
 */
import * as Metric from "effect/Metric"

/**
 * REST calls made (attempts included), with the attributes `command` and the answer's `code`
 * (`transport` when there was none).
 *
 * @since 0.1.0
 * @category metrics
 */
export const calls = Metric.counter("timtags_rest_calls_total", {
  description: "REST call attempts",
  incremental: true
})

/**
 * Accounts sent, with the attribute `command`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const accounts = Metric.counter("timtags_rest_accounts_total", {
  description: "Accounts sent in REST calls",
  incremental: true
})

/**
 * Accounts per REST call.
 *
 * @since 0.1.0
 * @category metrics
 */
export const batchSize = Metric.histogram("timtags_batch_size", {
  description: "Accounts per REST call",
  boundaries: Metric.boundariesFromIterable([1, 2, 5, 10, 20, 50, 80, 90, 99, 100])
})

/**
 * Retries, with the attributes `command` and the `code` that caused them.
 *
 * @since 0.1.0
 * @category metrics
 */
export const retries = Metric.counter("timtags_rest_retries_total", {
  description: "REST call retries",
  incremental: true
})

/**
 * Milliseconds spent waiting on the rate limiter before a call.
 *
 * @since 0.1.0
 * @category metrics
 */
export const limiterWait = Metric.histogram("timtags_ratelimit_wait_ms", {
  description: "Milliseconds waited on the rate limiter",
  boundaries: Metric.exponentialBoundaries({ start: 1, factor: 2, count: 14 })
})
