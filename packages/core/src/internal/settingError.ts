/**
 * The `ConfigError` of a setting that fails its check. Effect's own `Config` reports a value that does
 * not fit with a `ConfigError` caused by a `Schema.SchemaError` holding the issue; so does this,
 * without loading `effect/Schema`: esbuild keeps most of that module (about 12 KiB gzip) in any
 * bundle that imports from it, since some of its top-level schemas read `globalThis` properties, and
 * an edge worker that reads its settings has no other use for it.
 *
 * The cause is the same as Effect's in every way its type shows: `_tag` "SchemaError", the
 * `SchemaError` type id (so `Schema.isSchemaError` holds), `issue` (a `SchemaIssue.InvalidValue` with
 * the message), `message`, `toString()`, `toJSON()`; tests compare it with Effect's own. What it is
 * not is an `instanceof Schema.SchemaError`.
 */
import * as Config from "effect/Config"
import * as Data from "effect/Data"
import { NodeInspectSymbol } from "effect/Inspectable"
import type * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"

const SchemaErrorTypeId = "~effect/Schema/SchemaError"

/** A value that does not fit its setting, as Effect's `Schema.SchemaError` would hold it. */
class InvalidSetting extends Data.TaggedError("SchemaError")<{ readonly issue: SchemaIssue.Issue }>
  implements Schema.SchemaError
{
  readonly [SchemaErrorTypeId] = SchemaErrorTypeId
  readonly #message: string
  constructor(message: string) {
    super({ issue: new SchemaIssue.InvalidValue({ message }) })
    this.#message = message
  }
  override get message(): string {
    return this.#message
  }
  override toJSON(): { _tag: "SchemaError"; message: string } {
    return { _tag: this._tag, message: this.message }
  }
  override [NodeInspectSymbol]() {
    return this.toJSON()
  }
  override toString(): string {
    return `SchemaError(${this.message})`
  }
}

/** A `ConfigError` with one message. */
export const invalid = (message: string): Config.ConfigError => new Config.ConfigError(new InvalidSetting(message))
