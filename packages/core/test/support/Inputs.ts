/**
 * Inputs for the property tests of validation: strings of 1-, 2-, 3- and 4-byte characters (and
 * lone surrogates, which two adjacent ones may pair up) around a UTF-8 byte limit, any JSON-ish
 * value a JavaScript caller could pass, and a check that a refusal is a `TimValidationError` naming
 * the field.
 */
import { expect } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import type * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Hostile from "./Hostile.js"

/** Characters of 1, 2, 3 and 4 UTF-8 bytes, and both halves of a surrogate pair on their own. */
const characters = Arbitrary.schema(Schema.Literals(["a", "é", "€", "😀", "\ud83d", "\ude00"]))

/** Strings of 0 to `maxBytes + 2` such characters, each length equally likely: from empty to far over the limit. */
export const text = (maxBytes: number): Arbitrary.Arbitrary<string> =>
  Hostile.listOf(characters, 0, maxBytes + 2).pipe(Arbitrary.map((chars) => chars.join("")))

/** UTF-8 bytes of `value`, as it is sent (a lone surrogate goes as U+FFFD, 3 bytes). */
export const bytes = (value: string): number => new TextEncoder().encode(value).length

/** Whether `value` is a non-empty string of at most `maxBytes` UTF-8 bytes. */
export const fits = (value: unknown, maxBytes: number): value is string =>
  typeof value === "string" && value.length > 0 && bytes(value) <= maxBytes

/**
 * Any value a JavaScript caller could pass instead: JSON (objects with and without a prototype),
 * `undefined`, NaN and infinities, big integers, and arrays or objects nested 10,000 levels deep
 * (one in ten).
 */
export const jsonish: Arbitrary.Arbitrary<unknown> = Arbitrary.all([
  Hostile.integer(0, 19),
  Arbitrary.schema(Schema.Union([Schema.Json, Schema.Undefined, Schema.Number, Schema.BigInt]))
]).pipe(Arbitrary.map(([pick, value]) => pick < 2 ? Hostile.deep(10_000, pick === 0 ? "array" : "object") : value))

/** Strings around `maxBytes`, or anything else. */
export const textOrAnything = (maxBytes: number): Arbitrary.Arbitrary<unknown> =>
  Arbitrary.all([Hostile.integer(0, 3), text(maxBytes), jsonish]).pipe(
    Arbitrary.map(([pick, value, other]) => pick === 0 ? other : value)
  )

/** Checks that `result` is a refusal naming `field`, and returns it. */
export const refused = (result: Result.Result<unknown, unknown>, field: string) => {
  expect(result).toMatchObject({ _tag: "Failure", failure: { _tag: "TimValidationError", field } })
  return (result as Result.Failure<unknown, { readonly field: string; readonly problem: string }>).failure
}
