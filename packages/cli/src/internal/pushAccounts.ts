/**
 * A push to listed accounts, streamed: each account once (a later listing of it is dropped, as the library drops
 * one within a send, so that nobody gets the push twice), in `batch` tasks of up to 500 accounts (one
 * `Push.send` each, two at a time), one outcome per account in input order: the task id, or why not (refused
 * before the call, unknown to Tencent, or the task's outcome is unknown).
 */
import { Push, Target, type TimError } from "@timtags/core"
import type { Notification } from "@timtags/core"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import type { UsageError } from "./failures.js"
import * as Operations from "./operations.js"
import type { Outcome } from "./row.js"

/** Tasks sent at once. */
const concurrency = 2

/** The accounts without repeats, as the consumer pulls them. */
const once = <R>(accounts: Stream.Stream<string, UsageError, R>) =>
  Stream.suspend(() => {
    const seen = new Set<string>()
    return Stream.filter(accounts, (account) => !seen.has(account) && seen.add(account) !== undefined)
  })

/** Sends `notification` to each account of the stream; one outcome (its task id) per distinct account. */
export const send =
  (notification: Notification.Notification) =>
  <R>(accounts: Stream.Stream<string, UsageError, R>): Stream.Stream<Outcome<string>, UsageError, R | Push.Push> =>
    once(accounts).pipe(
      Operations.eachAccount(
        (chunk) =>
          Push.Push.use((push) => push.send(Target.accounts(chunk), notification)).pipe(
            Effect.map(({ outcomes }): Operations.ByAccount<string> => outcomes),
            // A refusal of the whole task (the notification was checked before, so not expected) fails each account.
            Effect.catch((refused: TimError.TimError) =>
              Effect.succeed(new Map(chunk.map((account) => [account, Result.fail(refused)])))
            )
          ),
        { size: Target.limits.accountsPerBatch, concurrency }
      )
    )
