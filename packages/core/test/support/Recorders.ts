/** A tracer and a logger that keep everything they are given, for tests that inspect telemetry. */
import * as Cause from "effect/Cause"
import * as Formatter from "effect/Formatter"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import * as References from "effect/References"
import * as Tracer from "effect/Tracer"

/** One recorded span. */
export interface RecordedSpan {
  readonly name: string
  readonly attributes: Map<string, unknown>
  readonly events: Array<string>
  readonly links: ReadonlyArray<Tracer.SpanLink>
  readonly span: Tracer.Span
}

/** A tracer recording every span with its attributes, events and status. */
export const recordingTracer = () => {
  const spans: Array<RecordedSpan> = []
  const tracer = Tracer.make({
    span({ annotations, kind, links, name, parent, sampled, startTime }) {
      const attributes = new Map<string, unknown>()
      const events: Array<string> = []
      const spanId = Math.random().toString(16).slice(2)
      const traceId = Option.isSome(parent) ? parent.value.traceId : Math.random().toString(16).slice(2)
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId,
        traceId,
        parent,
        annotations,
        status: { _tag: "Started", startTime },
        attributes,
        links,
        sampled,
        kind,
        end(endTime, exit) {
          ;(span as { status: Tracer.SpanStatus }).status = { _tag: "Ended", startTime, endTime, exit }
          events.push(`exit:${Formatter.format(exit)}`)
        },
        attribute(key, value) {
          attributes.set(key, value)
        },
        event(eventName, _time, eventAttributes) {
          events.push(`${eventName}:${JSON.stringify(eventAttributes ?? {})}`)
        },
        addLinks(more) {
          links.push(...more)
        }
      }
      spans.push({ name, attributes, events, links, span })
      return span
    }
  })
  /** Everything recorded, as one string. */
  const dump = () =>
    spans.map((s) => `${s.name} ${Formatter.format(Object.fromEntries(s.attributes))} ${s.events.join(" ")}`).join("\n")
  return { spans, tracer, dump }
}

/**
 * A logger recording each message, its cause (pretty-printed) and annotations. Its `layer` replaces
 * the default (console) logger and keeps the tracer logger, so log lines still reach spans as events.
 */
export const recordingLogger = () => {
  const lines: Array<string> = []
  const logger = Logger.make(({ cause, fiber, message }) => {
    lines.push([
      Formatter.format(message),
      cause.reasons.length === 0 ? "" : Cause.pretty(cause),
      Formatter.format(fiber.getRef(References.CurrentLogAnnotations))
    ].join(" "))
  })
  return { lines, logger, layer: Logger.layer([logger, Logger.tracerLogger]) }
}
