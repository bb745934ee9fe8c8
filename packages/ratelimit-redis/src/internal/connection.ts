/** The limiter's Redis connection: settings that suit a limiter, its lifetime, the first connection. */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { Redis, type RedisOptions } from "ioredis"
import type { Options } from "../RedisRateLimit.js"
import { describe, RedisRateLimitError } from "./error.js"
import { maxReconnectDelay } from "./settings.js"

/** Connection settings that suit a limiter: fail fast while disconnected, reconnect for ever. */
const connectionDefaults: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 0,
  retryStrategy: (times) => Math.min(times * 100, maxReconnectDelay)
}

/** A new, not yet connected client, closed with the scope. */
const newClient = (options: Options, connectTimeout: number): Effect.Effect<Redis, never, Scope.Scope> => {
  const settings: RedisOptions = { ...connectionDefaults, connectTimeout, ...options.redis }
  const url = options.url === undefined
    ? undefined
    : Redacted.isRedacted(options.url)
    ? Redacted.value(options.url)
    : options.url
  return Effect.acquireRelease(
    Effect.sync(() => {
      const redis = url === undefined ? new Redis(settings) : new Redis(url, settings)
      // Failures are reported by the limiter (one warning per outage), not by ioredis on every retry.
      redis.on("error", () => {})
      return redis
    }),
    (redis) =>
      Effect.promise(() => redis.quit().catch(() => undefined)).pipe(
        Effect.timeout("1 second"),
        Effect.ignore,
        Effect.ensuring(Effect.sync(() => redis.disconnect()))
      )
  )
}

/** Connects a client made here, failing after `connectTimeout` ms (ioredis keeps retrying in the background). */
const connect = (redis: Redis, connectTimeout: number): Effect.Effect<void, RedisRateLimitError> =>
  Effect.tryPromise({
    try: () => redis.connect(),
    catch: (error) => new RedisRateLimitError({ reason: "Unavailable", message: describe(error) })
  }).pipe(
    Effect.timeoutOrElse({
      duration: Duration.millis(connectTimeout),
      orElse: () =>
        Effect.fail(new RedisRateLimitError({ reason: "Unavailable", message: "no connection within the time-out" }))
    })
  )

/**
 * The client: the caller's own (`options.client`, left as it is), or a new one, connected once here
 * and closed with the scope. Succeeds with the client and, if the first connection failed, why.
 */
export const open = (
  options: Options,
  connectTimeout: number
): Effect.Effect<{ readonly redis: Redis; readonly failure: RedisRateLimitError | undefined }, never, Scope.Scope> => {
  if (options.client !== undefined) return Effect.succeed({ redis: options.client, failure: undefined })
  return Effect.flatMap(newClient(options, connectTimeout), (redis) =>
    connect(redis, connectTimeout).pipe(
      Effect.match({ onFailure: (failure) => ({ redis, failure }), onSuccess: () => ({ redis, failure: undefined }) })
    ))
}
