/**
 * Every answer decoder of core, for the property tests: each hand-written one with the schema that
 * specifies it (and the documented bounds of its lists), and the schema-built ones of `PushSchedule`
 * and `PushStats` with a realistic answer of each. The decoders the services keep to themselves
 * (`get_tag`, `get_attr`, `multiaccount_import`, the schedule and statistics answers) are taken from
 * the services' own calls through a scripted `TimRest`, so the very decoders in use are tested.
 */
import { expect } from "@effect/vitest"
import * as AccountImport from "@timtags/core/AccountImport"
import * as Envelope from "@timtags/core/Envelope"
import * as PushAttrs from "@timtags/core/PushAttrs"
import * as PushSchedule from "@timtags/core/PushSchedule"
import * as PushStats from "@timtags/core/PushStats"
import * as PushTags from "@timtags/core/PushTags"
import * as Target from "@timtags/core/Target"
import * as TimConfig from "@timtags/core/TimConfig"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Answers from "../../src/internal/push/answers.js"
import * as Hostile from "./Hostile.js"
import * as ScriptedRest from "./ScriptedRest.js"

/** A list in an answer (an array, or an object of fields) with its documented bound: `put` sets it to `items`. */
export interface Bound {
  readonly list: string
  readonly kind: "array" | "object"
  readonly max: number
  readonly item: Arbitrary.Arbitrary<unknown>
  readonly put: (answer: Record<string, unknown>, items: ReadonlyArray<unknown>) => void
}

/** A hand-written decoder and the schema that specifies it. */
export interface Pair {
  readonly name: string
  readonly decoder: Envelope.Decoder<unknown>
  /** The schema the answers are generated from. */
  readonly schema: Schema.Top & Schema.Decoder<unknown>
  /** What the decoder should give: `fromSchema(schema)`, its result shaped as the decoder shapes it. */
  readonly reference: Envelope.Decoder<unknown>
  readonly bounds: ReadonlyArray<Bound>
}

const withDefault = <S extends Schema.Top>(schema: S, value: S["Type"]) =>
  schema.pipe(Schema.withDecodingDefault(Effect.succeed(value)))

/** The answers of `push` (ErrorList up to `maxErrors`) and their `TaskId`. */
const TaskAnswer = (maxErrors: number) =>
  Schema.Struct({
    ...Envelope.Envelope.fields,
    ErrorList: withDefault(Schema.Array(Envelope.ErrorListEntry).check(Schema.isMaxLength(maxErrors)), []),
    TaskId: withDefault(Schema.String, "")
  })

/** The answer of `multiaccount_import`: the envelope and the accounts it failed, without reasons. */
const ImportAnswer = Schema.Struct({
  ...Envelope.Envelope.fields,
  FailAccounts: withDefault(Schema.Array(Schema.String).check(Schema.isMaxLength(Envelope.limits.accounts)), [])
})

const account = Arbitrary.schema(Schema.String)
/** An `ErrorList` entry (with a code JSON can carry: no NaN, no infinity). */
const errorEntry = Arbitrary.schema(
  Schema.Struct({
    ...Envelope.ErrorListEntry.fields,
    ErrorCode: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 99999 }))
  })
)
const tag = Arbitrary.schema(Schema.String)

/** An object of `items.length` fields, named `f0`, `f1`, …, holding `items`. */
const fields = (items: ReadonlyArray<unknown>) => {
  const object: Record<string, unknown> = {}
  for (let i = 0; i < items.length; i++) object[`f${i}`] = items[i]
  return object
}

const errorList = (max: number): Bound => ({
  list: "ErrorList",
  kind: "array",
  max,
  item: errorEntry,
  put: (answer, items) => void (answer.ErrorList = items)
})

/** The first account's value of the list `field` (`{To_Account, [valueField]}` entries), set to `value`. */
const firstValue = (answer: Record<string, unknown>, field: string, valueField: string, value: unknown) => {
  const rest = Array.isArray(answer[field]) ? (answer[field] as Array<unknown>).slice(1) : []
  answer[field] = [{ To_Account: "first", [valueField]: value }, ...rest]
}

const tagBounds: ReadonlyArray<Bound> = [
  errorList(Envelope.limits.accounts),
  {
    list: "UserTags",
    kind: "array",
    max: Envelope.limits.accounts,
    item: Arbitrary.array(tag, { maxLength: 3 }),
    put: (answer, items) => void (answer.UserTags = items.map((Tags, i) => ({ To_Account: `a${i}`, Tags })))
  },
  {
    list: "UserTags[0].Tags",
    kind: "array",
    max: Envelope.limits.tags,
    item: tag,
    put: (answer, items) => firstValue(answer, "UserTags", "Tags", items)
  }
]

const attrBounds: ReadonlyArray<Bound> = [
  errorList(Envelope.limits.accounts),
  {
    list: "UserAttrs",
    kind: "array",
    max: Envelope.limits.accounts,
    item: account,
    put: (answer, items) => void (answer.UserAttrs = items.map((To_Account) => ({ To_Account, Attrs: { f: "v" } })))
  },
  {
    list: "UserAttrs[0].Attrs",
    kind: "object",
    max: Envelope.limits.attributes,
    item: Arbitrary.schema(Schema.String),
    put: (answer, items) => firstValue(answer, "UserAttrs", "Attrs", fields(items))
  }
]

/** A reference for a keyed read answer: the schema's list `field` split into `keys` and `values`. */
const keyed = (schema: Schema.Decoder<unknown>, field: string, valueField: string): Envelope.Decoder<unknown> => {
  const reference = Envelope.fromSchema(schema)
  return {
    decode: (input) =>
      Result.map(reference.decode(input), (answer) => {
        const { [field]: list, ...envelope } = answer as Record<string, ReadonlyArray<Record<string, unknown>>>
        return { ...envelope, keys: list.map((e) => e.To_Account), values: list.map((e) => e[valueField]) }
      })
  }
}

/** The import answer as the service reads it: `FailAccounts` appended to `ErrorList`, code 0. */
const importReference: Envelope.Decoder<unknown> = {
  decode: (input) =>
    Result.map(
      Envelope.fromSchema(ImportAnswer).decode(input),
      ({ FailAccounts, ...envelope }) =>
        FailAccounts.length === 0 ? envelope : {
          ...envelope,
          ErrorList: [
            ...envelope.ErrorList,
            ...FailAccounts.map((To_Account) => ({
              To_Account,
              ErrorCode: AccountImport.unexplainedFailure,
              ErrorInfo: expect.any(String)
            }))
          ]
        }
    )
}

const scripted = ScriptedRest.make()
const now = new Date()
const window = { from: new Date(now.getTime() - 60_000), to: now }

/** Every service call whose decoder is taken (each fails, 90009, and is not retried). */
await Effect.gen(function*() {
  yield* (yield* PushTags.make({ hedge: false })).getTagsMany(["alice"])
  yield* (yield* PushAttrs.make({ hedge: false })).getAttrsMany(["alice"])
  yield* (yield* AccountImport.make({ hedge: false })).importAccounts(["alice"])
  const schedule = yield* PushSchedule.make()
  yield* Effect.exit(schedule.add(new Date(now.getTime() + 3_600_000), Target.allUsers, { Title: "t" }))
  yield* Effect.exit(schedule.get(1))
  yield* Effect.exit(Stream.runDrain(schedule.list({ from: window.from, to: window.to })))
  const stats = yield* PushStats.make
  yield* Effect.exit(stats.statistics(window))
  yield* Effect.exit(stats.loss(window))
  yield* Effect.exit(stats.trace("t", "alice"))
  yield* Effect.exit(stats.messageStatistics(window))
}).pipe(
  Effect.provide(
    Layer.merge(
      scripted.layer,
      TimConfig.layer({ sdkAppId: 1400000001, secretKey: "k", baseUrl: "http://127.0.0.1:9" })
    )
  ),
  Effect.runPromise
)

/** The decoder the services use for `command`. */
export const of = (command: string) => ScriptedRest.decoder(scripted, command)

/** The hand-written decoders and their specifications. */
export const pairs: ReadonlyArray<Pair> = [
  {
    name: "Envelope.envelope",
    decoder: Envelope.envelope,
    schema: Envelope.Envelope,
    reference: Envelope.fromSchema(Envelope.Envelope),
    bounds: [errorList(Envelope.limits.accounts)]
  },
  {
    name: "Envelope.getTagResponse",
    decoder: Envelope.getTagResponse,
    schema: Envelope.GetTagResponse,
    reference: Envelope.fromSchema(Envelope.GetTagResponse),
    bounds: tagBounds
  },
  {
    name: "Envelope.getAttrResponse",
    decoder: Envelope.getAttrResponse,
    schema: Envelope.GetAttrResponse,
    reference: Envelope.fromSchema(Envelope.GetAttrResponse),
    bounds: attrBounds
  },
  {
    name: "Envelope.getAttrNameResponse",
    decoder: Envelope.getAttrNameResponse,
    schema: Envelope.GetAttrNameResponse,
    reference: Envelope.fromSchema(Envelope.GetAttrNameResponse),
    bounds: [
      errorList(Envelope.limits.accounts),
      ...(["AttrNames", "AttrTypes"] as const).map((list): Bound => ({
        list,
        kind: "object",
        max: Envelope.limits.attributes,
        item: list === "AttrNames" ? Arbitrary.schema(Schema.String) : Hostile.integer(0, 1),
        put: (answer, items) => void (answer[list] = fields(items))
      }))
    ]
  },
  {
    name: "PushTags get_tag (keyedAnswer)",
    decoder: of("timpush/get_tag"),
    schema: Envelope.GetTagResponse,
    reference: keyed(Envelope.GetTagResponse, "UserTags", "Tags"),
    bounds: tagBounds
  },
  {
    name: "PushAttrs get_attr (keyedAnswer)",
    decoder: of("timpush/get_attr"),
    schema: Envelope.GetAttrResponse,
    reference: keyed(Envelope.GetAttrResponse, "UserAttrs", "Attrs"),
    bounds: attrBounds
  },
  {
    name: "push answer",
    decoder: Answers.push,
    schema: TaskAnswer(Envelope.limits.accounts),
    reference: Envelope.fromSchema(TaskAnswer(Envelope.limits.accounts)),
    bounds: [errorList(Envelope.limits.accounts)]
  },
  {
    name: "batch push answer",
    decoder: Answers.batch,
    schema: TaskAnswer(500),
    reference: Envelope.fromSchema(TaskAnswer(500)),
    bounds: [errorList(500)]
  },
  {
    name: "AccountImport multiaccount_import",
    decoder: of("im_open_login_svc/multiaccount_import"),
    schema: ImportAnswer,
    reference: importReference,
    bounds: [errorList(Envelope.limits.accounts), {
      list: "FailAccounts",
      kind: "array",
      max: Envelope.limits.accounts,
      item: account,
      put: (answer, items) => void (answer.FailAccounts = items)
    }]
  }
]

const ok = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" }
const info = {
  TaskID: 12,
  Type: "Tag",
  CreateAt: "2026-01-01 10:00:00",
  SchedAt: "2026-01-02 10:00:00",
  Title: "Hi",
  Status: "Pending",
  PushTaskID: "",
  Content: { OfflinePushInfo: { Title: "Hi" }, Condition: { TagsOr: ["gold"] } }
}
const lossRow = { ErrCode: "70107", ErrCount: 1, ErrInfo: "account does not exist" }

/** The schema-built decoders of `PushSchedule` and `PushStats`, each with an answer it accepts. */
export const schemaBuilt: ReadonlyArray<{ readonly command: string; readonly sample: unknown }> = [
  { command: "timpush/add_sched_task", sample: { ...ok, TaskID: 12 } },
  { command: "timpush/get_sched_task", sample: { ...ok, TaskInfo: info } },
  { command: "timpush/list_sched_task", sample: { ...ok, Total: 2, Tasks: [info, { ...info, TaskID: 13 }] } },
  {
    command: "timpush/all_member_push_statistics",
    sample: {
      ...ok,
      Results: [{
        TaskID: "t1",
        TotalCount: 3,
        SentCount: 2,
        DeliveredCount: 2,
        ClickCount: 0,
        PlatformStatistics: [{ Platform: "iOS", SentCount: 1 }]
      }]
    }
  },
  {
    command: "timpush/all_member_push_loss",
    sample: {
      ...ok,
      ReadyToSendLoss: [lossRow],
      PostSendDeliveredLoss: [],
      PlatformLoss: [{ ErrCode: 410, ErrCount: 2 }]
    }
  },
  {
    command: "timpush/all_member_push_trace",
    sample: { ...ok, InstanceTrace: [{ PushTime: 1700000000, Platform: "Android", Status: "delivered" }] }
  },
  { command: "timpush/normal_push_statistics", sample: { ...ok, TotalCount: 5, SentCount: 4, Extra: [1] } }
]
