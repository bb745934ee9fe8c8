/**
 * Where output goes and in which format: `--format table|json|ndjson|csv` (default: a table when stdout is a
 * terminal, NDJSON otherwise), `--quiet` (no progress), and the `Destination`s: standard output, or a file
 * that is created (or opened for appending) before any work starts, so that a path that cannot be written is
 * a usage error while nothing has been sent yet.
 */
import { type Command, Flag } from "effect/cli"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Option from "effect/Option"
import type * as PlatformError from "effect/PlatformError"
import * as Sink from "effect/Sink"
import * as Stdio from "effect/Stdio"
import * as Stream from "effect/Stream"
import * as Encoders from "./encoders.js"
import { fileError, type UsageError } from "./failures.js"
import * as MakeFlag from "./makeFlag.js"

/** `--format` and `--quiet`. */
export const flags = {
  format: Flag.Literals("format", Encoders.formats).pipe(
    Flag.withDescription("Output format: table, json, ndjson or csv; default table on a terminal, ndjson otherwise"),
    Flag.withMetavar("FORMAT"),
    Flag.optional
  ),
  quiet: MakeFlag.toggle("quiet", "No progress on stderr (it only shows on a terminal anyway)").pipe(
    Flag.withAlias("q")
  )
} as const

/** The parsed `--format` and `--quiet`. */
export type Flags = Command.Command.Config.Infer<typeof flags>

/** The format for standard output: `--format`, else a table on a terminal and NDJSON otherwise. */
export const stdoutFormat = (flags: Flags): Effect.Effect<Encoders.Format, never, Stdio.Stdio> =>
  Option.match(flags.format, {
    onSome: Effect.succeed,
    onNone: () =>
      Effect.map(Stdio.Stdio.use((stdio) => stdio.stdoutIsTerminal), (tty): Encoders.Format => tty ? "table" : "ndjson")
  })

/** The format a file's name asks for: `.csv`, `.json`, else NDJSON. */
export const formatOfPath = (path: string): Encoders.Format =>
  /\.csv$/i.test(path) ? "csv" : /\.json$/i.test(path) ? "json" : "ndjson"

/** Somewhere to write text to. */
export interface Destination {
  /** Whether it is a terminal (which the progress line may share). */
  readonly terminal: boolean
  /** Writes the text, in order, as it streams. */
  readonly write: <E, R>(text: Stream.Stream<string, E, R>) => Effect.Effect<void, E | UsageError, R>
}

/** Standard output. */
export const stdout: Effect.Effect<Destination, never, Stdio.Stdio> = Stdio.Stdio.use((stdio) =>
  Effect.map(stdio.stdoutIsTerminal, (terminal): Destination => ({
    terminal,
    write: (text) =>
      Stream.run(text, stdio.stdout().pipe(Sink.mapError((error) => fileError("standard output", "-", error))))
  }))
)

/**
 * A file, created empty (or, with `append`, opened for appending) now; `what` names it in messages
 * (`--out`, `the report`).
 */
export const file = (
  path: string,
  options: { readonly what: string; readonly append: boolean }
): Effect.Effect<Destination, UsageError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const flag = options.append ? "a" : "w"
    const refuse = (error: PlatformError.PlatformError) => fileError(options.what, path, error)
    yield* fs.writeFileString(path, "", { flag }).pipe(Effect.mapError(refuse))
    return {
      terminal: false,
      write: (text) => Stream.run(Stream.encodeText(text), fs.sink(path, { flag: "a" }).pipe(Sink.mapError(refuse)))
    }
  })
