/**
 * A real push, once confirmed. To everyone or a condition (`broadcast`): one `Push.send`, and one record on stdout
 * in `--format` (`status` `sent` with the `taskId`, or `unknown`; the `target`, `msgRandom` and `sentAt`). To the
 * accounts of a file (`accounts`): one row per account, as the tag commands print them, with the `task` that
 * reached it. A push whose outcome is unknown is never resent: it ends the command with `OutcomeUnknown` (exit
 * 1), whose message says what is known and how to find out the rest; if the run stops early (a bad line of the
 * file, Ctrl-C), what is known of unknown tasks is printed all the same.
 */
import { type Notification, Push, Target, type TimError } from "@timtags/core"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Result from "effect/Result"
import type * as Stdio from "effect/Stdio"
import * as Stream from "effect/Stream"
import type * as AccountInput from "./accountInput.js"
import type * as Connection from "./connection.js"
import { type AccountsFailed, type Failed, ofTimError, OutcomeUnknown, type Stopped, UsageError } from "./failures.js"
import * as Job from "./job.js"
import * as OutcomeReport from "./outcomeReport.js"
import * as Output from "./output.js"
import * as Progress from "./progress.js"
import * as PushAccounts from "./pushAccounts.js"
import type { Whom } from "./pushPlan.js"
import * as Row from "./row.js"
import * as Summary from "./summary.js"

/** The record of a push to everyone or a condition. */
const record = (
  status: "sent" | "unknown",
  target: Target.Broadcast,
  task: { readonly taskId?: string; readonly msgRandom?: number | undefined; readonly sentAt: number }
): Row.Entry => [
  ["status", status],
  ["target", Target.describe(target)],
  ["taskId", task.taskId],
  ["msgRandom", task.msgRandom],
  ["sentAt", new Date(task.sentAt).toISOString()]
]

/** Pushes to everyone or a condition: one task. */
export const broadcast = (
  target: Target.Broadcast,
  notification: Notification.Notification,
  output: Output.Flags
): Effect.Effect<void, UsageError | Failed | OutcomeUnknown, Connection.Services | Stdio.Stdio> =>
  Effect.gen(function*() {
    const sent = yield* Effect.result(Push.Push.use((push) => push.send(target, notification))).pipe(
      Effect.onInterrupt(() => Console.error(OutcomeReport.interrupted))
    )
    if (Result.isSuccess(sent)) return yield* Summary.print(record("sent", target, sent.success), output)
    const error = sent.failure
    if (error._tag !== "TimOutcomeUnknownError") return yield* ofTimError("the push", error)
    yield* Summary.print(record("unknown", target, error), output)
    return yield* new OutcomeUnknown({ explanation: OutcomeReport.explain([{ error }]) })
  })

/** Pushes to the accounts of a file: one row per account. */
export const accounts = (
  whom: Extract<Whom, { readonly _tag: "Accounts" }>,
  notification: Notification.Notification,
  output: Output.Flags
): Effect.Effect<
  void,
  UsageError | Stopped | AccountsFailed | OutcomeUnknown,
  Connection.Services | AccountInput.Requirements | Stdio.Stdio
> =>
  Effect.gen(function*() {
    const unknown = new Map<number | undefined, { error: TimError.TimOutcomeUnknownError; accounts: number }>()
    const noteUnknown = (outcome: Row.Outcome<string>) => {
      const failure = outcome.result._tag === "Failure" ? outcome.result.failure : undefined
      if (failure?._tag === "TimOutcomeUnknownError") {
        const task = unknown.get(failure.msgRandom) ?? { error: failure, accounts: 0 }
        unknown.set(failure.msgRandom, { ...task, accounts: task.accounts + 1 })
      }
      return outcome
    }
    const explainOnStop = <A, E, R>(run: Effect.Effect<A, E, R>) =>
      Effect.onExit(run, (exit) =>
        Exit.isFailure(exit) && unknown.size > 0
          ? Console.error(OutcomeReport.explain([...unknown.values()]))
          : Exit.isFailure(exit) && Cause.hasInterrupts(exit.cause)
          ? Console.error(OutcomeReport.interrupted)
          : Effect.void)
    const tally = yield* Job.run({
      input: whom.accounts.stream,
      count: whom.accounts.count,
      process: (input) => PushAccounts.send(notification)(input).pipe(Stream.map(noteUnknown)),
      entry: Row.entry(Row.task),
      names: Row.names(Row.task),
      format: yield* Output.stdoutFormat(output),
      destination: yield* Output.stdout,
      progress: yield* Progress.enabled(output.quiet)
    }).pipe(explainOnStop)
    if (tally.total === 0) return yield* new UsageError({ problem: `no accounts in --accounts-from ${whom.from}` })
    if (unknown.size > 0) {
      return yield* new OutcomeUnknown({ explanation: OutcomeReport.explain([...unknown.values()]) })
    }
    yield* Job.check(tally, "the output")
  })
