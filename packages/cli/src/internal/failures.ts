/**
 * How a command ends when it does not succeed, with the exit code a script sees (`Runtime.errorExitCode`,
 * read by the teardown) and the one-line message a person reads (`CliError.userMessage`, printed by
 * `Command.run` on stderr):
 *
 * - `UsageError` (2): the command line, a file or the configuration is wrong, or the library refused the
 *   request before sending it, and nothing was sent;
 * - `AccountsFailed` (1): the work ran to its end and some accounts failed (the output or report lists them);
 * - `Stopped` (1): the work stopped part-way after sending some of it (the message says why);
 * - `Failed` (1): an operation that is not per account (naming attributes, a push) failed at the server;
 * - `OutcomeUnknown` (1): a push may or may not have gone out (the message says how to find out).
 */
import type { TimError } from "@timtags/core"
import { CliError } from "effect/cli"
import * as Data from "effect/Data"
import type * as PlatformError from "effect/PlatformError"
import * as Runtime from "effect/Runtime"

/** The exit codes, by meaning. */
export const exitCodes = { success: 0, accountsFailed: 1, usage: 2 } as const

/** What is wrong, and how to fix it; nothing was sent. */
export class UsageError extends Data.TaggedError("UsageError")<{
  readonly problem: string
  readonly fix?: string | undefined
}> {
  override readonly [Runtime.errorExitCode] = exitCodes.usage
  override get message(): string {
    return this.fix === undefined ? this.problem : `${this.problem}. ${this.fix}`
  }
  override get [CliError.userMessage](): string {
    return this.message
  }
}

/** The exit code 1 of a command that ran and failed (in part), and its message as what a person reads. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base must take `...args: any[]` (TS2545)
const exitsWith1 = <C extends new(...args: Array<any>) => Error>(Base: C) =>
  class extends Base {
    override readonly [Runtime.errorExitCode] = exitCodes.accountsFailed
    override get [CliError.userMessage](): string {
      return this.message
    }
  }

/** Some accounts failed; the others succeeded. */
export class AccountsFailed extends exitsWith1(
  Data.TaggedError("AccountsFailed")<{
    readonly failed: number
    readonly total: number
    readonly where: string
  }>
) {
  override get message(): string {
    return `${this.failed} of ${this.total} accounts failed; ${this.where} lists them with their errors`
  }
}

/** The work stopped after part of it was sent. */
export class Stopped extends exitsWith1(
  Data.TaggedError("Stopped")<{
    readonly reason: string
    readonly done: number
  }>
) {
  override get message(): string {
    return `stopped part-way, ${this.done} ${this.done === 1 ? "account" : "accounts"} done: ${this.reason}`
  }
}

/** An operation that is not per account failed at the server (or could not reach it); `what` names it. */
export class Failed extends exitsWith1(
  Data.TaggedError("Failed")<{
    readonly what: string
    readonly reason: string
  }>
) {
  override get message(): string {
    return `${this.what} failed: ${this.reason}`
  }
}

/** A push whose outcome is unknown; `explanation` says what is known and how to find out the rest. */
export class OutcomeUnknown extends exitsWith1(
  Data.TaggedError("OutcomeUnknown")<{
    readonly explanation: string
  }>
) {
  override get message(): string {
    return this.explanation
  }
  /** Indented under the CLI's `ERROR` heading like its first line. */
  override get [CliError.userMessage](): string {
    return this.message.replaceAll("\n", "\n  ")
  }
}

/**
 * The library's error for an operation that is not per account (`what`): refused before any call (bad input, the
 * daily quota as this process counts it) is a `UsageError`, as nothing was sent; anything else is `Failed`.
 */
export const ofTimError = (what: string, error: TimError.TimError): UsageError | Failed =>
  error._tag === "TimValidationError" || (error._tag === "TimQuotaError" && error.source === "client")
    ? new UsageError({ problem: `${what} refused before sending: ${error.message}` })
    : new Failed({ what, reason: error.message })

/**
 * A file that cannot be read or written, as a usage error naming it (`what`: "--from", "the report", …; the
 * path `-` is standard input or output).
 */
export const fileError = (what: string, path: string, error: PlatformError.PlatformError): UsageError => {
  const reason = error.reason
  const problem = reason._tag === "NotFound"
    ? "does not exist"
    : reason._tag === "PermissionDenied"
    ? "is not accessible (permission denied)"
    : reason._tag === "AlreadyExists"
    ? "already exists"
    : `cannot be used (${reason.message})`
  return new UsageError({
    problem: `${what} ${path === "-" ? "(standard input or output)" : JSON.stringify(path)} ${problem}`
  })
}
