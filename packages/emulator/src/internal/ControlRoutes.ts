/**
 * The HTTP control endpoints under `/__emulator/`, for tests and benchmarks that run the emulator in another
 * process. They call the same control methods as the `Emulator` service and need no UserSig. Bodies are
 * JSON; a body that does not decode, or a change that breaks a rule (an attribute rule, a tag of both account
 * kinds), gets HTTP 400 with `{error}`.
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

const NonNegative = Schema.Number.check(Schema.isGreaterThanOrEqualTo(0))

/**
 * `{limit?, stampAtArrival?, countRefused?, arrivalJitter?}`: the settings to change (`limit`: calls per
 * command per second, 0 or `"Infinity"` for none). Other keys are refused, so a misspelt one is not a no-op.
 */
const RateLimitChange = Schema.Struct({
  limit: Schema.optionalKey(orInfinity(NonNegative)),
  stampAtArrival: Schema.optionalKey(Schema.Boolean),
  countRefused: Schema.optionalKey(Schema.Boolean),
  arrivalJitter: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)))
})

/** `{names: {"0": "city"}, types?: {"0": 0}}`: attribute names and types to set. */
const AttrNamesChange = Schema.Struct({
  names: Schema.Record(Schema.String, Schema.String),
  types: Schema.optionalKey(Schema.Record(Schema.String, Schema.Literals([0, 1])))
})

/** `{"alice": {"city": "Shenzhen"}}`: accounts and their attribute values by name. */
const AttrValues = Schema.Record(Schema.String, Schema.Record(Schema.String, Schema.String))

/** `["alice", "bob"]`: the accounts to read. */
const AccountNames = Schema.Array(Schema.String)

/** `{minIntervalMillis?, dailyQuota?}` (`"Infinity"` for no quota); other keys are refused. */
const PushSettingsChange = Schema.Struct({
  minIntervalMillis: Schema.optionalKey(Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))),
  dailyQuota: Schema.optionalKey(orInfinity(NonNegative))
})

/** `{"batch": 30}`: calls per second for the commands named (0 or `"Infinity"` for none). */
const CommandLimits = Schema.Record(Schema.String, orInfinity(NonNegative))

const done = HttpServerResponse.jsonUnsafe({ ok: true })

const badRequest = (message: string) => HttpServerResponse.jsonUnsafe({ error: message }, { status: 400 })

/** Answers with the effect's value as JSON. */
const json = <A, R>(effect: Effect.Effect<A, never, R>) => Effect.map(effect, (a) => HttpServerResponse.jsonUnsafe(a))

/** Decodes the JSON body with the schema, then runs `f`; 400 when the body does not decode. */
const withBody = <A>(
  schema: Schema.ConstraintDecoder<A>,
  f: (a: A) => Effect.Effect<void>,
  options?: { readonly onExcessProperty: "error" }
) =>
  HttpServerRequest.schemaBodyJson(schema, options).pipe(
    Effect.flatMap(f),
    Effect.as(done),
    Effect.catch((error) => Effect.succeed(badRequest(error.message))),
    Effect.catchDefect((defect) =>
      Effect.succeed(badRequest(defect instanceof Error ? defect.message : String(defect)))
    )
  )

/** A number as JSON can carry it in each value of the record. */
const recordToJson = (record: Readonly<Record<string, number>>) =>
  Object.fromEntries(Object.entries(record).map(([key, n]) => [key, toJson(n)]))

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
  ),
  HttpRouter.route("GET", "/__emulator/command-rate-limits", json(Effect.map(control.commandRateLimits, recordToJson))),
  HttpRouter.route("POST", "/__emulator/command-rate-limits", withBody(CommandLimits, control.setCommandRateLimits)),
  ...attributeRoutes(control),
  ...pushRoutes(control)
]

/** Attribute names and values, and RegistrationID accounts. */
const attributeRoutes = (control: Control) => [
  HttpRouter.route("GET", "/__emulator/attr-names", json(control.attrNames)),
  HttpRouter.route(
    "POST",
    "/__emulator/attr-names",
    withBody(AttrNamesChange, ({ names, types }) => control.setAttrNames(names, types), { onExcessProperty: "error" })
  ),
  HttpRouter.route("POST", "/__emulator/attrs", withBody(AttrValues, control.seedAttrs)),
  HttpRouter.route(
    "GET",
    "/__emulator/attrs/:account",
    json(
      Effect.flatMap(HttpRouter.params, ({ account }) => Effect.map(control.attrsOf(account ?? ""), (a) => a ?? null))
    )
  ),
  HttpRouter.route("POST", "/__emulator/devices", withBody(Schema.Array(Schema.String), control.registerDevices)),
  HttpRouter.route("POST", "/__emulator/read-accounts", readAccounts(control))
]

/**
 * `{"alice": {"tags": ["vip"], "attrs": {"city": "Shenzhen"}}, "nobody": null}` for the accounts named in the
 * body: what the store holds, in one call, for checks after a long run.
 */
const readAccounts = (control: Control) =>
  HttpServerRequest.schemaBodyJson(AccountNames).pipe(
    Effect.flatMap((names) =>
      Effect.forEach(names, (name) =>
        Effect.zipWith(control.tagsOf(name), control.attrsOf(name), (tags, attrs) =>
          [name, tags === undefined ? null : { tags, attrs: attrs ?? {} }] as const))
    ),
    Effect.map((entries) =>
      HttpServerResponse.jsonUnsafe(Object.fromEntries(entries))
    ),
    Effect.catch((error) => Effect.succeed(badRequest(error.message)))
  )

/** Accepted pushes, scheduled tasks and the push pace. */
const pushRoutes = (control: Control) => [
  HttpRouter.route("GET", "/__emulator/pushes", json(control.pushes)),
  HttpRouter.route(
    "POST",
    "/__emulator/recipients",
    HttpServerRequest.schemaBodyJson(Schema.Unknown).pipe(
      Effect.flatMap(control.recipients),
      Effect.map((recipients) => HttpServerResponse.jsonUnsafe(recipients)),
      Effect.catch((error) => Effect.succeed(badRequest(error.message)))
    )
  ),
  HttpRouter.route("GET", "/__emulator/scheduled-tasks", json(control.scheduledTasks)),
  HttpRouter.route(
    "GET",
    "/__emulator/push-settings",
    json(Effect.map(control.pushSettings, (settings) => ({ ...settings, dailyQuota: toJson(settings.dailyQuota) })))
  ),
  HttpRouter.route(
    "POST",
    "/__emulator/push-settings",
    withBody(PushSettingsChange, control.setPushSettings, { onExcessProperty: "error" })
  )
]
