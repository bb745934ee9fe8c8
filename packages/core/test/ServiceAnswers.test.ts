/**
 * Property tests of the services on what a misbehaving server answers: each service call that reads
 * an answer (`PushTags`, `PushAttrs`, `AccountImport`, `PushSchedule`, `PushStats`), given a
 * realistic answer damaged at one place (wrong types, `null`s, missing and extra fields, nesting
 * 10,000+ levels deep, oversized lists) or any JSON at all, ends in a value or a typed error, never a
 * defect, and never hangs (the test's timeout). The answers come from a scripted `TimRest` that
 * reads them as `TimRest` does; the HTTP path is `HostileServer.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import * as AccountImport from "@timtags/core/AccountImport"
import * as PushAttrs from "@timtags/core/PushAttrs"
import * as PushSchedule from "@timtags/core/PushSchedule"
import * as PushStats from "@timtags/core/PushStats"
import * as PushTags from "@timtags/core/PushTags"
import * as Target from "@timtags/core/Target"
import * as TimConfig from "@timtags/core/TimConfig"
import type { TimRest } from "@timtags/core/TimRest"
import * as Arbitrary from "effect/Arbitrary"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import * as Decoders from "./support/Decoders.js"
import * as Hostile from "./support/Hostile.js"
import * as ScriptedRest from "./support/ScriptedRest.js"

/** The errors an answer may end in. */
const typed = ["TimDecodeError", "TimApiError", "TimAccountError", "TimOutcomeUnknownError"]

const ok = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" }
const hour = 3_600_000
const window = () => ({ from: new Date(Date.now() - hour), to: new Date() })

/** Outcomes by account: each a value or a typed error. */
const outcomes = (map: ReadonlyMap<string, Result.Result<unknown, { readonly _tag: string }>>) => {
  for (const outcome of map.values()) {
    if (Result.isFailure(outcome)) expect(typed).toContain(outcome.failure._tag)
  }
  return map
}

/** A service call reading `sample`'s kind of answer. */
interface Call {
  readonly name: string
  readonly sample: unknown
  readonly run: Effect.Effect<unknown, { readonly _tag: string }, TimConfig.TimConfig | TimRest>
}

const calls: ReadonlyArray<Call> = [
  {
    name: "PushTags.getTagsMany",
    sample: { ...ok, UserTags: [{ To_Account: "alice", Tags: ["gold"] }, { To_Account: "bob" }] },
    run: Effect.flatMap(PushTags.make({ hedge: false }), (tags) => tags.getTagsMany(["alice", "bob"]))
      .pipe(Effect.map(outcomes))
  },
  {
    name: "PushAttrs.getAttrsMany",
    sample: { ...ok, UserAttrs: [{ To_Account: "alice", Attrs: { city: "Lisbon" } }, { To_Account: "bob" }] },
    run: Effect.flatMap(PushAttrs.make({ hedge: false }), (attrs) => attrs.getAttrsMany(["alice", "bob"]))
      .pipe(Effect.map(outcomes))
  },
  {
    name: "PushAttrs.getAttrNames",
    sample: { ...ok, AttrNames: { "0": "city", "1": "device" }, AttrTypes: { "1": 1 } },
    run: Effect.flatMap(PushAttrs.make({ hedge: false }), (attrs) => attrs.getAttrNames)
  },
  {
    name: "AccountImport.importAccounts",
    sample: { ...ok, FailAccounts: ["bob"] },
    run: Effect.flatMap(AccountImport.make({ hedge: false }), (imports) => imports.importAccounts(["alice", "bob"]))
      .pipe(Effect.map(outcomes))
  },
  ...Decoders.schemaBuilt.map(({ command, sample }): Call => ({ name: command, sample, run: scheduleOrStats(command) }))
]

/** The `PushSchedule` or `PushStats` call that reads `command`'s answer. */
function scheduleOrStats(command: string): Call["run"] {
  const schedule = (use: (service: PushSchedule.Service) => Effect.Effect<unknown, { readonly _tag: string }>) =>
    Effect.flatMap(PushSchedule.make(), use)
  const stats = (use: (service: PushStats.Service) => Effect.Effect<unknown, { readonly _tag: string }>) =>
    Effect.flatMap(PushStats.make, use)
  switch (command) {
    case "timpush/add_sched_task":
      return schedule((s) => s.add(new Date(Date.now() + hour), Target.tags({ or: ["gold"] }), { Title: "Hi" }))
    case "timpush/get_sched_task":
      return schedule((s) => s.get(12))
    case "timpush/list_sched_task":
      // The scripted server answers every page alike: the first 10 pages are enough.
      return schedule((s) => Stream.runCollect(Stream.take(s.list({ ...window(), pageSize: 2 }), 20)))
    case "timpush/all_member_push_statistics":
      return stats((s) => s.statistics(window()))
    case "timpush/all_member_push_loss":
      return stats((s) => s.loss(window()))
    case "timpush/all_member_push_trace":
      return stats((s) => s.trace("task", "alice"))
    case "timpush/normal_push_statistics":
      return stats((s) => s.messageStatistics(window()))
  }
  throw new Error(`no call reads ${command}`)
}

/** `call` with `text` as every answer. */
const answering = (call: Call, text: string) =>
  call.run.pipe(Effect.provide(Layer.merge(
    ScriptedRest.make(text).layer,
    TimConfig.layer({ sdkAppId: 1400000001, secretKey: "k", baseUrl: "http://127.0.0.1:9" })
  )))

/** Runs `call` with `text` as every answer: a value or a typed error, never a defect. */
const endsTyped = (call: Call, text: string) =>
  answering(call, text).pipe(
    Effect.exit,
    Effect.map((exit) => {
      if (Exit.isFailure(exit)) {
        expect(Cause.hasDies(exit.cause), Cause.pretty(exit.cause)).toBe(false)
        const error = Cause.findErrorOption(exit.cause)
        expect(error._tag === "Some" && typed.includes(error.value._tag), Cause.pretty(exit.cause)).toBe(true)
      }
    })
  )

describe.each(calls)("$name on a hostile answer", (call) => {
  it.live("its sample answer is a value (alice's, for many accounts)", () =>
    Effect.map(answering(call, JSON.stringify(call.sample)), (value) => {
      if (value instanceof Map) expect(value.get("alice")).toMatchObject({ _tag: "Success" })
    }))

  it.live.prop(
    "damaged at one place: a value or a typed error, never a defect",
    [Hostile.damaged(Arbitrary.Constant(call.sample))],
    ([damaged]) => endsTyped(call, Hostile.text(damaged)),
    { timeout: 120_000, arbitrary: { runs: 200 } }
  )

  it.live.prop(
    "any JSON at all: a value or a typed error, never a defect",
    [Hostile.json],
    ([json]) => endsTyped(call, JSON.stringify(json)),
    { timeout: 60_000, arbitrary: { runs: 100 } }
  )
})
