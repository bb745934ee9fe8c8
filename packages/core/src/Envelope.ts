/**
 * The JSON every REST answer is wrapped in (`ActionStatus`, `ErrorCode`, `ErrorInfo`, optional
 * `ErrorList`), and the answers of the tag commands built on it. Unknown extra fields (such as
 * `RequestId`) are tolerated.
 *
 * Each answer has a `Schema` (the specification, and what `fromSchema` decodes with) and a
 * `Decoder`. The decoders of the tag answers are written by hand, which is several times faster and
 * allocates a fraction (the README has the figures); tests check that both accept and refuse the
 * same inputs.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"

/** A string field that reads as `""` when absent (or `undefined`). */
const textOrEmpty = Schema.String.pipe(Schema.withDecodingDefault(Effect.succeed("")))

/** An array field that reads as `[]` when absent (or `undefined`). */
const arrayOrEmpty = <S extends Schema.Top>(item: S) =>
  Schema.Array(item).pipe(Schema.withDecodingDefault(Effect.succeed([])))

/**
 * One entry of `ErrorList`: an account the server failed within an otherwise successful call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ErrorListEntry = Schema.Struct({
  To_Account: Schema.String,
  ErrorCode: Schema.Number,
  ErrorInfo: textOrEmpty
})

/**
 * The fields every answer has.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Envelope = Schema.Struct({
  ActionStatus: Schema.String,
  ErrorCode: Schema.Number,
  ErrorInfo: textOrEmpty,
  ErrorList: arrayOrEmpty(ErrorListEntry)
})

/**
 * A decoded envelope.
 *
 * @since 0.1.0
 * @category models
 */
export type Envelope = typeof Envelope.Type

/**
 * The answer of `get_tag`: `UserTags` for the accounts found; `Tags` may be absent for an account
 * without tags.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GetTagResponse = Schema.Struct({
  ...Envelope.fields,
  UserTags: arrayOrEmpty(Schema.Struct({
    To_Account: Schema.String,
    Tags: arrayOrEmpty(Schema.String)
  }))
})

/**
 * A decoded `get_tag` answer.
 *
 * @since 0.1.0
 * @category models
 */
export type GetTagResponse = typeof GetTagResponse.Type

/**
 * Turns parsed JSON into an answer, or says what is wrong with it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decoder<A> {
  readonly decode: (input: unknown) => Result.Result<A, string>
}

const formatIssue = SchemaIssue.makeFormatterDefault()

/**
 * A decoder from any answer schema (for commands without a hand-written one).
 *
 * @since 0.1.0
 * @category decoders
 */
export const fromSchema = <S extends Schema.Decoder<unknown>>(schema: S): Decoder<S["Type"]> => {
  const decode = Schema.decodeUnknownResult(schema)
  return { decode: (input) => Result.mapError(decode(input), (error) => formatIssue(error.issue)) }
}

class Invalid {
  constructor(readonly path: string, readonly expected: string) {}
}

type Fields = Record<string, unknown>

const object = (value: unknown, path: string): Fields => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Invalid(path, "an object")
  return value as Fields
}
const string = (value: unknown, path: string): string => {
  if (typeof value !== "string") throw new Invalid(path, "a string")
  return value
}
const number = (value: unknown, path: string): number => {
  if (typeof value !== "number") throw new Invalid(path, "a number")
  return value
}
const array = <A>(value: unknown, path: string, item: (value: unknown, path: string) => A): ReadonlyArray<A> => {
  if (!Array.isArray(value)) throw new Invalid(path, "an array")
  const out = new Array<A>(value.length)
  for (let i = 0; i < value.length; i++) out[i] = item(value[i], `${path}[${i}]`)
  return out
}
const optional = <A>(
  fields: Fields,
  key: string,
  path: string,
  read: (value: unknown, path: string) => A,
  fallback: A
): A => fields[key] === undefined ? fallback : read(fields[key], `${path}.${key}`)

const noErrors: ReadonlyArray<typeof ErrorListEntry.Type> = []
const noTags: ReadonlyArray<string> = []

const errorListEntry = (value: unknown, path: string): typeof ErrorListEntry.Type => {
  const fields = object(value, path)
  return {
    To_Account: string(fields.To_Account, `${path}.To_Account`),
    ErrorCode: number(fields.ErrorCode, `${path}.ErrorCode`),
    ErrorInfo: optional(fields, "ErrorInfo", path, string, "")
  }
}

const envelopeOf = (fields: Fields): Envelope => ({
  ActionStatus: string(fields.ActionStatus, "ActionStatus"),
  ErrorCode: number(fields.ErrorCode, "ErrorCode"),
  ErrorInfo: optional(fields, "ErrorInfo", "", string, ""),
  ErrorList: optional(fields, "ErrorList", "", (v, p) => array(v, p, errorListEntry), noErrors)
})

const userTags = (value: unknown, path: string): GetTagResponse["UserTags"][number] => {
  const fields = object(value, path)
  return {
    To_Account: string(fields.To_Account, `${path}.To_Account`),
    Tags: optional(fields, "Tags", path, (v, p) => array(v, p, string), noTags)
  }
}

const handWritten = <A>(read: (fields: Fields) => A): Decoder<A> => ({
  decode: (input) => {
    try {
      return Result.succeed(read(object(input, "answer")))
    } catch (error) {
      if (error instanceof Invalid) return Result.fail(`expected ${error.expected} at ${error.path.replace(/^\./, "")}`)
      throw error
    }
  }
})

/**
 * Decodes the envelope alone (the answer of the write commands).
 *
 * @since 0.1.0
 * @category decoders
 */
export const envelope: Decoder<Envelope> = handWritten(envelopeOf)

/**
 * Decodes the answer of `get_tag`.
 *
 * @since 0.1.0
 * @category decoders
 */
export const getTagResponse: Decoder<GetTagResponse> = handWritten((fields) => ({
  ...envelopeOf(fields),
  UserTags: optional(fields, "UserTags", "", (v, p) => array(v, p, userTags), [])
}))
