/**
 * The `timtags-emulator` command (`EmulatorCli`): starts an emulator, prints `timtags-emulator listening on
 * <baseUrl>` once it listens, and runs until SIGINT/SIGTERM (exit code 0). A usage error prints the help and
 * the error on stderr and exits with code 2; anything else that stops it exits with 1.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Command from "effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { createRequire } from "node:module"
import * as EmulatorCli from "./EmulatorCli.js"

const { version } = createRequire(import.meta.url)("../package.json") as { readonly version: string }

Command.run(EmulatorCli.make("timtags-emulator"), { version }).pipe(
  Effect.provide(Layer.merge(NodeServices.layer, EmulatorCli.usageOnStderr)),
  NodeRuntime.runMain({ teardown: EmulatorCli.teardown })
)
