/**
 * The `timtags` command line as an Effect CLI `Command` tree: look up, change, export and import push tags and
 * attributes, and push (with a dry run first), from a shell, with the library's limiter, retries, validation,
 * push safety and secret handling; and start the emulator (`timtags emulator`). The `timtags` bin runs `main`;
 * an application can run `command` itself (`run`) or mount it in a command line of its own.
 *
 * Exit codes: 0 when everything succeeded, 1 when some accounts failed (the output or report lists them), the
 * work stopped part-way, a push failed or its outcome is unknown, 2 for a usage or configuration error or a
 * request the library refused before sending, in which case nothing was sent.
 *
 * @since 0.3.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as EmulatorCli from "@timtags/emulator/EmulatorCli"
import * as Cause from "effect/Cause"
import { CliConfig, CliError, Command, GlobalFlag, TerminalCapabilities } from "effect/cli"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Runtime from "effect/Runtime"
import * as AddTag from "./internal/commands/addTag.js"
import * as Attrs from "./internal/commands/attrs.js"
import * as ClearTags from "./internal/commands/clearTags.js"
import * as Export from "./internal/commands/export.js"
import * as GetTag from "./internal/commands/getTag.js"
import * as Import from "./internal/commands/import.js"
import * as Push from "./internal/commands/push.js"
import * as RemoveTag from "./internal/commands/removeTag.js"
import * as Failures from "./internal/failures.js"

/**
 * The root command, `timtags`, with its subcommands.
 *
 * @example
 * ```ts
 * import { NodeRuntime, NodeServices } from "@effect/platform-node"
 * import { Cli } from "@timtags/cli"
 * import { Effect } from "effect"
 * import { Command } from "effect/cli"
 *
 * // `ops tags get-tag alice`: timtags mounted in a command line of your own, with its exit codes.
 * const ops = Command.make("ops").pipe(
 *   Command.withSubcommands([Cli.command.pipe(Command.withAlias("tags"))])
 * )
 *
 * ops.pipe(
 *   Command.run({ version: "1.0.0" }),
 *   Effect.provide(NodeServices.layer),
 *   NodeRuntime.runMain({ teardown: Cli.teardown })
 * )
 * ```
 *
 * @since 0.3.0
 * @category commands
 */
export const command = Command.make("timtags").pipe(
  Command.withDescription(
    "Look up, change, export and import Tencent Cloud Chat push tags and attributes, and push. " +
      "Configure with TIM_SDKAPPID, TIM_SECRET_KEY and TIM_REGION (or TIM_BASE_URL), or the matching flags."
  ),
  Command.withSubcommands([
    { group: "Tags", commands: [GetTag.command, AddTag.command, RemoveTag.command, ClearTags.command] },
    { group: "Attributes", commands: [Attrs.command] },
    { group: "Pushes", commands: [Push.command] },
    { group: "Many accounts", commands: [Export.command, Import.command] },
    { group: "Testing", commands: [EmulatorCli.command] }
  ])
)

/**
 * The exit codes, by meaning: `success` 0, `accountsFailed` 1 (also: stopped part-way, a push failed or its
 * outcome is unknown), `usage` 2 (nothing was sent).
 *
 * @since 0.3.0
 * @category constants
 */
export const exitCodes: { readonly success: 0; readonly accountsFailed: 1; readonly usage: 2 } = Failures.exitCodes

/**
 * Runs `command` with the arguments of the `Stdio` service: wrong usage prints the usage and the error on
 * stderr, and a failure's message goes to stderr.
 *
 * @since 0.3.0
 * @category running
 */
export const run = (options: { readonly version: string }) =>
  Command.run(command, options).pipe(
    Effect.provide(Layer.mergeAll(
      EmulatorCli.usageOnStderr,
      TerminalCapabilities.layer,
      // No --wizard: it builds and runs commands interactively, which a tool that writes to production does not need.
      CliConfig.layer({ builtIns: GlobalFlag.BuiltIns.filter((flag) => flag !== GlobalFlag.Wizard) })
    ))
  )

/**
 * The process exit code of a run: a wrong command line is a usage error (2), like the failures that carry
 * their own code; a `UserError` (the emulator cannot listen) is 1; an interruption (Ctrl-C) is 130.
 *
 * @since 0.3.0
 * @category running
 */
export const teardown: Runtime.Teardown = (exit, onExit) => {
  if (Exit.isFailure(exit) && !Cause.hasInterruptsOnly(exit.cause)) {
    const error = Cause.squash(exit.cause)
    if (
      CliError.isCliError(error) && error._tag !== "UserError" &&
      (error._tag !== "ShowHelp" || error.errors.length > 0)
    ) {
      return onExit(exitCodes.usage)
    }
  }
  Runtime.defaultTeardown(exit, onExit)
}

/**
 * Runs the command line in this Node process, with `process.argv`, and exits with its code.
 *
 * @example
 * ```ts
 * import { Cli } from "@timtags/cli"
 *
 * // What the `timtags` bin does.
 * Cli.main({ version: "0.3.0" })
 * ```
 *
 * @since 0.3.0
 * @category running
 */
export const main = (options: { readonly version: string }): void =>
  run(options).pipe(Effect.provide(NodeServices.layer), NodeRuntime.runMain({ teardown }))
