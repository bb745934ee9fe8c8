/**
 * The HTTP control endpoints under `/__emulator/`, for tests and benchmarks that run the emulator in another
 * process. They call the same control methods as the `Emulator` service and need no UserSig. Bodies are
 * JSON; a body that does not decode gets HTTP 400 with `{error}`.
 */
import * as Effect from "effect/Effect"
import * as HttpRouter from "effect/http/HttpRouter"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Schema from "effect/Schema"
import type { Control } from "../Emulator.js"
import { FaultSpec } from "../Faults.js"
import { SeedRecord } from "../Store.js"
import { orInfinity, toJson } from "./Unbounded.js"

/**
 * `{limit?, stampAtArrival?, countRefused?, arrivalJitter?}`: the settings to change (`limit`: calls per
 * command per second, 0 or `"Infinity"` for none). Other keys are refused, so a misspelt one is not a no-op.
 */
const RateLimitChange = Schema.Struct({
  limit: Schema.optionalKey(orInfinity(Schema.Number.check(Schema.isGreaterThanOrEqualTo(0)))),
  stampAtArrival: Schema.optionalKey(Schema.Boolean),
  countRefused: Schema.optionalKey(Schema.Boolean),
  arrivalJitter: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)))
})

const done = HttpServerResponse.jsonUnsafe({ ok: true })

/** Answers with the effect's value as JSON. */
const json = <A>(effect: Effect.Effect<A>) => Effect.map(effect, (a) => HttpServerResponse.jsonUnsafe(a))

/** Decodes the JSON body with the schema, then runs `f`; 400 when the body does not decode. */
const withBody = <A>(
  schema: Schema.ConstraintDecoder<A>,
  f: (a: A) => Effect.Effect<void>,
  options?: { readonly onExcessProperty: "error" }
) =>
  HttpServerRequest.schemaBodyJson(schema, options).pipe(
    Effect.flatMap(f),
    Effect.as(done),
    Effect.catch((error) => Effect.succeed(HttpServerResponse.jsonUnsafe({ error: error.message }, { status: 400 })))
  )

/** The control routes. */
export const make = (control: Control) => [
  HttpRouter.route("POST", "/__emulator/seed", withBody(SeedRecord, control.seed)),
  HttpRouter.route("POST", "/__emulator/faults", withBody(FaultSpec, control.injectFault)),
  HttpRouter.route("DELETE", "/__emulator/faults", Effect.as(control.clearFaults, done)),
  HttpRouter.route("GET", "/__emulator/stats", json(control.stats)),
  HttpRouter.route("GET", "/__emulator/calls", json(control.calls)),
  HttpRouter.route("POST", "/__emulator/reset-calls", Effect.as(control.resetCalls, done)),
  HttpRouter.route(
    "GET",
    "/__emulator/rate-limit",
    json(Effect.map(control.rateLimit, (settings) => ({ ...settings, limit: toJson(settings.limit) })))
  ),
  HttpRouter.route(
    "POST",
    "/__emulator/rate-limit",
    withBody(RateLimitChange, control.setRateLimit, { onExcessProperty: "error" })
  )
]
