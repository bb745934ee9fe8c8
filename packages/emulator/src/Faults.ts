/**
 * Faults the emulator injects on request, for testing clients: an HTTP status instead of an answer, a Chat
 * error code, a delay before answering normally, or a dropped connection; and the ambiguous outcomes a push
 * client must survive, where the call takes effect but its answer is lost (`AcceptThenDrop`) or late
 * (`AcceptThenDelay`). Faults wait in a queue; a call takes the first one whose `command` matches (or that has
 * none) and uses up one of its `times`. Faults apply after routing and the rate limit but before any request
 * check, so any code can be injected; the two `AcceptThen` faults let the call run through every check and
 * the command first.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { orInfinity } from "./internal/Unbounded.js"

/**
 * One fault.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Fault = Schema.Union([
  /** Answer with this HTTP status and body text (default: empty) instead of a JSON envelope. */
  Schema.TaggedStruct("HttpStatus", {
    status: Schema.Int.check(Schema.isBetween({ minimum: 200, maximum: 599 })),
    body: Schema.optional(Schema.String)
  }),
  /** Answer `{ActionStatus: "FAIL", ErrorCode: code, ErrorInfo: info}` with HTTP 200. */
  Schema.TaggedStruct("ErrorCode", { code: Schema.Int, info: Schema.optional(Schema.String) }),
  /**
   * Wait `millis` (Effect `Clock`), then run the call and answer normally. A client that hangs up meanwhile
   * ends the call, which never runs; with `runsAnyway: true` it runs when the delay ends all the same (a
   * server that had already taken it): a write whose client timed out lands later (`@since 0.3.0`).
   */
  Schema.TaggedStruct("Delay", {
    millis: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)),
    runsAnyway: Schema.optional(Schema.Boolean)
  }),
  /** Destroy the socket without answering. */
  Schema.TaggedStruct("Drop", {}),
  /**
   * Run the call as usual (a push is recorded and delivered), then destroy the socket without answering.
   *
   * @since 0.3.0
   */
  Schema.TaggedStruct("AcceptThenDrop", {}),
  /**
   * Run the call as usual, then send its answer only after `millis` (Effect `Clock`).
   *
   * @since 0.3.0
   */
  Schema.TaggedStruct("AcceptThenDelay", { millis: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)) })
])

/**
 * One fault.
 *
 * @since 0.1.0
 * @category models
 */
export type Fault = typeof Fault.Type

/**
 * A queued fault: for calls to `command` (default any), `times` times (default 1; `Infinity` allowed, written
 * `"Infinity"` in JSON).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FaultSpec = Schema.Struct({
  command: Schema.optional(Schema.String),
  times: Schema.optional(orInfinity(Schema.Number.check(Schema.isGreaterThan(0)))),
  /**
   * The chance (above 0, at most 1) that a matching call gets the fault; default 1. A call it spares goes on to
   * the next queued fault. Only faults given count against `times` (e.g. `{probability: 0.01, times: Infinity}`:
   * one call in a hundred, for ever).
   *
   * @since 0.3.0
   */
  probability: Schema.optional(Schema.Number.check(Schema.isGreaterThan(0), Schema.isLessThanOrEqualTo(1))),
  fault: Fault
})

/**
 * A queued fault.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultSpec = typeof FaultSpec.Type

/**
 * The queue.
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultQueue {
  readonly push: (spec: FaultSpec) => void
  readonly clear: () => void
  /** Takes the fault for a call to `command`, if one is queued. */
  readonly take: (command: string) => Fault | undefined
}

/**
 * Makes an empty queue.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): FaultQueue => {
  let queue: Array<
    { readonly command: string | undefined; remaining: number; readonly probability: number; readonly fault: Fault }
  > = []
  return {
    push: (spec) => {
      queue.push({
        command: spec.command,
        remaining: spec.times ?? 1,
        probability: spec.probability ?? 1,
        fault: spec.fault
      })
    },
    clear: () => {
      queue = []
    },
    take: (command) => {
      const index = queue.findIndex((entry) =>
        (entry.command === undefined || entry.command === command) &&
        (entry.probability >= 1 || Math.random() < entry.probability)
      )
      if (index < 0) return undefined
      const entry = queue[index]!
      if (--entry.remaining <= 0) queue.splice(index, 1)
      return entry.fault
    }
  }
}
