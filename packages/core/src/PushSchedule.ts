/**
 * Scheduled pushes (`timpush/{add,get,list,modify,delete}_sched_task`): a push Tencent sends at a
 * given time, to all users (`All`), users by tag (`Tag`) or up to 500 listed accounts (`User`);
 * Tencent has no scheduled push by attribute. A task can be changed or cancelled while it is pending
 * (90107 once it is dispatching).
 *
 * Mind the typing traps (spec beyond-tags §3.4): a scheduled `TaskID` is an **Integer** (a push's
 * `TaskId` is a String, linked by `PushTaskID`), times are `"YYYY-MM-DD HH:MM:SS"` in **UTC** (this
 * service takes and gives `Date`s), and every body repeats the SDKAppID.
 *
 * Adding a task is a push-to-be: like `Push.send`, it is resent only when Tencent certainly did not
 * take it, and an ambiguous outcome is a `TimOutcomeUnknownError` (reconcile with `list` over a narrow
 * window around the time, then `cancel` a duplicate while it is pending). The other calls change or
 * read one task and are retried as usual.
 *
 * @since 0.3.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Envelope from "./Envelope.js"
import * as Resend from "./internal/push/resend.js"
import * as SchedTime from "./internal/push/schedTime.js"
import * as TimeWindow from "./internal/push/window.js"
import { refusal } from "./internal/refusal.js"
import * as Notification from "./Notification.js"
import * as Target from "./Target.js"
import { TimConfig } from "./TimConfig.js"
import { type TimCallError, TimOutcomeUnknownError, TimValidationError } from "./TimError.js"
import { type Command, TimRest } from "./TimRest.js"

/**
 * What a scheduled task pushes to.
 *
 * @since 0.3.0
 * @category models
 */
export type TaskType = "All" | "Tag" | "User"

/**
 * A scheduled task: its id and type (both name it in every later call) and when it is due.
 *
 * @since 0.3.0
 * @category models
 */
export interface TaskRef {
  readonly taskId: number
  readonly type: TaskType
}

/**
 * One task as Tencent shows it (`TaskInfo`).
 *
 * @since 0.3.0
 * @category models
 */
export interface TaskInfo extends TaskRef {
  readonly createdAt: Date
  readonly schedAt: Date
  readonly title: string
  readonly desc: string
  /** `pending`, then `dispatching`/`dispatched` (other values are passed on as they come). */
  readonly status: string
  /** The push task it became, once dispatched (a push `TaskId`, for statistics and revoke). */
  readonly pushTaskId: string
  readonly dispatchError: string
  /** The task's body as Tencent keeps it. */
  readonly content: unknown
}

/**
 * How to list tasks: those due between `from` and `to`, a page of `pageSize` at a time.
 *
 * @since 0.3.0
 * @category models
 */
export interface ListOptions {
  readonly from: Date
  readonly to: Date
  /** Only tasks whose title or text contains it. */
  readonly keyword?: string | undefined
  /** Default `schedAt`. */
  readonly orderBy?: "createAt" | "schedAt" | undefined
  /** Default `true`. */
  readonly ascending?: boolean | undefined
  /** Tasks per call; default 50. */
  readonly pageSize?: number | undefined
}

/**
 * A change to a pending task.
 *
 * @since 0.3.0
 * @category models
 */
export interface Change {
  readonly at?: Date | undefined
  readonly notification?: Notification.Notification | undefined
  readonly target?: Target.AllUsers | Target.Tags | Target.Accounts | undefined
}

/**
 * The scheduled-push operations.
 *
 * @example
 * ```ts
 * import { PushSchedule, Target } from "@timtags/core"
 * import { Effect, Stream } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const schedule = yield* PushSchedule.PushSchedule
 *   const task = yield* schedule.add(
 *     new Date("2026-12-24T18:00:00Z"),
 *     Target.tags({ or: ["gold", "silver"] }),
 *     { Title: "Merry Christmas", Desc: "A gift is waiting in the app" }
 *   )
 *   const pending = yield* Stream.runCollect(
 *     schedule.list({ from: new Date("2026-12-24T00:00:00Z"), to: new Date("2026-12-25T00:00:00Z") })
 *   )
 *   yield* Effect.log(`${pending.length} tasks that day`)
 *   yield* schedule.cancel(task) // while it is pending
 * })
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface Service {
  /** Schedules a push at `at` (in the future) to all users, users by tag, or up to 500 accounts. */
  readonly add: (
    at: Date,
    target: Target.AllUsers | Target.Tags | Target.Accounts,
    notification: Notification.Notification
  ) => Effect.Effect<TaskRef, TimValidationError | TimCallError | TimOutcomeUnknownError>
  /** One task. */
  readonly get: (taskId: number) => Effect.Effect<TaskInfo, TimValidationError | TimCallError>
  /** Tasks due in a window, page by page. */
  readonly list: (options: ListOptions) => Stream.Stream<TaskInfo, TimValidationError | TimCallError>
  /**
   * Changes a pending task's time, its notification, or both. A new notification of a `Tag` or
   * `User` task needs its target again (Tencent keeps one body for both), of the task's own type.
   */
  readonly modify: (task: TaskRef, change: Change) => Effect.Effect<void, TimValidationError | TimCallError>
  /** Deletes a pending task (90107 once it is dispatching). */
  readonly cancel: (task: TaskRef) => Effect.Effect<void, TimValidationError | TimCallError>
}

/**
 * The `PushSchedule` service key.
 *
 * @since 0.3.0
 * @category tags
 */
export class PushSchedule extends Context.Service<PushSchedule, Service>()("@timtags/core/PushSchedule") {}

const Info = Schema.Struct({
  TaskID: Schema.Number,
  Type: Schema.String,
  CreateAt: Schema.String,
  SchedAt: Schema.String,
  Title: Schema.optionalKey(Schema.String),
  Desc: Schema.optionalKey(Schema.String),
  Status: Schema.String,
  PushTaskID: Schema.optionalKey(Schema.Union([Schema.String, Schema.Number])),
  DispatchErr: Schema.optionalKey(Schema.Union([Schema.String, Schema.Number])),
  Content: Schema.optionalKey(Schema.Unknown)
})

const taskIdAnswer = Envelope.fromSchema(Schema.Struct({ ...Envelope.Envelope.fields, TaskID: Schema.Number }))
const getAnswer = Envelope.fromSchema(Schema.Struct({ ...Envelope.Envelope.fields, TaskInfo: Info }))
const listAnswer = Envelope.fromSchema(
  Schema.Struct({ ...Envelope.Envelope.fields, Total: Schema.Number, Tasks: Schema.Array(Info) })
)

const infoOf = (info: typeof Info.Type): TaskInfo => ({
  taskId: info.TaskID,
  type: info.Type as TaskType,
  createdAt: SchedTime.parse(info.CreateAt),
  schedAt: SchedTime.parse(info.SchedAt),
  title: info.Title ?? "",
  desc: info.Desc ?? "",
  status: info.Status,
  pushTaskId: String(info.PushTaskID ?? ""),
  dispatchError: String(info.DispatchErr ?? ""),
  content: info.Content
})

const typeOf = (target: Target.AllUsers | Target.Tags | Target.Accounts): TaskType =>
  target._tag === "AllUsers" ? "All" : target._tag === "Tags" ? "Tag" : "User"

const validTaskId = (taskId: unknown) =>
  Number.isSafeInteger(taskId) && (taskId as number) > 0
    ? Effect.succeed(taskId as number)
    : Effect.fail(refusal("taskId", taskId, "expected a scheduled task id (a positive integer)"))

const command = (name: string): Command => `timpush/${name}`

/**
 * The service's options.
 *
 * @since 0.3.0
 * @category models
 */
export interface Options {
  /** Attempts of an `add` that Tencent refused for its frequency (resends included); default 3, as `Push`'s. */
  readonly maxAttempts?: number | undefined
}

/**
 * Builds the service.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, TimRest | TimConfig> =>
  Effect.gen(function*() {
    const maxAttempts = options.maxAttempts ?? Resend.defaultMaxAttempts
    const rest = yield* TimRest
    const config = yield* TimConfig
    const Sdkappid = config.sdkAppId

    /** The `Content` of a task: a push body for its target (accounts checked, at most 500). */
    const contentOf = (
      target: Target.AllUsers | Target.Tags | Target.Accounts,
      notification: Notification.Notification
    ) =>
      Effect.gen(function*() {
        if (target?._tag === ("Attrs" as string)) {
          return yield* Effect.fail(
            refusal(
              "target",
              "attrs",
              "expected all users, tags or accounts (Tencent has no scheduled push by attribute)"
            )
          )
        }
        const valid = yield* Effect.fromResult(Target.validate(target))
        const info = yield* Effect.fromResult(Notification.toWire(notification))
        const base = { From_Account: config.admin, OfflinePushInfo: info }
        if (valid._tag !== "Accounts") {
          const condition = Target.condition(valid)
          return condition === undefined ? base : { ...base, Condition: condition }
        }
        const { refused, valid: accounts } = Target.checkAccounts(valid)
        const [first] = refused
        if (first !== undefined) return yield* Effect.fail(first[1])
        if (accounts.length > Target.limits.accountsPerBatch) {
          return yield* Effect.fail(refusal("accounts", `${accounts.length} accounts`, "expected at most 500 accounts"))
        }
        return { ...base, To_Account: accounts }
      })

    const future = (at: Date) =>
      Effect.flatMap(
        Clock.currentTimeMillis,
        (now) =>
          at instanceof Date && !Number.isNaN(at.getTime()) && at.getTime() > now
            ? Effect.succeed(SchedTime.format(at))
            : Effect.fail(refusal("at", at, "expected a Date in the future"))
      )

    const add: Service["add"] = (at, target, notification) =>
      Effect.gen(function*() {
        const SchedAt = yield* future(at)
        const Content = yield* contentOf(target, notification)
        const Type = typeOf(target)
        const { answer } = yield* Resend.send(rest, {
          command: command("add_sched_task"),
          body: { Sdkappid, Type, SchedAt, Content },
          decoder: taskIdAnswer,
          target: `${Target.describe(target)} at ${SchedAt} UTC`,
          maxAttempts
        })
        return { taskId: answer.TaskID, type: Type }
      }).pipe(Effect.withSpan("PushSchedule.add"))

    const get: Service["get"] = (taskId) =>
      Effect.flatMap(validTaskId(taskId), (TaskID) =>
        Effect.map(
          rest.call(command("get_sched_task"), { Sdkappid, TaskID }, getAnswer),
          (answer) => infoOf(answer.TaskInfo)
        )).pipe(Effect.withSpan("PushSchedule.get"))

    const list: Service["list"] = (options) =>
      Stream.unwrap(Effect.gen(function*() {
        const pageSize = options.pageSize ?? 50
        if (!Number.isInteger(pageSize) || pageSize <= 0) {
          return yield* Effect.fail(refusal("pageSize", pageSize, "expected a positive integer"))
        }
        if (!TimeWindow.isWindow(options.from, options.to)) {
          return yield* Effect.fail(refusal("from", options.from, "expected Dates from <= to"))
        }
        const body = {
          Sdkappid,
          Want: pageSize,
          OrderBy: options.orderBy ?? "schedAt",
          Asc: options.ascending ?? true,
          BeginTime: SchedTime.format(options.from),
          EndTime: SchedTime.format(options.to),
          ...(options.keyword === undefined ? {} : { Keyword: options.keyword })
        }
        return Stream.paginate(0, (Offset: number) =>
          Effect.map(rest.call(command("list_sched_task"), { ...body, Offset }, listAnswer), (answer) => {
            const next = Offset + answer.Tasks.length
            return [
              answer.Tasks.map(infoOf),
              answer.Tasks.length === 0 || next >= answer.Total ? Option.none() : Option.some(next)
            ] as const
          }))
      }))

    const modify: Service["modify"] = (task, change) =>
      Effect.gen(function*() {
        const TaskID = yield* validTaskId(task.taskId)
        const SchedAt = change.at === undefined ? undefined : yield* future(change.at)
        const Content = change.notification === undefined
          ? undefined
          : yield* contentOf(yield* targetFor(task, change), change.notification)
        if (SchedAt === undefined && Content === undefined) {
          return yield* Effect.fail(refusal("change", change, "expected a new time, a new notification, or both"))
        }
        yield* rest.call(command("modify_sched_task"), {
          Sdkappid,
          TaskID,
          Type: task.type,
          ...(SchedAt === undefined ? {} : { SchedAt }),
          ...(Content === undefined ? {} : { Content })
        }, Envelope.envelope)
      }).pipe(Effect.withSpan("PushSchedule.modify"))

    const cancel: Service["cancel"] = (task) =>
      Effect.flatMap(
        validTaskId(task.taskId),
        (TaskID) => rest.call(command("delete_sched_task"), { Sdkappid, TaskID, Type: task.type }, Envelope.envelope)
      ).pipe(
        Effect.asVoid,
        Effect.withSpan("PushSchedule.cancel")
      )

    return PushSchedule.of({ add, get, list, modify, cancel })
  })

/** The target a task's new content is for: given (of the task's type), or all users for an `All` task. */
const targetFor = (task: TaskRef, change: Change) => {
  const target = change.target ?? (task.type === "All" ? Target.allUsers : undefined)
  return target !== undefined && typeOf(target) === task.type
    ? Effect.succeed(target)
    : Effect.fail(refusal("target", change.target?._tag, `expected the target of the ${task.type} task`))
}

/**
 * The service as a layer.
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<PushSchedule, never, TimRest | TimConfig> =>
  Layer.effect(PushSchedule, make(options))
