/**
 * The HTTP control endpoints under `/__emulator/`, for tests and benchmarks that run the emulator in another
 * process. They call the same control methods as the `Emulator` service and need no UserSig. Bodies are
 * JSON; a body that does not decode gets HTTP 400 with `{error}`.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Control } from "../Emulator.js"
import { FaultSpec } from "../Faults.js"
import { SeedRecord } from "../Store.js"

/** `{limit}`: calls per command per second; 0 or `"Infinity"` for none. */
const RateLimitBody = Schema.Struct({
  limit: Schema.Union(Schema.NonNegative, Schema.transformLiteral("Infinity", Infinity))
})

const done = HttpServerResponse.unsafeJson({ ok: true })

/** Answers with the effect's value as JSON. */
const json = <A>(effect: Effect.Effect<A>) => Effect.map(effect, (a) => HttpServerResponse.unsafeJson(a))

/** Decodes the JSON body with the schema, then runs `f`; 400 when the body does not decode. */
const withBody = <A, I>(schema: Schema.Schema<A, I>, f: (a: A) => Effect.Effect<void>) =>
  HttpServerRequest.schemaBodyJson(schema).pipe(
    Effect.flatMap(f),
    Effect.as(done),
    Effect.catchAll((error) => Effect.succeed(HttpServerResponse.unsafeJson({ error: error.message }, { status: 400 })))
  )

/** The control router. */
export const make = (control: Control) =>
  HttpRouter.empty.pipe(
    HttpRouter.post("/__emulator/seed", withBody(SeedRecord, control.seed)),
    HttpRouter.post("/__emulator/faults", withBody(FaultSpec, control.injectFault)),
    HttpRouter.del("/__emulator/faults", Effect.as(control.clearFaults, done)),
    HttpRouter.get("/__emulator/stats", json(control.stats)),
    HttpRouter.get("/__emulator/calls", json(control.calls)),
    HttpRouter.post("/__emulator/reset-calls", Effect.as(control.resetCalls, done)),
    HttpRouter.post("/__emulator/rate-limit", withBody(RateLimitBody, ({ limit }) => control.setRateLimit(limit)))
  )
