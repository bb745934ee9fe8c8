/**
 * Limits and counts that may be unbounded. JSON has no `Infinity`, so the control API and fault specs write
 * it as the string `"Infinity"`; these schemas decode that string to the number, and `toJson` writes it.
 */
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"

/** The string `"Infinity"`, decoded to the number `Infinity`. */
const InfinityFromString = Schema.Literal("Infinity").pipe(
  Schema.decodeTo(Schema.Number, {
    decode: SchemaGetter.transform(() => Infinity),
    encode: SchemaGetter.transform(() => "Infinity" as const)
  })
)

/** The numbers `schema` accepts, or `"Infinity"`. */
export const orInfinity = (schema: Schema.Number) => Schema.Union([schema, InfinityFromString])

/** The number as JSON can carry it: `Infinity` as `"Infinity"`. */
export const toJson = (n: number): number | "Infinity" => (n === Infinity ? "Infinity" : n)
