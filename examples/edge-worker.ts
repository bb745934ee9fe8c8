/**
 * A Cloudflare Worker (module syntax; also runs on workerd, and on Deno and Bun with their
 * `export default { fetch }` servers) answering push-tag lookups through `PushTags`:
 *
 *   GET /tags?account=alice&account=bob
 *   200 {"tags": {"alice": ["vip"], "bob": []}, "errors": {}}                     per-account failures
 *                                                                                 (e.g. 70107) in "errors"
 *   400 {"error": {"_tag": "BadRequest" | "TimValidationError", "message", ...}}  bad input, no upstream call
 *   502 {"error": {"_tag": "TimApiError" | "TimTransportError" | "TimDecodeError",
 *                  "message", "reason", "retryable", "code"?, ...}}               the upstream call failed
 *   500 {"error": {"_tag": "ConfigError", "message"}}                             bindings missing or invalid
 *
 * Configuration comes from the Worker's bindings: `TIM_SDKAPPID`, `TIM_SECRET_KEY` (a secret),
 * `TIM_REGION` or `TIM_BASE_URL`, optional `TIM_ADMIN` and `TIM_TIMEOUT`. What is safe to share (the
 * config, the admin UserSig cache, the fetch HttpClient, the Web Crypto signer) is built once per
 * isolate, on its first request and synchronously, and reused by every later request; it is rebuilt
 * only if the bindings change. The `Server-Timing` header says which (`client;desc="cold"` or
 * `"warm"`) and how long the lookup took.
 *
 * No request ever waits on work another request started: workerd cancels a request that waits on a
 * promise only another request's I/O can settle ("code had hung and would never generate a response").
 * So each request has its own `PushTags` (its accounts in one `get_tag` call, its own subrequest), its
 * own `TimRest` and rate limiter (an isolate-wide limiter would make a request wait for a slot another
 * request frees; Cloudflare runs many isolates anyway, so a limit across them needs a shared store),
 * and the UserSig cache is the unshared one (`UserSigCache.layerUnshared`: a request that finds the
 * UserSig stale signs its own instead of waiting for another request's signing).
 *
 * Run it locally in workerd against the emulator: `npx -y pnpm@10.34.9 worker`.
 */
// Each module by its own path, as for Effect's: esbuild (which Wrangler bundles with) keeps every export of
// a module reached through a barrel (`import { Client } from "@timtags/core"`), used or not.
import * as Account from "@timtags/core/Account"
import * as PushTags from "@timtags/core/PushTags"
import * as RateLimit from "@timtags/core/RateLimit"
import type * as Signer from "@timtags/core/Signer"
import * as TimConfig from "@timtags/core/TimConfig"
import * as TimRest from "@timtags/core/TimRest"
import * as UserSigCache from "@timtags/core/UserSigCache"
import * as FetchPlatform from "@timtags/platform-fetch/FetchPlatform"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Scope from "effect/Scope"

/** The bindings this worker reads. */
export interface Env {
  readonly TIM_SDKAPPID?: string
  readonly TIM_SECRET_KEY?: string
  readonly TIM_USERSIG?: string
  readonly TIM_ADMIN?: string
  readonly TIM_REGION?: string
  readonly TIM_BASE_URL?: string
  readonly TIM_TIMEOUT?: string
}

const bindingNames = [
  "TIM_SDKAPPID",
  "TIM_SECRET_KEY",
  "TIM_USERSIG",
  "TIM_ADMIN",
  "TIM_REGION",
  "TIM_BASE_URL",
  "TIM_TIMEOUT"
] as const

/** Most accounts one request may ask for: one `get_tag` call, one subrequest. (Not exported: workerd takes
 * every named export of the main module for a handler.) */
const maxAccounts = Account.maxPerCall

/** What the requests of an isolate share: nothing that makes one request wait for another. */
type Shared = TimConfig.TimConfig | HttpClient.HttpClient | Signer.Signer | UserSigCache.UserSigCache

/** The isolate's shared services for the bindings they were built from, or why they could not be built. */
let current:
  | { readonly key: string; readonly built: Exit.Exit<Context.Context<Shared>, Config.ConfigError> }
  | undefined

/** The shared services of the isolate for these bindings; `cold` when this request builds them. */
const sharedFor = (
  env: Env
): { readonly built: Exit.Exit<Context.Context<Shared>, Config.ConfigError>; readonly cold: boolean } => {
  const values = bindingNames.map((name) => env[name])
  const key = JSON.stringify(values)
  if (current?.key === key) return { built: current.built, cold: false }
  const bindings: Record<string, string> = {}
  bindingNames.forEach((name, i) => {
    const value = values[i]
    if (typeof value === "string" && value !== "") bindings[name] = value
  })
  // Only these bindings: `fromEnvRecord` reads the record given, never `process.env`.
  const config = TimConfig.layerConfig().pipe(
    Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(bindings)))
  )
  const shared = Layer.mergeAll(
    config,
    FetchPlatform.layer,
    UserSigCache.layerUnshared.pipe(
      Layer.provide(config),
      Layer.provide(FetchPlatform.layer)
    )
  )
  // Synchronous (no layer here does I/O), so no request ever waits for another's build. Nothing in these
  // layers holds a resource, so the scope is never closed.
  const built = Effect.runSyncExit(Layer.buildWithScope(shared, Scope.makeUnsafe()))
  current = { key, built }
  return { built, cold: true }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers }
  })

/** An error as a JSON body: its tag, message and public fields; never a secret (the errors hold none). */
const errorBody = (error: unknown): Record<string, unknown> => {
  const e = error as Record<string, unknown> & { readonly _tag?: unknown; readonly message?: unknown }
  const body: Record<string, unknown> = {
    _tag: typeof e._tag === "string" ? e._tag : "Error",
    message: typeof e.message === "string" ? e.message : String(error)
  }
  for (
    const field of ["reason", "retryable", "code", "kind", "status", "account", "hint", "field", "value", "problem"]
  ) {
    const value = e[field]
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") body[field] = value
  }
  return body
}

const badRequest = (message: string, extra: Record<string, unknown> = {}) =>
  json(400, { error: { _tag: "BadRequest", message, ...extra } })

/** Failures of the whole upstream call; `TimAccountError`s are per-account answers instead. */
const upstreamTags = new Set(["TimApiError", "TimTransportError", "TimDecodeError"])

/**
 * The request's own `PushTags` lookups over the isolate's `TimRest`. A `PushTags` shared by the isolate
 * would put the accounts of concurrent requests into one batch, sent from the request that opened it;
 * the others would wait on that request's I/O, and workerd cancels such a request as hung ("code had
 * hung and would never generate a response"). For the same reason its own `TimRest` and limiter. No window: the request's accounts are all submitted at
 * once. Only the lookups (`makeLookups`, not `make`): the bundle leaves out the stream and the writes.
 */
const requestPushTags = PushTags.makeLookups({ window: 0 }).pipe(
  Effect.provideServiceEffect(TimRest.TimRest, TimRest.make()),
  Effect.provideServiceEffect(RateLimit.RateLimit, RateLimit.makeMemory())
)

const lookup = (accounts: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const pushTags = yield* requestPushTags
    const outcomes = yield* pushTags.getTagsMany(accounts)
    const tags: Record<string, ReadonlyArray<string>> = {}
    const errors: Record<string, Record<string, unknown>> = {}
    for (const [account, outcome] of outcomes) {
      if (Result.isSuccess(outcome)) {
        tags[account] = outcome.success
      } else if (upstreamTags.has(outcome.failure._tag)) {
        // One call carries every account, so one upstream failure is the request's failure.
        return { status: 502, body: { error: errorBody(outcome.failure) } }
      } else {
        errors[account] = errorBody(outcome.failure)
      }
    }
    return { status: 200, body: { tags, errors } }
  })

const handleTags = async (url: URL, env: Env): Promise<Response> => {
  const accounts = url.searchParams.getAll("account")
  if (accounts.length === 0) return badRequest("expected at least one ?account= parameter")
  const distinct = [...new Set(accounts)]
  if (distinct.length > maxAccounts) {
    return badRequest(`expected at most ${maxAccounts} distinct accounts, got ${distinct.length}`)
  }
  for (const account of distinct) {
    const checked = Account.validate(account)
    if (Result.isFailure(checked)) return json(400, { error: errorBody(checked.failure) })
  }
  const { built, cold } = sharedFor(env)
  if (built._tag === "Failure") return failed(built.cause)
  const started = Date.now()
  const exit = await Effect.runPromiseExit(Effect.provideContext(lookup(distinct), built.value))
  if (exit._tag === "Success") {
    // Server-Timing shows whether this request built the isolate's client, and the lookup's time.
    const timing = `client;desc="${cold ? "cold" : "warm"}", tags;dur=${Date.now() - started}`
    return json(exit.value.status, exit.value.body, { "server-timing": timing })
  }
  return failed(exit.cause)
}

/** 500: missing or invalid bindings (the only expected failure), or anything unexpected. */
const failed = (cause: Cause.Cause<unknown>): Response => {
  const failure = Cause.findErrorOption(cause)
  if (Option.isSome(failure) && failure.value instanceof Config.ConfigError) {
    return json(500, { error: { _tag: "ConfigError", message: failure.value.message } })
  }
  console.error("edge-worker: unexpected failure", Cause.squash(cause))
  return json(500, { error: { _tag: "InternalError", message: "the lookup failed unexpectedly" } })
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname !== "/tags") {
      return json(404, { error: { _tag: "NotFound", message: "try GET /tags?account=a&account=b" } })
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return json(405, { error: { _tag: "MethodNotAllowed", message: "use GET" } }, { allow: "GET, HEAD" })
    }
    return handleTags(url, env)
  }
}
