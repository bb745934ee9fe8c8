import { describe, expect, it } from "@effect/vitest"
import * as PushTags from "@timtags/core/PushTags"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import * as Harness from "./support/Harness.js"
import { recordingTracer } from "./support/Recorders.js"

describe("tracing across the batching boundary", () => {
  it.live("a trace shows which batch served each lookup, and the REST call under that batch", () => {
    const tracing = recordingTracer()
    return Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      const fibers = yield* Effect.forEach(
        ["alice", "bob", "carol"],
        (account) => Effect.forkChild(tags.getTags(account).pipe(Effect.withSpan(`handler ${account}`)))
      )
      yield* Fiber.joinAll(fibers)

      const batches = tracing.spans.filter((s) => s.name === "timtags.batch")
      expect(batches).toHaveLength(1)
      const batch = batches[0]!
      // A batch serves many traces: it is a root span of its own.
      expect(Option.isNone(batch.span.parent)).toBe(true)
      const lookups = tracing.spans.filter((s) => s.name === "PushTags.getTags")
      expect(lookups).toHaveLength(3)
      // The batch links to every lookup it served, and each lookup names its batch.
      expect(batch.links.map((l) => l.span.spanId).sort()).toEqual(lookups.map((l) => l.span.spanId).sort())
      for (const lookup of lookups) {
        expect(lookup.attributes.get("tim.batch.span_id")).toBe(batch.span.spanId)
        expect(lookup.attributes.get("tim.batch.trace_id")).toBe(batch.span.traceId)
        const parent = lookup.span.parent
        expect(Option.isSome(parent) && parent.value.spanId).toBe(
          tracing.spans.find((s) =>
            s.name.startsWith("handler") && s.span.spanId === (Option.isSome(parent) ? parent.value.spanId : "")
          )
            ?.span.spanId
        )
      }
      // The REST call runs under the batch span and records command, accounts, attempt and URL.
      const rest = tracing.spans.filter((s) => s.name === "timtags timpush/get_tag")
      expect(rest).toHaveLength(1)
      const restParent = rest[0]!.span.parent
      expect(Option.isSome(restParent) && restParent.value.spanId).toBe(batch.span.spanId)
      expect(Object.fromEntries(rest[0]!.attributes)).toMatchObject({
        "tim.command": "timpush/get_tag",
        "tim.accounts": 3,
        "tim.attempt": 1
      })
    }).pipe(
      // The batch and REST spans come from the service's tracer, the lookups' from the caller's: both record here.
      Effect.provide(
        Harness.client({ client: { window: "20 millis" }, services: Layer.succeed(Tracer.Tracer, tracing.tracer) })
      ),
      Effect.withTracer(tracing.tracer)
    )
  })
})
