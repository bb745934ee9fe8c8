/** A tracer and a logger that keep everything they are given, for tests that inspect telemetry. */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Inspectable from "effect/Inspectable"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
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
    span(name, parent, context, links, startTime, kind) {
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
        context: context ?? Context.empty(),
        status: { _tag: "Started", startTime },
        attributes,
        links,
        sampled: true,
        kind,
        end(endTime, exit) {
          ;(span as { status: Tracer.SpanStatus }).status = { _tag: "Ended", startTime, endTime, exit }
          events.push(`exit:${Inspectable.format(exit)}`)
        },
        attribute(key, value) {
          attributes.set(key, value)
        },
        event(eventName, _time, eventAttributes) {
          events.push(`${eventName}:${JSON.stringify(eventAttributes ?? {})}`)
        },
        addLinks(more) {
          ;(links as Array<Tracer.SpanLink>).push(...more)
        }
      }
      spans.push({ name, attributes, events, links, span })
      return span
    },
    context: (f) => f()
  })
  /** Everything recorded, as one string. */
  const dump = () =>
    spans.map((s) => `${s.name} ${Inspectable.format(Object.fromEntries(s.attributes))} ${s.events.join(" ")}`).join("\n")
  return { spans, tracer, dump }
}

/** A logger recording each message, its cause (pretty-printed) and annotations. */
export const recordingLogger = () => {
  const lines: Array<string> = []
  const logger = Logger.make(({ annotations, cause, message }) => {
    lines.push([
      Inspectable.format(message),
      Cause.isEmpty(cause) ? "" : Cause.pretty(cause, { renderErrorCause: true }),
      Inspectable.format(Object.fromEntries(annotations))
    ].join(" "))
  })
  return { lines, logger, layer: Logger.replace(Logger.defaultLogger, logger) }
}
