/**
 * `timtags push`: a notification to everyone (`--all-users`, never a default), to the users tags or attributes
 * describe, or to the accounts of a file, through the library's `Push` (one `MsgRandom` per task, never resent
 * when its outcome is unknown, spaced and counted). `--dry-run` prints the exact request bodies (and, against
 * the emulator, the recipients) and sends nothing; a real push needs `--yes`, or `yes` typed on a terminal.
 *
 * Exit codes: 0 sent; 1 some accounts failed, or the push failed at the server, or its outcome is unknown (the
 * message gives the MsgRandom and how to find out); 2 refused before sending (the command line, the
 * configuration, the target or notification, no confirmation): nothing was sent.
 */
import { Target, TimConfig } from "@timtags/core"
import { Command } from "effect/cli"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Confirm from "../confirm.js"
import * as Connection from "../connection.js"
import * as DryRun from "../dryRun.js"
import * as Output from "../output.js"
import * as PushFlags from "../pushFlags.js"
import * as PushPlan from "../pushPlan.js"
import * as PushRun from "../pushRun.js"

/** What the person confirming reads: the app, whom, what. */
const summary = (plan: PushPlan.Plan) =>
  Effect.gen(function*() {
    const config = yield* TimConfig.TimConfig
    const { notification, whom } = plan
    const count = whom._tag === "Accounts" ? yield* whom.accounts.count : Option.none()
    const shown = (text: unknown) => (typeof text === "string" ? JSON.stringify(text) : "(none)")
    const others = Object.keys(notification).filter((key) => key !== "Title" && key !== "Desc")
    return [
      "About to push, and a push cannot be taken back:",
      `  app     SDKAppID ${config.sdkAppId} at ${config.baseUrl}`,
      `  to      ${
        whom._tag === "Broadcast"
          ? Target.describe(whom.target)
          : `the accounts of ${whom.from}${Option.match(count, { onNone: () => "", onSome: (n) => ` (${n})` })}`
      }`,
      `  title   ${shown(notification.Title)}`,
      `  text    ${shown(notification.Desc)}`,
      ...(others.length > 0 ? [`  also    ${others.join(", ")}`] : [])
    ].join("\n")
  })

/** The `push` command. */
export const command = Command.make("push", {
  target: PushFlags.target,
  notification: PushFlags.notification,
  sending: PushFlags.sending,
  output: Output.flags,
  connection: Connection.flags
}, (input) =>
  Effect.gen(function*() {
    const plan = yield* PushPlan.make(input)
    if (input.sending.dryRun) return yield* DryRun.run(plan)
    yield* Confirm.confirm(input.sending.yes, yield* summary(plan))
    const { notification, whom } = plan
    return yield* whom._tag === "Broadcast"
      ? PushRun.broadcast(whom.target, notification, input.output)
      : PushRun.accounts(whom, notification, input.output)
  }).pipe(Effect.provide(Connection.layer(input.connection)))).pipe(
    Command.withDescription(
      "Push a notification to everyone, to users by tag or attribute, or to listed accounts; --dry-run first"
    ),
    Command.withExamples([
      {
        command: "timtags push --tags-and gold --tags-or beta --title Sale --text '20% off' --dry-run",
        description: "The exact request body, sending nothing (and whom it reaches, against the emulator)"
      },
      {
        command: "timtags push --attrs-and city=Lisbon --title Hello --text 'Olá' --yes",
        description: "Users whose city is Lisbon, without asking"
      },
      {
        command: "timtags push --accounts-from winners.txt --notification prize.json --yes",
        description: "Listed accounts, a whole OfflinePushInfo from a file; one row per account"
      },
      { command: "timtags push --all-users --title Maintenance --text 'Tonight 2-3 am'", description: "Everyone" }
    ])
  )
