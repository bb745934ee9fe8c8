/**
 * What became of pushes, read-only (`timpush/{all_member,normal}_push_{statistics,loss,trace}`, 1
 * call per second each): the funnel of push tasks (total, sent, delivered, clicked, by platform),
 * why notifications were lost (by error code), and one account's delivery trace. "Accepted" is not
 * "delivered": a push Tencent took can still reach nobody (a missing APNs certificate shows as
 * "Certificate id not set" in the loss).
 *
 * Windows are bounded as Tencent bounds them and checked before the call: statistics at most 30 days,
 * loss at most 7, at most 5 task ids at once. Answers are decoded leniently, with Tencent's traps
 * taken care of: `ErrorInfo` "sucess" (sic) on success, loss `ErrCode`s as Strings, and fields this
 * library does not type kept as they come.
 *
 * @since 0.3.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Envelope from "./Envelope.js"
import * as TimeWindow from "./internal/push/window.js"
import { refusal } from "./internal/refusal.js"
import { type TimCallError, TimValidationError } from "./TimError.js"
import { type Command, TimRest } from "./TimRest.js"

/**
 * A window of time and, optionally, the push tasks asked about (at most 5; none: all of them).
 *
 * @since 0.3.0
 * @category models
 */
export interface Window {
  readonly from: Date
  readonly to: Date
  readonly taskIds?: ReadonlyArray<string> | undefined
}

const Counts = {
  TotalCount: Schema.optionalKey(Schema.Number),
  SentCount: Schema.optionalKey(Schema.Number),
  DeliveredCount: Schema.optionalKey(Schema.Number),
  ClickCount: Schema.optionalKey(Schema.Number)
}

/**
 * The funnel of one task (or of all, without `TaskID`), with a row per platform and event type.
 *
 * @since 0.3.0
 * @category schemas
 */
export const Statistics = Schema.StructWithRest(
  Schema.Struct({
    TaskID: Schema.optionalKey(Schema.String),
    ...Counts,
    PlatformStatistics: Schema.optionalKey(Schema.Array(Schema.Record(Schema.String, Schema.Unknown)))
  }),
  [Schema.Record(Schema.String, Schema.Unknown)]
)

/**
 * The funnel of one task.
 *
 * @since 0.3.0
 * @category models
 */
export type Statistics = typeof Statistics.Type

/**
 * Notifications lost for one error code (a String, as Tencent sends it), at one stage.
 *
 * @since 0.3.0
 * @category schemas
 */
export const LossRow = Schema.StructWithRest(
  Schema.Struct({
    /** A String as Tencent sends it ("-1", "410"); a number is tolerated. */
    ErrCode: Schema.Union([Schema.String, Schema.Number]),
    ErrCount: Schema.Number,
    ErrInfo: Schema.optionalKey(Schema.String)
  }),
  [Schema.Record(Schema.String, Schema.Unknown)]
)

/**
 * The loss of pushes: before sending, after sending, and per platform.
 *
 * @since 0.3.0
 * @category models
 */
export interface Loss {
  readonly readyToSend: ReadonlyArray<typeof LossRow.Type>
  readonly postSendDelivered: ReadonlyArray<typeof LossRow.Type>
  readonly platform: ReadonlyArray<typeof LossRow.Type>
}

/**
 * One device instance's trace of a push (`InstanceTrace` entries: push time, platform, token, each
 * stage's status), as Tencent sends it.
 *
 * @since 0.3.0
 * @category models
 */
export type Trace = ReadonlyArray<Readonly<Record<string, unknown>>>

/**
 * The statistics operations.
 *
 * @example
 * ```ts
 * import { PushStats } from "@timtags/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const stats = yield* PushStats.PushStats
 *   const to = new Date()
 *   const from = new Date(to.getTime() - 24 * 60 * 60 * 1000)
 *   const [funnel] = yield* stats.statistics({ from, to, taskIds: ["657bf434_537529d8_..."] })
 *   const loss = yield* stats.loss({ from, to })
 *   yield* Effect.log(`delivered ${funnel?.DeliveredCount}; lost before sending: ${loss.readyToSend.length} codes`)
 * })
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface Service {
  /** The funnel of push tasks (to all, by tag or attribute, to listed accounts): one row per task asked, or one overall. */
  readonly statistics: (window: Window) => Effect.Effect<ReadonlyArray<Statistics>, TimValidationError | TimCallError>
  /** Why push-task notifications were lost (at most 7 days). */
  readonly loss: (window: Window) => Effect.Effect<Loss, TimValidationError | TimCallError>
  /** How one push task reached one account. */
  readonly trace: (taskId: string, account: string) => Effect.Effect<Trace, TimValidationError | TimCallError>
  /** The funnel of chat-message pushes (no task ids). */
  readonly messageStatistics: (window: Window) => Effect.Effect<Statistics, TimValidationError | TimCallError>
  /** Why chat-message push notifications were lost (at most 7 days). */
  readonly messageLoss: (window: Window) => Effect.Effect<Loss, TimValidationError | TimCallError>
  /** How one chat message's push (`pushId`, the message id) reached one account. */
  readonly messageTrace: (pushId: string, account: string) => Effect.Effect<Trace, TimValidationError | TimCallError>
}

/**
 * The `PushStats` service key.
 *
 * @since 0.3.0
 * @category tags
 */
export class PushStats extends Context.Service<PushStats, Service>()("@timtags/core/PushStats") {}

const day = 24 * 60 * 60 * 1000
const maxTaskIds = 5

const lossFields = {
  ReadyToSendLoss: Schema.optionalKey(Schema.Array(LossRow)),
  PostSendDeliveredLoss: Schema.optionalKey(Schema.Array(LossRow)),
  PlatformLoss: Schema.optionalKey(Schema.Array(LossRow))
}
const traceFields = { InstanceTrace: Schema.optionalKey(Schema.Array(Schema.Record(Schema.String, Schema.Unknown))) }

const statisticsAnswer = Envelope.fromSchema(
  Schema.Struct({ ...Envelope.Envelope.fields, Results: Schema.optionalKey(Schema.Array(Statistics)) })
)
const messageStatisticsAnswer = Envelope.fromSchema(
  Schema.StructWithRest(Schema.Struct({ ...Envelope.Envelope.fields, ...Counts }), [
    Schema.Record(Schema.String, Schema.Unknown)
  ])
)
const lossAnswer = Envelope.fromSchema(Schema.Struct({ ...Envelope.Envelope.fields, ...lossFields }))
const traceAnswer = Envelope.fromSchema(Schema.Struct({ ...Envelope.Envelope.fields, ...traceFields }))

/** The body of a window (unix seconds), checked: at most `maxDays` long, at most 5 task ids. */
const windowBody = (window: Window, maxDays: number, withTasks: boolean) => {
  const { from, taskIds, to } = window
  if (!TimeWindow.isWindow(from, to)) {
    return Effect.fail(refusal("window", { from, to }, "expected Dates from <= to"))
  }
  if (to.getTime() - from.getTime() > maxDays * day) {
    return Effect.fail(refusal("window", { from, to }, `expected a window of at most ${maxDays} days`))
  }
  if (taskIds !== undefined && (!withTasks || taskIds.length > maxTaskIds)) {
    return Effect.fail(refusal("taskIds", taskIds, withTasks ? "expected at most 5 task ids" : "expected none"))
  }
  return Effect.succeed({
    StartTime: Math.floor(from.getTime() / 1000),
    EndTime: Math.floor(to.getTime() / 1000),
    ...(taskIds === undefined || taskIds.length === 0 ? {} : { TaskID: taskIds })
  })
}

const lossOf = (answer: { readonly [K in keyof typeof lossFields]?: ReadonlyArray<typeof LossRow.Type> }): Loss => ({
  readyToSend: answer.ReadyToSendLoss ?? [],
  postSendDelivered: answer.PostSendDeliveredLoss ?? [],
  platform: answer.PlatformLoss ?? []
})

const command = (name: string): Command => `timpush/${name}`

/**
 * Builds the service.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, TimRest> = Effect.map(TimRest, (rest) => {
  const trace = (name: string, key: "TaskID" | "PushID") => (id: string, account: string) =>
    typeof id !== "string" || id.length === 0 || typeof account !== "string" || account.length === 0
      ? Effect.fail(refusal(key, { id, account }, "expected an id and an account"))
      : Effect.map(
        rest.call(command(name), { [key]: id, UserID: account }, traceAnswer),
        (answer): Trace => answer.InstanceTrace ?? []
      )
  return PushStats.of({
    statistics: (window) =>
      Effect.flatMap(
        windowBody(window, 30, true),
        (body) =>
          Effect.map(rest.call(command("all_member_push_statistics"), body, statisticsAnswer), (a) => a.Results ?? [])
      ),
    loss: (window) =>
      Effect.flatMap(
        windowBody(window, 7, true),
        (body) => Effect.map(rest.call(command("all_member_push_loss"), body, lossAnswer), lossOf)
      ),
    trace: trace("all_member_push_trace", "TaskID"),
    messageStatistics: (window) =>
      Effect.flatMap(
        windowBody(window, 30, false),
        (body) => rest.call(command("normal_push_statistics"), body, messageStatisticsAnswer)
      ),
    messageLoss: (window) =>
      Effect.flatMap(
        windowBody(window, 7, false),
        (body) => Effect.map(rest.call(command("normal_push_loss"), body, lossAnswer), lossOf)
      ),
    messageTrace: trace("normal_push_trace", "PushID")
  })
})

/**
 * The service as a layer.
 *
 * @since 0.3.0
 * @category layers
 */
export const layer: Layer.Layer<PushStats, never, TimRest> = Layer.effect(PushStats, make)
