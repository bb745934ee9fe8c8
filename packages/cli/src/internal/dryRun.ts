/**
 * `timtags push --dry-run`: the push goes through the library as a send would, with the push commands held back
 * (`HeldPush`), and what would have been sent is printed on stdout as one JSON document: the app, the target,
 * each request (`command` and its exact `body`, with the `MsgRandom` drawn for it) and, against the emulator,
 * the accounts it would reach (`recipients`, and for listed accounts the `missing` ones); for listed accounts,
 * those the library refuses before any call (`refused`). Nothing is sent; a note on stderr says so.
 */
import { Push, Target, TimConfig, type TimError } from "@timtags/core"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as AccountInput from "./accountInput.js"
import type * as Connection from "./connection.js"
import * as EmulatorRecipients from "./emulatorRecipients.js"
import { AccountsFailed, type Failed, ofTimError, UsageError } from "./failures.js"
import * as HeldPush from "./heldPush.js"
import * as Output from "./output.js"
import * as PushAccounts from "./pushAccounts.js"
import type { Plan } from "./pushPlan.js"
import { type ErrorInfo, errorInfo } from "./row.js"

/** An account the library refuses before any call. */
interface Refused {
  readonly account: string
  readonly error: ErrorInfo
}

/** Sends the plan through the held-back `Push`: what was refused, and how many accounts there were. */
const hold = (plan: Plan) =>
  Effect.gen(function*() {
    const { notification, whom } = plan
    if (whom._tag === "Broadcast") {
      yield* Push.Push.use((push) => push.send(whom.target, notification)).pipe(
        Effect.mapError((error) => ofTimError("the push", error))
      )
      return { refused: [], accounts: undefined }
    }
    return yield* PushAccounts.send(notification)(whom.accounts.stream).pipe(
      Stream.runFold(() => ({ refused: [] as Array<Refused>, accounts: 0 }), (state, { account, result }) => {
        state.accounts++
        if (result._tag === "Failure") {
          state.refused.push({ account, error: errorInfo(result.failure as TimError.TimError) })
        }
        return state
      })
    )
  })

/** Each held request, with the recipients the emulator resolves for it (when the server is one). */
const requestsWithRecipients = (requests: ReadonlyArray<HeldPush.Request>) =>
  Effect.forEach(requests, (request) =>
    Effect.map(EmulatorRecipients.ask(request), (recipients) => ({
      request: { ...request, ...Option.getOrElse(recipients, () => ({})) },
      resolved: Option.isSome(recipients)
    })))

/** The note on stderr: nothing was sent, where the MsgRandom comes from, and why recipients may be missing. */
const note = (resolved: boolean) =>
  [
    "dry run: nothing was sent. Each body's MsgRandom was drawn for it as a send draws it; a real send draws its own.",
    ...(resolved ? [] : [
      "No recipients: only the emulator can say whom a push reaches before it is sent (Tencent has no dry run)."
    ])
  ].join("\n")

/** Runs the plan as a dry run and prints it; fails like a send would fail before sending. */
export const run = (plan: Plan): Effect.Effect<
  void,
  UsageError | Failed | AccountsFailed,
  Connection.Services | AccountInput.Requirements
> =>
  Effect.gen(function*() {
    const { accounts, refused } = yield* hold(plan)
    if (accounts === 0 && plan.whom._tag === "Accounts") {
      return yield* new UsageError({ problem: `no accounts in --accounts-from ${plan.whom.from}` })
    }
    const held = yield* HeldPush.Held.use((held) => Effect.sync(held.requests))
    const requests = yield* requestsWithRecipients(held)
    const config = yield* TimConfig.TimConfig
    const document = {
      dryRun: true,
      app: { sdkAppId: config.sdkAppId, baseUrl: config.baseUrl },
      target: plan.whom._tag === "Broadcast"
        ? Target.describe(plan.whom.target)
        : `${accounts} accounts of ${plan.whom.from}`,
      requests: requests.map(({ request }) => request),
      ...(accounts === undefined ? {} : { refused })
    }
    const stdout = yield* Output.stdout
    yield* stdout.write(Stream.make(`${JSON.stringify(document, null, 2)}\n`))
    yield* Console.error(note(requests.length > 0 && requests.every(({ resolved }) => resolved)))
    if (refused.length > 0 && accounts !== undefined) {
      return yield* new AccountsFailed({ failed: refused.length, total: accounts, where: "the dry run's \"refused\"" })
    }
  }).pipe(Effect.provide(HeldPush.layer))
