/**
 * Answers a misbehaving server could send, as arbitraries for property tests: valid answers of a
 * schema, and those answers damaged at one place (a wrong type, `null`, a missing field, an extra
 * one, nesting 10,000+ levels deep, an oversized list), or any JSON at all. Every value is given as
 * the decoders meet it: parsed from JSON text (so `__proto__` is an own key, objects have
 * `Object.prototype`, and nothing JSON cannot carry survives). Deep and huge values are described by
 * the arbitrary and built inside the property, so that a failure prints a readable input.
 */
import * as Arbitrary from "effect/Arbitrary"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"

/** Any JSON value. */
export const json: Arbitrary.Arbitrary<Schema.Json> = Arbitrary.schema(Schema.Json)

/** `value` as the decoders get it: through JSON text. */
export const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? "null")

/** An integer from `minimum` to `maximum`, each equally likely. */
export const integer = (minimum: number, maximum: number): Arbitrary.Arbitrary<number> =>
  Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum, maximum })))

/**
 * Answers `schema` accepts, as parsed JSON: generated from its encoded side, as a server sends them
 * (a field with a default may be absent).
 */
export const valid = <S extends Schema.Top & Schema.Decoder<unknown>>(schema: S): Arbitrary.Arbitrary<unknown> => {
  const accepts = Schema.decodeUnknownResult(schema)
  return Arbitrary.schema(Schema.toEncoded(schema)).pipe(
    Arbitrary.map(roundTrip),
    Arbitrary.filter((value) => Result.isSuccess(accepts(value)))
  )
}

/** `length` items of `item`, each length from `minimum` to `maximum` equally likely. */
export const listOf = <A>(item: Arbitrary.Arbitrary<A>, minimum: number, maximum: number) =>
  integer(minimum, maximum).pipe(
    Arbitrary.flatMap((length) => Arbitrary.array(item, { minLength: length, maxLength: length }))
  )

/** A value nested `depth` levels deep, built in a loop (no recursion). */
export const deep = (depth: number, shape: "array" | "object"): unknown => {
  let value: unknown = shape === "array" ? [] : {}
  for (let i = 1; i < depth; i++) value = shape === "array" ? [value] : { a: value }
  return value
}

/** The JSON text of a value nested `depth` levels deep (JSON.stringify would recurse). */
export const deepText = (depth: number, shape: "array" | "object"): string =>
  shape === "array" ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1)

/** What is done to one place of an answer. */
export const Damage = Schema.Union([
  /** The value replaced by any JSON value (a number where a string belongs, an object for a list…). */
  Schema.TaggedStruct("Replace", { value: Schema.Json }),
  Schema.TaggedStruct("Null", {}),
  /** A field (or list item) removed. */
  Schema.TaggedStruct("Remove", {}),
  /** A field added to an object (an item to a list; a scalar becomes an object of that one field). */
  Schema.TaggedStruct("Extra", { key: Schema.String, value: Schema.Json }),
  /** The value replaced by one nested 10,000 to 20,000 levels deep. */
  Schema.TaggedStruct("Deep", {
    depth: Schema.Int.check(Schema.isBetween({ minimum: 10_000, maximum: 20_000 })),
    shape: Schema.Literals(["array", "object"])
  }),
  /** The value replaced by a list of 101 to 2,000 copies of one item (a huge list is tested on its own). */
  Schema.TaggedStruct("Huge", {
    length: Schema.Int.check(Schema.isBetween({ minimum: 101, maximum: 2_000 })),
    item: Schema.Json
  })
])

/** What is done to one place of an answer. */
export type Damage = typeof Damage.Type

/** An answer damaged at one place: the `at`-th value in document order (modulo their number). */
export interface Damaged {
  readonly answer: unknown
  readonly at: number
  readonly damage: Damage
}

/** The values of `value` in document order, each with its container and key (none for the root). */
const places = (value: unknown) => {
  const found: Array<{ readonly parent?: Record<string | number, unknown>; readonly key?: string | number }> = [{}]
  const walk = (node: unknown) => {
    if (typeof node !== "object" || node === null) return
    const container = node as Record<string | number, unknown>
    for (const key of Array.isArray(node) ? node.keys() : Object.keys(node)) {
      found.push({ parent: container, key })
      walk(container[key])
    }
  }
  walk(value)
  return found
}

const replacement = (damage: Damage, current: unknown): unknown => {
  switch (damage._tag) {
    case "Replace":
      return damage.value
    case "Null":
      return null
    case "Remove":
      return {}
    case "Extra":
      return Array.isArray(current) ? [...current, damage.value] : withField(current, damage.key, damage.value)
    case "Deep":
      return deep(damage.depth, damage.shape)
    case "Huge":
      return Array.from({ length: damage.length }, () => damage.item)
  }
}

/** Builds the damaged answer (a fresh copy; the generated one is left as it is). */
export const build = ({ answer, at, damage }: Damaged): unknown => {
  const root = roundTrip(answer)
  const all = places(root)
  const { key, parent } = all[at % all.length]!
  if (parent === undefined || key === undefined) return replacement(damage, root)
  if (damage._tag !== "Remove") parent[key] = replacement(damage, parent[key])
  else if (Array.isArray(parent)) parent.splice(key as number, 1)
  else delete parent[key]
  return root
}

/** A copy of `value` (an empty object unless it is one) with the field `key`, as JSON.parse would add it. */
const withField = (value: unknown, key: string, field: unknown) => {
  const copy = typeof value === "object" && value !== null ? { ...value } : {}
  Object.defineProperty(copy, key, { value: field, enumerable: true, writable: true, configurable: true })
  return copy
}

const deepMarker = "\u0000deep\u0000"

/**
 * The JSON text of the damaged answer (built as text where it is nested deep: `JSON.stringify`
 * recurses).
 */
export const text = (damaged: Damaged): string => {
  const { damage } = damaged
  if (damage._tag !== "Deep") return JSON.stringify(build(damaged))
  const marked = JSON.stringify(build({ ...damaged, damage: { _tag: "Replace", value: deepMarker } }))
  return marked.replace(JSON.stringify(deepMarker), () => deepText(damage.depth, damage.shape))
}

/** Answers of `base` damaged at one place. */
export const damaged = (base: Arbitrary.Arbitrary<unknown>): Arbitrary.Arbitrary<Damaged> =>
  Arbitrary.all({ answer: base, at: integer(0, 1_000_000), damage: Arbitrary.schema(Damage) })

/** Runs `f`, turning a thrown exception (a defect, were it in an Effect) into a failed assertion naming it. */
export const total = <A>(what: string, f: () => A): A => {
  try {
    return f()
  } catch (error) {
    throw new Error(`${what} threw (a defect, not a typed failure): ${String(error)}`, { cause: error })
  }
}
