/** `timtags attrs get|set|remove|names`: push attributes, with the same output and exit codes as the tag commands. */
import { Command } from "effect/cli"
import * as Get from "./attrs/get.js"
import * as Names from "./attrs/names.js"
import * as Remove from "./attrs/remove.js"
import * as SetAttrs from "./attrs/set.js"

/** The `attrs` command and its subcommands. */
export const command = Command.make("attrs").pipe(
  Command.withDescription("Look up and change push attributes, and the app's attribute names"),
  Command.withSubcommands([Get.command, SetAttrs.command, Remove.command, Names.command])
)
