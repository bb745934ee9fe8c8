/**
 * What an operator reads when a push's outcome is unknown: what is known (the `MsgRandom`, whom, when, what ended
 * the call), that it was not resent, and how to find out whether it went out before pushing again, since a second
 * push is a second notification on every phone.
 */
import type { TimError } from "@timtags/core"

/** One task whose outcome is unknown, and how many accounts it carried (for a push to listed accounts). */
export interface Unknown {
  readonly error: TimError.TimOutcomeUnknownError
  readonly accounts?: number | undefined
}

const facts = ({ accounts, error }: Unknown) =>
  [
    `  MsgRandom  ${error.msgRandom ?? "(none)"}`,
    `  target     ${accounts === undefined ? error.target : `${accounts} of the accounts (their rows say so)`}`,
    `  sent at    ${new Date(error.sentAt).toISOString()} (${error.attempts} attempt${
      error.attempts === 1 ? "" : "s"
    })`,
    `  ended by   ${error.detail}`
  ].join("\n")

const howToFindOut = [
  "Do not push it again before you know whether it went out: a second push is a second notification on every phone.",
  "To find out:",
  "  - the push statistics of the minutes around the sending time list a task started then if Tencent took it",
  "    (PushStats.statistics in @timtags/core, or the push records of the Chat console);",
  "  - your push callback, if the app has one, reports the task with its time;",
  "  - against the emulator, GET /__emulator/pushes lists each accepted push with its msgRandom.",
  "A task that went out twice, or must be stopped, can be revoked by its TaskId within 24 hours."
].join("\n")

/** The explanation for one or more tasks whose outcome is unknown. */
export const explain = (unknown: ReadonlyArray<Unknown>): string =>
  [
    unknown.length === 1
      ? "the outcome of the push is unknown: Tencent may or may not have taken it, and it was NOT resent."
      : `the outcome of ${unknown.length} push tasks is unknown: Tencent may or may not have taken them, and they were NOT resent.`,
    ...unknown.map(facts),
    howToFindOut,
    ...(unknown.some((task) => task.accounts !== undefined)
      ? ["Accounts that failed otherwise (UnknownAccount, InvalidInput) were certainly not reached."]
      : [])
  ].join("\n")

/** What a push interrupted while it was being sent (Ctrl-C) leaves the operator with. */
export const interrupted = [
  "interrupted while the push was being sent: it may or may not have gone out, and it was not resent.",
  howToFindOut
].join("\n")
