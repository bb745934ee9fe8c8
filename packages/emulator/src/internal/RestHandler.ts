/**
 * The `/v4/{service}/{command}` handler: stamp (after the arrival jitter), route, rate limit (the command's
 * own, with its own code), injected fault, request checks, then the command, answering HTTP 200 with a JSON
 * envelope (unless a fault says otherwise) and logging every call.
 */
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Effect from "effect/Effect"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import type { CallRecord } from "../CallLog.js"
import type { RateLimitSettings } from "../Emulator.js"
import { ErrorCode } from "../ErrorCodes.js"
import type { Fault } from "../Faults.js"
import * as CallStamp from "./CallStamp.js"
import type { Command } from "./Command.js"
import { lookup } from "./CommandTable.js"
import { type Envelope, fail } from "./Envelope.js"
import { limitOf } from "./RateLimitSettings.js"
import { checkBody, checkQuery, parseBody, parseRandom } from "./RequestChecks.js"
import type { State } from "./State.js"

type Call = Omit<CallRecord, "errorCode" | "httpStatus">

/** Records an answered call: in the call log, and as a line for the `requestLog` option. */
const record = (state: State, call: CallRecord) => {
  state.log.record(call)
  state.requestLog?.(call)
}

/** Whether a call was logged: each call is logged once. */
interface Logged {
  done: boolean
}

/** How one call is answered and logged (once, whichever way it ends). */
const answers = (state: State, call: Call, logged: Logged = { done: false }) => {
  const once = (answered: CallRecord) => {
    if (logged.done) return
    logged.done = true
    record(state, answered)
  }
  return {
    envelope: (envelope: Envelope) => {
      once({ ...call, errorCode: envelope.ErrorCode, httpStatus: 200 })
      return HttpServerResponse.jsonUnsafe(envelope)
    },
    status: (status: number, body: string) => {
      once({ ...call, errorCode: -1, httpStatus: status })
      return HttpServerResponse.text(body, { status })
    },
    drop: (request: HttpServerRequest.HttpServerRequest) => {
      once({ ...call, errorCode: -1, httpStatus: 0 })
      NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()
      return Effect.interrupt
    },
    /** The call ended without an answer (the client hung up, the server closed): logged like a dropped one. */
    abandoned: () => once({ ...call, errorCode: -1, httpStatus: 0 })
  }
}

type Answers = ReturnType<typeof answers>

/** The faults that answer instead of the call: it does not run. */
type Instead = Exclude<Fault, { readonly _tag: "Delay" | "AcceptThenDrop" | "AcceptThenDelay" }>

const isInstead = (fault: Fault): fault is Instead =>
  fault._tag === "HttpStatus" || fault._tag === "ErrorCode" || fault._tag === "Drop"

/** Answers with a fault that replaces the call. */
const injected = (
  fault: Instead,
  answer: Answers,
  request: HttpServerRequest.HttpServerRequest
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  switch (fault._tag) {
    case "HttpStatus":
      return Effect.succeed(answer.status(fault.status, fault.body ?? ""))
    case "ErrorCode":
      return Effect.succeed(answer.envelope(fail(fault.code, fault.info)))
    case "Drop":
      return answer.drop(request)
  }
}

/**
 * Runs the call after a `Delay`. A client that hangs up meanwhile ends it (the call never runs), unless
 * `runsAnyway`: then the call runs when the delay ends all the same, as on a server that had already taken it.
 */
const delayed = <A>(fault: Extract<Fault, { readonly _tag: "Delay" }>, run: Effect.Effect<A>) => {
  const late = Effect.andThen(Effect.sleep(fault.millis), run)
  return fault.runsAnyway === true ? Effect.uninterruptible(late) : late
}

const splitUrl = (url: string): readonly [path: string, query: string] => {
  const q = url.indexOf("?")
  return q < 0 ? [url, ""] : [url.slice(0, q), url.slice(q + 1)]
}

const serve = (
  state: State,
  settings: RateLimitSettings,
  command: Command,
  request: HttpServerRequest.HttpServerRequest,
  params: URLSearchParams,
  received: Call
) => {
  // Counted by the rate limit on arrival, so logged even if it ends unanswered.
  const logged: Logged = { done: false }
  let current = received
  return Effect.gen(function*() {
    const rule = {
      limit: limitOf(settings, state.rateLimit.commands(), command.name),
      countRefused: settings.countRefused
    }
    const admit = () => state.limiter.tryAcquire(command.name, received.at, rule)
    // Counted on arrival, before the body is read; or (lenient) once the body is in, in the order bodies complete.
    const admittedOnArrival = settings.stampAtArrival ? admit() : undefined
    const body = parseBody(yield* Effect.orElseSucceed(request.text, () => ""), command)
    const call: Call = { ...received, accounts: typeof body === "number" ? 0 : body.accounts }
    current = call
    if (!(admittedOnArrival ?? admit())) {
      const refused = fail(command.limitCode ?? ErrorCode.RateLimited)
      return answers(state, { ...call, rateLimited: true }, logged).envelope(refused)
    }
    const answer = answers(state, call, logged)
    const fault = state.faults.take(command.name)
    if (fault !== undefined && isInstead(fault)) return yield* injected(fault, answer, request)
    const run = checkQuery(params, command.service, state).pipe(
      Effect.andThen(checkBody(body, command)),
      Effect.match({ onFailure: (code) => fail(code), onSuccess: (prepared) => prepared.run(state.commands) })
    )
    const envelope = yield* fault?._tag === "Delay" ? delayed(fault, run) : run
    if (fault?._tag === "AcceptThenDrop") return yield* answer.drop(request)
    const response = answer.envelope(envelope)
    if (fault?._tag === "AcceptThenDelay") yield* Effect.sleep(fault.millis)
    return response
  }).pipe(Effect.onInterrupt(() => Effect.sync(() => answers(state, current, logged).abandoned())))
}

/** The handler for every `/v4/...` request. The rate-limit settings it reads on arrival hold for the call. */
export const make = (
  state: State
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const settings = state.rateLimit.get()
    const at = yield* CallStamp.stamp(settings, state.arrivals.of(request))
    const [path, query] = splitUrl(request.url)
    const params = new URLSearchParams(query)
    const command = lookup(path)
    const received: Call = {
      command: command?.name ?? path,
      at,
      random: parseRandom(params.get("random")),
      accounts: 0,
      rateLimited: false
    }
    if (command === undefined) return answers(state, received).envelope(fail(ErrorCode.ResourceNotFound))
    if (request.method !== "POST") return answers(state, received).envelope(fail(ErrorCode.HttpParse))
    return yield* serve(state, settings, command, request, params, received)
  })
