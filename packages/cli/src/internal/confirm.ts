/**
 * The last step before a real push: `--yes`, or a confirmation typed on a terminal after reading what is about to
 * go out (the app, whom, what). Off a terminal without `--yes` the push is refused (a `UsageError`, exit 2), so
 * that no script or pipe sends one by accident; on a terminal, anything but `yes` stops it the same way.
 */
import * as Effect from "effect/Effect"
import * as Stdio from "effect/Stdio"
import * as Stream from "effect/Stream"
import * as Terminal from "effect/Terminal"
import { UsageError } from "./failures.js"

/** The answer that sends. */
export const word = "yes"

/** Goes on when `yes` (the flag) is set, or when the person at the terminal types `yes` after reading `summary`. */
export const confirm = (
  yes: boolean,
  summary: string
): Effect.Effect<void, UsageError, Stdio.Stdio | Terminal.Terminal> =>
  Effect.gen(function*() {
    if (yes) return
    const stdio = yield* Stdio.Stdio
    const interactive = (yield* stdio.stdinIsTerminal) && (yield* stdio.stderrIsTerminal)
    if (!interactive) {
      return yield* new UsageError({
        problem: "a real push needs --yes off a terminal; nothing was sent",
        fix: "Check it with --dry-run first, then add --yes"
      })
    }
    yield* Stream.run(Stream.make(`${summary}\nType "${word}" to send it: `), stdio.stderr()).pipe(Effect.ignore)
    const answer = yield* Terminal.Terminal.use((terminal) => terminal.readLine).pipe(
      Effect.catch(() => Effect.succeed(""))
    )
    if (answer.trim() !== word) {
      return yield* new UsageError({ problem: "not confirmed; nothing was sent" })
    }
  })
