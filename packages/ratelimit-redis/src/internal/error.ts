/** The limiter's typed error (re-exported by `RedisRateLimit`). */
import * as Data from "effect/Data"

/**
 * Why Redis could not be used for a call. `acquire` never fails with it (it falls back); it is what
 * the warning logs and what `makeStore` fails with.
 *
 * @since 0.1.0
 * @category errors
 */
export class RedisRateLimitError extends Data.TaggedError("RedisRateLimitError")<{
  /** `Unavailable`: not connected; `Timeout`: no answer in time; `Command`: Redis answered an error. */
  readonly reason: "Unavailable" | "Timeout" | "Command"
  readonly message: string
}> {}

/** The message of an unknown failure. */
export const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))
