/**
 * The readers the hand-written answer decoders are made of: each checks one JSON value's shape and
 * either returns it or throws `Invalid`, naming the path and what was expected. Arrays are bounded by
 * the documented limits they are read under, so a server that answers with a million entries gets a
 * decode error, not a success. Values are returned as parsed (arrays of strings are checked in place,
 * not copied). Paths into lists and objects are made only when something is wrong there (`relocated`):
 * an answer of 100 accounts would otherwise build hundreds of path strings nobody reads.
 */
import * as Result from "effect/Result"

/** What was expected at a path; thrown by the readers, caught by `decoder`. */
export class Invalid {
  constructor(readonly path: string, readonly expected: string) {}
}

/**
 * What to throw for `error`, thrown by a reader given the path `""`, now that its place is known to be
 * `prefix`: an `Invalid` with its path under `prefix` (`""`, `[i]…`, `.key…` or `key…` from `""`), or
 * `error` itself.
 */
export const relocated = (error: unknown, prefix: string): unknown => {
  if (!(error instanceof Invalid)) return error
  const rel = error.path
  return new Invalid(
    rel === "" ? prefix : rel.startsWith("[") || rel.startsWith(".") ? prefix + rel : `${prefix}.${rel}`,
    error.expected
  )
}

/** A JSON object's fields. */
export type Fields = Readonly<Record<string, unknown>>

/** Reads `value` at `path`. */
export type Reader<A> = (value: unknown, path: string) => A

/** A JSON object (not an array, not null). */
export const object: Reader<Fields> = (value, path) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Invalid(path, "an object")
  return value as Fields
}

/** A string. */
export const string: Reader<string> = (value, path) => {
  if (typeof value !== "string") throw new Invalid(path, "a string")
  return value
}

/** A number. */
export const number: Reader<number> = (value, path) => {
  if (typeof value !== "number") throw new Invalid(path, "a number")
  return value
}

/** An array of at most `max` items, not looked into. */
export const list = (max: number): Reader<ReadonlyArray<unknown>> => (value, path) => {
  if (!Array.isArray(value)) throw new Invalid(path, "an array")
  if (value.length > max) throw new Invalid(path, `an array of at most ${max} items, not ${value.length}`)
  return value
}

/** An array of at most `max` items, each read by `item` (into a new array). */
export const array = <A>(item: Reader<A>, max: number): Reader<ReadonlyArray<A>> => {
  const bounded = list(max)
  return (value, path) => {
    const items = bounded(value, path)
    const out = new Array<A>(items.length)
    let i = 0
    try {
      for (; i < items.length; i++) out[i] = item(items[i], "")
    } catch (error) {
      throw relocated(error, `${path}[${i}]`)
    }
    return out
  }
}

/** An array of at most `max` strings, checked in place and returned as parsed. */
export const strings = (max: number): Reader<ReadonlyArray<string>> => {
  const bounded = list(max)
  return (value, path) => {
    const items = bounded(value, path)
    for (let i = 0; i < items.length; i++) {
      if (typeof items[i] !== "string") throw new Invalid(`${path}[${i}]`, "a string")
    }
    return items as ReadonlyArray<string>
  }
}

/** An object of at most `max` fields, each value checked by `item` in place; returned as parsed. */
export const record = <A>(item: Reader<A>, max: number): Reader<Readonly<Record<string, A>>> => (value, path) => {
  const fields = object(value, path)
  let count = 0
  for (const key in fields) {
    if (++count > max) throw new Invalid(path, `an object of at most ${max} fields`)
    try {
      item(fields[key], "")
    } catch (error) {
      throw relocated(error, path === "" ? key : `${path}.${key}`)
    }
  }
  return fields as Readonly<Record<string, A>>
}

/** The field `key` of `fields` read by `read`, or `fallback` when it is absent (or `undefined`). */
export const optional = <A>(fields: Fields, key: string, path: string, read: Reader<A>, fallback: A): A =>
  fields[key] === undefined ? fallback : read(fields[key], path === "" ? key : `${path}.${key}`)

/** The field `key` of `fields` read by `read`; absent is invalid. */
export const required = <A>(fields: Fields, key: string, path: string, read: Reader<A>): A =>
  read(fields[key], path === "" ? key : `${path}.${key}`)

/** Reads a whole answer from its top-level object: the value, or a message saying what was expected where. */
export const decode = <A>(read: (fields: Fields) => A, input: unknown): Result.Result<A, string> => {
  try {
    return Result.succeed(read(object(input, "answer")))
  } catch (error) {
    if (error instanceof Invalid) return Result.fail(`expected ${error.expected} at ${error.path}`)
    throw error
  }
}
