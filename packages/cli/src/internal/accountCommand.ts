/**
 * The shape every per-account command shares (`get-tag`, `add-tag`, `remove-tag`, `clear-tags`, and later
 * `attrs get|set|remove`): accounts as arguments or `--from`, the output and connection flags, one row per
 * account on stdout, progress on stderr, and the exit code. A command only declares its own flags, how a
 * success prints (`shape`) and how its accounts are sent (`process`, usually one of `Operations`):
 *
 * ```ts
 * const clearTags = AccountCommand.make("clear-tags", {
 *   description: "Remove every tag of each account",
 *   examples: [{ command: "timtags clear-tags alice", description: "…" }],
 *   flags: {},
 *   shape: Row.done,
 *   process: () => Operations.eachAccountTags((accounts, pushTags) => pushTags.clearAllTagsMany(accounts))
 * })
 * ```
 */
import { Command } from "effect/cli"
import * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import * as AccountInput from "./accountInput.js"
import * as Connection from "./connection.js"
import type { UsageError } from "./failures.js"
import * as Job from "./job.js"
import * as Output from "./output.js"
import * as Progress from "./progress.js"
import * as Row from "./row.js"

/** What a per-account command declares. */
export interface Spec<Own extends Command.Command.Config, A> {
  readonly description: string
  readonly examples: ReadonlyArray<Command.Command.Example>
  /** The command's own flags (and their parsed values for `process`). */
  readonly flags: Own
  /** How a success prints. */
  readonly shape: Row.Shape<A>
  /** How the accounts are sent, given the command's own flags. */
  readonly process: (
    flags: Command.Command.Config.Infer<Own>
  ) => <R>(
    accounts: Stream.Stream<string, UsageError, R>
  ) => Stream.Stream<Row.Outcome<A>, UsageError, R | Connection.Services>
}

/** The flags every per-account command has besides its own. */
export const sharedFlags = {
  input: AccountInput.flags,
  output: Output.flags,
  connection: Connection.flags
} as const

/** A per-account command: rows on stdout, exit 1 when some accounts failed. */
export const make = <const Name extends string, const Own extends Command.Command.Config, A>(
  name: Name,
  spec: Spec<Own, A>
) =>
  Command.make(name, {
    own: spec.flags,
    accounts: AccountInput.argument,
    ...sharedFlags
  }, (input) =>
    Effect.gen(function*() {
      const accounts = yield* AccountInput.resolve(input.accounts, input.input)
      const tally = yield* Job.run({
        input: accounts.stream,
        count: accounts.count,
        process: spec.process(input.own as Command.Command.Config.Infer<Own>),
        entry: Row.entry(spec.shape),
        names: Row.names(spec.shape),
        format: yield* Output.stdoutFormat(input.output),
        destination: yield* Output.stdout,
        progress: yield* Progress.enabled(input.output.quiet)
      })
      yield* Job.check(tally, "the output")
    }).pipe(Effect.provide(Connection.layer(input.connection)))).pipe(
      Command.withDescription(spec.description),
      Command.withExamples(spec.examples)
    )
