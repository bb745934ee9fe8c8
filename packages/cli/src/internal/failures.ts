/**
 * How a command ends when it does not succeed, with the exit code a script sees (`Runtime.errorExitCode`,
 * read by the teardown) and the one-line message a person reads (`CliError.userMessage`, printed by
 * `Command.run` on stderr):
 *
 * - `UsageError` (2): the command line, a file or the configuration is wrong, and nothing was sent;
 * - `AccountsFailed` (1): the work ran to its end and some accounts failed (the output or report lists them);
 * - `Stopped` (1): the work stopped part-way after sending some of it (the message says why).
 */
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

/** Some accounts failed; the others succeeded. */
export class AccountsFailed extends Data.TaggedError("AccountsFailed")<{
  readonly failed: number
  readonly total: number
  readonly where: string
}> {
  override readonly [Runtime.errorExitCode] = exitCodes.accountsFailed
  override get message(): string {
    return `${this.failed} of ${this.total} accounts failed; ${this.where} lists them with their errors`
  }
  override get [CliError.userMessage](): string {
    return this.message
  }
}

/** The work stopped after part of it was sent. */
export class Stopped extends Data.TaggedError("Stopped")<{
  readonly reason: string
  readonly done: number
}> {
  override readonly [Runtime.errorExitCode] = exitCodes.accountsFailed
  override get message(): string {
    return `stopped part-way, ${this.done} ${this.done === 1 ? "account" : "accounts"} done: ${this.reason}`
  }
  override get [CliError.userMessage](): string {
    return this.message
  }
}

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
