/**
 * Text read as a stream of numbered lines, from a file or (`-`) from standard input, in bounded memory:
 * the file is read in chunks as the consumer pulls, never as a whole. A file that cannot be read fails with
 * a `UsageError` naming it.
 */
import * as FileSystem from "effect/FileSystem"
import * as Stdio from "effect/Stdio"
import * as Stream from "effect/Stream"
import { fileError, type UsageError } from "./failures.js"

/** One line of a text, numbered from 1, without its line break. */
export interface Line {
  readonly number: number
  readonly text: string
}

/** The path that means standard input. */
export const stdin = "-"

/** Where a text comes from, and the name it goes by in messages (`--from accounts.txt`). */
export interface Source {
  readonly path: string
  readonly label: string
}

/** A source's name in messages: `--from accounts.txt:12`. */
export const at = (source: Source, line: number): string =>
  `${source.label}${source.path === stdin ? "" : ` ${source.path}`}:${line}`

/** The bytes of a source. */
const bytes = (source: Source): Stream.Stream<Uint8Array, UsageError, FileSystem.FileSystem | Stdio.Stdio> =>
  source.path === stdin
    ? Stream.unwrap(Stdio.Stdio.useSync((stdio) => stdio.stdin)).pipe(
      Stream.mapError((error) => fileError(source.label, stdin, error))
    )
    : Stream.unwrap(FileSystem.FileSystem.useSync((fs) => fs.stream(source.path))).pipe(
      Stream.mapError((error) => fileError(source.label, source.path, error))
    )

/** The lines of a source, numbered, as the consumer pulls them. */
export const lines = (source: Source): Stream.Stream<Line, UsageError, FileSystem.FileSystem | Stdio.Stdio> =>
  bytes(source).pipe(
    Stream.decodeText(),
    Stream.splitLines,
    Stream.map((text, index) => ({ number: index + 1, text }))
  )
