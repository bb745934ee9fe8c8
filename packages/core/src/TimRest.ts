/**
 * The one path every REST call takes, whatever the command:
 *
 * 1. wait for the rate limiter (per SDKAppID and command);
 * 2. take the cached admin UserSig;
 * 3. `POST {base}/v4/{command}?sdkappid&identifier&usersig&random&contenttype=json` with a JSON body
 *    and a fresh uint32 `random`, bounded by the request timeout;
 * 4. decode the envelope (`Envelope` decoders) and classify a non-zero `ErrorCode` into a `TimApiError`;
 * 5. on 70001 re-sign and try once more; retry retryable failures on the `RetryPolicy` schedule,
 *    moving to the region's backup domain for a minute when the primary cannot be reached.
 *
 * Each attempt is one span (`timtags <command>`: command, accounts, attempt, error code and the URL
 * without its query) and updates the `Metrics`. The HttpClient's own spans are switched off because
 * they record the full URL, and with it the UserSig; its errors are mapped to `TimTransportError`
 * here so that no request object (which prints its URL parameters) leaves the library.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import type * as Tracer from "effect/Tracer"
import type * as Envelope from "./Envelope.js"
import * as Endpoints from "./internal/endpoints.js"
import { describeCause } from "./internal/scrub.js"
import * as Metrics from "./Metrics.js"
import { RateLimit } from "./RateLimit.js"
import * as RetryPolicy from "./RetryPolicy.js"
import { TimConfig } from "./TimConfig.js"
import { type TimCallError, TimApiError, TimDecodeError, TimTransportError } from "./TimError.js"
import { UserSigCache } from "./UserSigCache.js"

/**
 * A REST command: `service/name` under `/v4/`, e.g. `timpush/get_tag`.
 *
 * @since 0.1.0
 * @category models
 */
export type Command = `${string}/${string}`

/**
 * Extra facts about a call, for its span and metrics.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallMeta {
  /** Accounts in the request body. */
  readonly accounts?: number | undefined
  /** Spans to link the call's spans to (e.g. the callers whose lookups a batch serves). */
  readonly links?: ReadonlyArray<Tracer.SpanLink> | undefined
}

/**
 * The REST caller.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Calls `command` with `body` and decodes the answer with `response`. */
  readonly call: <A extends Envelope.Envelope>(
    command: Command,
    body: unknown,
    response: Envelope.Decoder<A>,
    meta?: CallMeta
  ) => Effect.Effect<A, TimCallError>
}

/**
 * The `TimRest` service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class TimRest extends Context.Tag("@timtags/core/TimRest")<TimRest, Service>() {}

const UINT32 = 2 ** 32

const hosts = new Map<string, string>()
const hostOf = (base: string): string => {
  let host = hosts.get(base)
  if (host === undefined) hosts.set(base, host = new URL(base).host)
  return host
}

/** The tagged metrics of one command, made once (tagging a metric builds and hashes a new key). */
const metricsOf = (() => {
  const cache = new Map<string, ReturnType<typeof makeMetrics>>()
  const byCode = <M>(make: (code: string) => M) => {
    const made = new Map<string, M>()
    return (code: string): M => {
      let metric = made.get(code)
      if (metric === undefined) made.set(code, metric = make(code))
      return metric
    }
  }
  const makeMetrics = (command: string) => {
    const calls = Metric.tagged(Metrics.calls, "command", command)
    const retries = Metric.tagged(Metrics.retries, "command", command)
    return {
      accounts: Metric.tagged(Metrics.accounts, "command", command),
      calls: byCode((code) => Metric.tagged(calls, "code", code)),
      retries: byCode((code) => Metric.tagged(retries, "code", code))
    }
  }
  return (command: string) => {
    let metrics = cache.get(command)
    if (metrics === undefined) cache.set(command, metrics = makeMetrics(command))
    return metrics
  }
})()

const transportError = (command: string) => (error: HttpClientError.HttpClientError): TimTransportError =>
  new TimTransportError({ command, kind: "Network", detail: `${error.reason}: ${describeCause(error.cause ?? error.reason)}` })

/**
 * Builds the caller from its services.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, HttpClient.HttpClient | TimConfig | UserSigCache | RateLimit> = Effect
  .gen(function*() {
    const config = yield* TimConfig
    const sigs = yield* UserSigCache
    const limiter = yield* RateLimit
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.withTracerDisabledWhen(() => true),
      HttpClient.withTracerPropagation(false)
    )
    const endpoints = Endpoints.make(config.baseUrl, config.backupBaseUrl)

    const call = <A extends Envelope.Envelope>(
      command: Command,
      body: unknown,
      response: Envelope.Decoder<A>,
      meta: CallMeta = {}
    ): Effect.Effect<A, TimCallError> => {
      const path = `/v4/${command}`
      const payload = JSON.stringify(body)
      const limitKey = `${config.sdkAppId}:${command}`
      const metrics = metricsOf(command)
      // Per run of the returned effect: attempts so far, and the code that caused the last retry.
      let attempts = 0
      let previousCode = ""

      const exchange = (sig: Redacted.Redacted<string>, span: Tracer.Span, base: string) =>
        Effect.gen(function*() {
          const random = Math.floor((yield* Random.next) * UINT32)
          const request = HttpClientRequest.post(base + path, {
            urlParams: {
              sdkappid: String(config.sdkAppId),
              identifier: config.admin,
              usersig: Redacted.value(sig),
              random: String(random),
              contenttype: "json"
            },
            acceptJson: true
          }).pipe(HttpClientRequest.bodyText(payload, "application/json"))
          const res = yield* client.execute(request)
          const text = yield* res.text
          span.attribute("http.response.status_code", res.status)
          if (res.status !== 200) {
            return yield* new TimTransportError({ command, kind: "HttpStatus", status: res.status, detail: `HTTP ${res.status}` })
          }
          return text
        }).pipe(
          Effect.catchTags({ RequestError: transportError(command), ResponseError: transportError(command) }),
          Effect.timeoutFail({
            duration: config.requestTimeout,
            onTimeout: () => new TimTransportError({ command, kind: "Timeout", detail: "no answer within the request timeout" })
          })
        )

      const parse = (text: string): Either.Either<A, TimDecodeError | TimApiError> => {
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          return Either.left(new TimDecodeError({ command, detail: `not JSON (${text.length} bytes)` }))
        }
        const decoded = response.decode(json)
        if (Either.isLeft(decoded)) return Either.left(new TimDecodeError({ command, detail: decoded.left.slice(0, 300) }))
        const answer = decoded.right
        return answer.ErrorCode !== 0 || answer.ActionStatus === "FAIL"
          ? Either.left(TimApiError.fromCode(command, answer.ErrorCode, answer.ErrorInfo))
          : Either.right(answer)
      }

      const attemptIn = (sig: Redacted.Redacted<string>, span: Tracer.Span) =>
        Effect.gen(function*() {
          attempts += 1
          span.attribute("tim.attempt", attempts)
          if (attempts > 1) yield* Metric.increment(metrics.retries(previousCode))
          const waitStart = yield* Clock.currentTimeMillis
          yield* limiter.acquire(limitKey)
          const started = yield* Clock.currentTimeMillis
          yield* Metric.update(Metrics.limiterWait, started - waitStart)
          if (meta.accounts !== undefined) {
            yield* Metric.incrementBy(metrics.accounts, meta.accounts)
            yield* Metric.update(Metrics.batchSize, meta.accounts)
          }
          const base = endpoints.pick(started)
          span.attribute("url.full", base + path)
          span.attribute("server.address", hostOf(base))
          const text = yield* exchange(sig, span, base).pipe(
            Effect.tapError((error) =>
              error.kind === "HttpStatus"
                ? Effect.void
                : Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => endpoints.unreachable(base, now)))
            )
          )
          return yield* parse(text)
        }).pipe(
          Effect.tapBoth({
            onFailure: (error) => {
              previousCode = error._tag === "TimApiError" ? String(error.code) : error._tag === "TimTransportError" ? error.kind : "decode"
              span.attribute("tim.error_code", previousCode)
              return Metric.increment(metrics.calls(previousCode))
            },
            onSuccess: () => Metric.increment(metrics.calls("0"))
          }),
          Effect.withParentSpan(span)
        )

      const spanOptions = {
        captureStackTrace: false,
        kind: "client",
        attributes: {
          "tim.command": command,
          "tim.sdkappid": config.sdkAppId,
          "tim.accounts": meta.accounts
        },
        links: meta.links ?? []
      } as const
      const attempt = (sig: Redacted.Redacted<string>) =>
        Effect.useSpan(`timtags ${command}`, spanOptions, (span) => attemptIn(sig, span))

      const withResign = Effect.flatMap(sigs.current, (sig) =>
        attempt(sig).pipe(
          Effect.catchIf(
            (error): error is TimApiError => error._tag === "TimApiError" && error.retryClass === "resign",
            () => Effect.flatMap(sigs.renew(sig), attempt)
          )
        ))

      return Effect.suspend(() => {
        attempts = 0
        return Effect.flatMap(RetryPolicy.RetryPolicy, (policy) => Effect.retry(withResign, RetryPolicy.schedule(policy)))
      })
    }
    return { call }
  })

/**
 * The caller as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<TimRest, never, HttpClient.HttpClient | TimConfig | UserSigCache | RateLimit> = Layer
  .effect(TimRest, make)
