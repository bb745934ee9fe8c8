/**
 * The one path every REST call takes, whatever the command:
 *
 * 1. wait for the rate limiter (per SDKAppID and command), and tell it when the request was
 *    written and when the server refused a call for its frequency limit;
 * 2. take the cached admin UserSig;
 * 3. `POST {base}/v4/{command}?sdkappid&identifier&usersig&random&contenttype=json` with a JSON body
 *    and a fresh uint32 `random`, bounded by the request timeout;
 * 4. decode the envelope (`Envelope` decoders) and classify a non-zero `ErrorCode` into a `TimApiError`;
 * 5. on 70001 re-sign and try once more; retry retryable failures on the schedule of the
 *    `RetryPolicy` the caller was built with (provide it to the layer), moving to the region's backup
 *    domain for a minute when the primary cannot be reached.
 *
 * Each attempt is one span (`timtags <command>`: command, accounts, attempt, error code and the URL
 * without its query) and updates the `Metrics`. No request object, URL query or UserSig leaves it.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import type * as Redacted from "effect/Redacted"
import type * as Schedule from "effect/Schedule"
import type * as Tracer from "effect/Tracer"
import type * as Envelope from "./Envelope.js"
import type * as ErrorCode from "./ErrorCode.js"
import * as Answer from "./internal/answer.js"
import * as CallMetrics from "./internal/callMetrics.js"
import * as Endpoints from "./internal/endpoints.js"
import * as Exchange from "./internal/exchange.js"
import * as Metrics from "./Metrics.js"
import { checkRate, RateLimit } from "./RateLimit.js"
import type * as RateLimitModule from "./RateLimit.js"
import * as RequestWrites from "./RequestWrites.js"
import * as RetryPolicy from "./RetryPolicy.js"
import { TimConfig } from "./TimConfig.js"
import type { TimApiError, TimCallError } from "./TimError.js"
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
  /** Told when each attempt is handed to the HTTP client, after the rate limiter (Effect `Clock` time). */
  readonly sent?: ((at: number) => void) | undefined
  /**
   * Told when an attempt's request was written to the network, as far as the platform can see it
   * (`RequestWrites`; one that cannot see writes reports every request written when it is handed
   * over).
   */
  readonly written?: (() => void) | undefined
  /**
   * `false` for a call that must not be repeated blindly (a push): one attempt, no retry schedule
   * (only the re-signing after 70001, which the server certainly refused). Default `true`.
   */
  readonly idempotent?: boolean | undefined
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
 * The `TimRest` service key.
 *
 * @since 0.1.0
 * @category tags
 */
export class TimRest extends Context.Service<TimRest, Service>()("@timtags/core/TimRest") {}

const hosts = new Map<string, string>()
const hostOf = (base: string): string => {
  let host = hosts.get(base)
  if (host === undefined) hosts.set(base, host = new URL(base).host)
  return host
}

/** The code a failure is counted under in metrics and spans. */
const codeOf = (error: TimCallError): string =>
  error._tag === "TimApiError" ? String(error.code) : error._tag === "TimTransportError" ? error.kind : "decode"

const isResign = (error: TimCallError): error is TimApiError =>
  error._tag === "TimApiError" && error.retryClass === "resign"

/** What a caller is made of. */
interface Parts {
  readonly config: TimConfig["Service"]
  readonly sigs: UserSigCache["Service"]
  readonly limiter: RateLimit["Service"]
  readonly exchange: Exchange.Exchange
  readonly endpoints: Endpoints.Endpoints
  /** Whether the config named a region or an explicit base URL (for the hints of 70016/70020/60026). */
  readonly addressedBy: ErrorCode.AddressedBy
  /** When failed attempts are retried: the `RetryPolicy` the caller was built with. */
  readonly retries: Schedule.Schedule<unknown, TimCallError>
  /** The rate of each command that has its own (the rest get the limiter's default). */
  readonly rates: ReadonlyMap<string, RateLimitModule.Rate>
}

/** One call: what is sent, and how its answer is read. */
interface Call<A> {
  readonly command: Command
  readonly payload: string
  readonly response: Envelope.Decoder<A>
  readonly meta: CallMeta
  readonly metrics: CallMetrics.CallMetrics
}

/** One run of a call: its attempts so far, and the code that caused the last retry. */
interface Run {
  attempts: number
  lastCode: string
}

/** The limiter key of a command: Tencent limits each SDKAppID and command on its own. */
const limitKey = (parts: Parts, command: Command) => `${parts.config.sdkAppId}:${command}`

/**
 * Waits for the limiter, then sends one attempt to the endpoint of the moment; the limiter learns
 * when the request was written.
 */
const send = <A>(parts: Parts, call: Call<A>, sig: Redacted.Redacted<string>, span: Tracer.Span) =>
  Effect.flatMap(
    Clock.currentTimeMillis,
    (waitStart) =>
      withPermit(parts.limiter, limitKey(parts, call.command), parts.rates.get(call.command), (permit) =>
        Effect.gen(function*() {
          const { endpoints } = parts
          const { command } = call
          const started = yield* Clock.currentTimeMillis
          yield* Metric.update(Metrics.limiterWait, started - waitStart)
          const base = endpoints.pick(started)
          span.attribute("url.full", `${base}/v4/${command}`)
          span.attribute("server.address", hostOf(base))
          call.meta.sent?.(started)
          return yield* parts.exchange({
            base,
            command,
            handedAt: started,
            payload: call.payload,
            sig,
            span,
            written: call.meta.written === undefined ? permit.started : (at) => {
              permit.started(at)
              call.meta.written!()
            }
          }).pipe(
            Effect.tapError((error) =>
              error.kind === "Network" || error.kind === "Timeout"
                ? Effect.map(Clock.currentTimeMillis, (now) =>
                  endpoints.unreachable(base, now))
                : Effect.void
            )
          )
        }))
  )

/**
 * Runs `use` with a permit of `limiter`, making sure the permit is confirmed however `use` ends
 * (with the time it ended, if nothing confirmed it earlier): an unconfirmed permit holds back the
 * calls a window after it.
 */
const withPermit = <A, E>(
  limiter: RateLimit["Service"],
  key: string,
  rate: RateLimitModule.Rate | undefined,
  use: (permit: RateLimitModule.Permit) => Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(
      restore(limiter.acquire(key, rate)),
      (permit) => restore(use(permit)).pipe(Effect.ensuring(Effect.map(Clock.currentTimeMillis, permit.started)))
    )
  )

/** Tells the limiter about a frequency-limit answer, so that it pauses the key and slows down. */
const noteRefusal = (parts: Parts, command: Command, error: TimCallError) =>
  error.reason === "RateLimited"
    ? Effect.flatMap(Clock.currentTimeMillis, (now) => parts.limiter.refused(limitKey(parts, command), now))
    : Effect.void

/** Counts an attempt before it is sent: a retry (after the first), and the accounts it carries. */
const countAttempt = <A>(call: Call<A>, run: Run): Effect.Effect<void> => {
  const { accounts } = call.meta
  const retried = run.attempts > 1 ? Metric.update(call.metrics.retries(run.lastCode), 1) : Effect.void
  return accounts === undefined ? retried : retried.pipe(
    Effect.andThen(Metric.update(call.metrics.accounts, accounts)),
    Effect.andThen(Metric.update(Metrics.batchSize, accounts))
  )
}

/** One attempt, in its own span: send, read the answer, count the outcome. */
const attempt = <A extends Envelope.Envelope>(parts: Parts, call: Call<A>, run: Run, sig: Redacted.Redacted<string>) =>
  Effect.useSpan(`timtags ${call.command}`, {
    kind: "client",
    attributes: {
      "tim.command": call.command,
      "tim.sdkappid": parts.config.sdkAppId,
      "tim.accounts": call.meta.accounts
    },
    links: call.meta.links ?? []
  }, (span) => {
    run.attempts += 1
    span.attribute("tim.attempt", run.attempts)
    return countAttempt(call, run).pipe(
      Effect.andThen(send(parts, call, sig, span)),
      Effect.flatMap((text) => Effect.fromResult(Answer.read(call.command, text, call.response, parts.addressedBy))),
      Effect.tap(() => Metric.update(call.metrics.calls("0"), 1)),
      Effect.tapError((error) => {
        run.lastCode = codeOf(error)
        span.attribute("tim.error_code", run.lastCode)
        return Effect.andThen(
          Metric.update(call.metrics.calls(run.lastCode), 1),
          noteRefusal(parts, call.command, error)
        )
      }),
      Effect.withParentSpan(span, { captureStackTrace: false })
    )
  })

/** A call with its retries: a fresh `Run` each time the effect runs, re-signing once after 70001. */
const withRetries = <A extends Envelope.Envelope>(parts: Parts, call: Call<A>): Effect.Effect<A, TimCallError> => {
  const signed = (run: Run) =>
    Effect.flatMap(parts.sigs.current, (sig) =>
      attempt(parts, call, run, sig).pipe(
        Effect.catchIf(
          isResign,
          () => Effect.flatMap(parts.sigs.renew(sig), (fresh) => attempt(parts, call, run, fresh))
        )
      ))
  return call.meta.idempotent === false
    ? Effect.suspend(() => signed({ attempts: 0, lastCode: "" }))
    : Effect.suspend(() => Effect.retry(signed({ attempts: 0, lastCode: "" }), parts.retries))
}

const perSecond = (limit: number): RateLimitModule.Rate => ({ limit, windowMillis: 1000 })

/**
 * The commands Tencent limits to other rates than 100 calls per second, at the lowest edition (spec
 * beyond-tags §4): pushes more than a second apart (spaced 1.1 s here), `batch` 10 per second (30 on
 * the Standard edition, 40 on Advanced), `revoke` 1 per second, the scheduled-task commands 5 per
 * second and the statistics 1 per second, each per SDKAppID.
 *
 * @since 0.3.0
 * @category constants
 */
export const defaultRates: Readonly<Record<string, RateLimitModule.Rate>> = {
  "timpush/push": { limit: 1, windowMillis: 1100 },
  "timpush/batch": perSecond(10),
  "timpush/revoke": perSecond(1),
  ...Object.fromEntries(
    ["add", "modify", "delete", "get", "list"].map((verb) => [`timpush/${verb}_sched_task`, perSecond(5)])
  ),
  ...Object.fromEntries(
    ["all_member_push", "normal_push"].flatMap((kind) =>
      ["statistics", "loss", "trace"].map((what) => [`timpush/${kind}_${what}`, perSecond(1)])
    )
  )
}

/**
 * Options of the caller.
 *
 * @since 0.3.0
 * @category models
 */
export interface Options {
  /**
   * Rates of commands, over `defaultRates` (e.g. `{ "timpush/batch": { limit: 30, windowMillis: 1000 } }`
   * on the Standard edition). Every other command gets the limiter's own limit (100 per second).
   */
  readonly rates?: Readonly<Record<string, RateLimitModule.Rate>> | undefined
}

/**
 * Builds the caller from its services.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<Service, never, HttpClient.HttpClient | TimConfig | UserSigCache | RateLimit> =>
  Effect.gen(function*() {
    const config = yield* TimConfig
    const parts: Parts = {
      config,
      sigs: yield* UserSigCache,
      limiter: yield* RateLimit,
      exchange: Exchange.make(yield* HttpClient.HttpClient, config, yield* RequestWrites.RequestWrites),
      endpoints: Endpoints.make(config.baseUrl, config.backupBaseUrl),
      addressedBy: config.region === undefined ? "baseUrl" : "region",
      retries: RetryPolicy.schedule(yield* RetryPolicy.RetryPolicy),
      // Checked here, once (a `RangeError` naming what is wrong), rather than at each call.
      rates: new Map(
        Object.entries({ ...defaultRates, ...options.rates }).map(([k, r]) => [k, checkRate(r)])
      )
    }
    return TimRest.of({
      call: (command, body, response, meta = {}) =>
        withRetries(parts, { command, payload: JSON.stringify(body), response, meta, metrics: CallMetrics.of(command) })
    })
  })

/**
 * The caller as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<TimRest, never, HttpClient.HttpClient | TimConfig | UserSigCache | RateLimit> =>
  Layer.effect(TimRest, make(options))
