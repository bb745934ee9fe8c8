/**
 * The JSON every REST answer is wrapped in (`ActionStatus`, `ErrorCode`, `ErrorInfo`, optional
 * `ErrorList`), and the answers of the tag and attribute commands built on it. Unknown extra fields
 * (such as `RequestId`) are tolerated; lists are bounded by the documented limits (at most 100
 * accounts per answer, 100 tags per account, 10 attributes), so a server that answers with more
 * gets a decode error rather than a success.
 *
 * Each answer has a `Schema` (the specification, and what `fromSchema` decodes with) and a
 * `Decoder` written by hand, which is several times faster and allocates a fraction; tests check
 * that both accept and refuse the same inputs.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as Read from "./internal/decode.js"

const maxAccounts = 100
const maxTags = 100
const maxAttributes = 10

/**
 * The bounds the decoders enforce: the documented maxima of what one answer can hold.
 *
 * @since 0.3.0
 * @category constants
 */
export const limits = {
  /** Accounts in one answer's lists (`UserTags`, `UserAttrs`, `ErrorList`): 100 per call for tags and attributes. */
  accounts: maxAccounts,
  /** Tags stored per user. */
  tags: maxTags,
  /** Attribute slots of an app ("0"–"9"). */
  attributes: maxAttributes
} as const

// The schemas and decoders below are built when this module loads. Each call is marked pure, and takes
// no property of a local object nor a spread, so that a bundler drops those an application does not use:
// a tag lookup carries none of the schemas (nor Effect's Schema with them), nor the attribute decoders.

/** A string field that reads as `""` when absent (or `undefined`). */
const textOrEmpty = /*#__PURE__*/ Schema.String.pipe(
  /*#__PURE__*/ Schema.withDecodingDefault(/*#__PURE__*/ Effect.succeed(""))
)

/** A bounded array field that reads as `[]` when absent (or `undefined`). */
const arrayOrEmpty = <S extends Schema.Top>(item: S, max: number) =>
  Schema.Array(item).check(Schema.isMaxLength(max)).pipe(Schema.withDecodingDefault(Effect.succeed([])))

/**
 * One entry of `ErrorList`: an account the server failed within an otherwise successful call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ErrorListEntry = /*#__PURE__*/ Schema.Struct({
  To_Account: Schema.String,
  ErrorCode: Schema.Number,
  ErrorInfo: textOrEmpty
})

/** The fields every answer has. */
const envelopeFields = {
  ActionStatus: Schema.String,
  ErrorCode: Schema.Number,
  ErrorInfo: textOrEmpty,
  ErrorList: /*#__PURE__*/ arrayOrEmpty(ErrorListEntry, maxAccounts)
}

/** The schema of an answer: the envelope's fields and the command's own. */
const answer = <const Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.Struct({ ...envelopeFields, ...fields })

/**
 * The fields every answer has.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Envelope = /*#__PURE__*/ Schema.Struct(envelopeFields)

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
export const GetTagResponse = /*#__PURE__*/ answer({
  UserTags: /*#__PURE__*/ arrayOrEmpty(
    /*#__PURE__*/ Schema.Struct({
      To_Account: Schema.String,
      Tags: /*#__PURE__*/ arrayOrEmpty(Schema.String, maxTags)
    }),
    maxAccounts
  )
})

/**
 * A decoded `get_tag` answer.
 *
 * @since 0.1.0
 * @category models
 */
export type GetTagResponse = typeof GetTagResponse.Type

/** An object of at most `max` string values. */
const stringRecord = (max: number) => Schema.Record(Schema.String, Schema.String).check(Schema.isMaxProperties(max))

/**
 * The answer of `get_attr`: `UserAttrs` for the accounts found, each with its attributes by name
 * (`{}` for an account without attributes; an absent `Attrs` reads as `{}`).
 *
 * @since 0.3.0
 * @category schemas
 */
export const GetAttrResponse = /*#__PURE__*/ answer({
  UserAttrs: /*#__PURE__*/ arrayOrEmpty(
    /*#__PURE__*/ Schema.Struct({
      To_Account: Schema.String,
      Attrs: /*#__PURE__*/ stringRecord(maxAttributes).pipe(
        /*#__PURE__*/ Schema.withDecodingDefault(/*#__PURE__*/ Effect.succeed({}))
      )
    }),
    maxAccounts
  )
})

/**
 * A decoded `get_attr` answer.
 *
 * @since 0.3.0
 * @category models
 */
export type GetAttrResponse = typeof GetAttrResponse.Type

/**
 * The answer of `get_attr_name`: the attribute name of each slot ("0"–"9") and the account type
 * each is bound to (0 UserID, 1 RegistrationID; an absent type reads as 0). Either map may be
 * absent when the app has named no attribute.
 *
 * @since 0.3.0
 * @category schemas
 */
export const GetAttrNameResponse = /*#__PURE__*/ answer({
  AttrNames: /*#__PURE__*/ stringRecord(maxAttributes).pipe(
    /*#__PURE__*/ Schema.withDecodingDefault(/*#__PURE__*/ Effect.succeed({}))
  ),
  AttrTypes: /*#__PURE__*/ Schema.Record(Schema.String, Schema.Number).check(
    /*#__PURE__*/ Schema.isMaxProperties(maxAttributes)
  ).pipe(/*#__PURE__*/ Schema.withDecodingDefault(/*#__PURE__*/ Effect.succeed({})))
})

/**
 * A decoded `get_attr_name` answer.
 *
 * @since 0.3.0
 * @category models
 */
export type GetAttrNameResponse = typeof GetAttrNameResponse.Type

/**
 * Turns parsed JSON into an answer, or says what is wrong with it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decoder<A> {
  readonly decode: (input: unknown) => Result.Result<A, string>
}

const formatIssue = /*#__PURE__*/ SchemaIssue.makeFormatterDefault()

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

/**
 * A decoder from a reader of the answer's top-level fields.
 *
 * @since 0.3.0
 * @category decoders
 */
export const handWritten = <A>(read: (fields: Readonly<Record<string, unknown>>) => A): Decoder<A> => ({
  decode: (input) => Read.decode(read, input)
})

const errorListEntry: Read.Reader<Envelope["ErrorList"][number]> = (value, path) => {
  const fields = Read.object(value, path)
  return {
    To_Account: Read.required(fields, "To_Account", path, Read.string),
    ErrorCode: Read.required(fields, "ErrorCode", path, Read.number),
    ErrorInfo: Read.optional(fields, "ErrorInfo", path, Read.string, "")
  }
}

const noErrors: Envelope["ErrorList"] = []
const errorList = /*#__PURE__*/ Read.array(errorListEntry, maxAccounts)

/**
 * Reads the envelope's fields from an answer's top-level object (for hand-written decoders of other
 * answers). `ErrorList` holds at most `maxAccounts` entries (default 100; a push to listed accounts
 * carries up to 500).
 *
 * @since 0.3.0
 * @category decoders
 */
export const readEnvelope = (
  fields: Readonly<Record<string, unknown>>,
  maxAccounts: number = limits.accounts
): Envelope => ({
  ActionStatus: Read.required(fields, "ActionStatus", "", Read.string),
  ErrorCode: Read.required(fields, "ErrorCode", "", Read.number),
  ErrorInfo: Read.optional(fields, "ErrorInfo", "", Read.string, ""),
  ErrorList: Read.optional(
    fields,
    "ErrorList",
    "",
    maxAccounts === limits.accounts ? errorList : Read.array(errorListEntry, maxAccounts),
    noErrors
  )
})

/**
 * Decodes the envelope alone (the answer of the write commands).
 *
 * @since 0.1.0
 * @category decoders
 */
export const envelope: Decoder<Envelope> = /*#__PURE__*/ handWritten((fields) => readEnvelope(fields))

const noTags: ReadonlyArray<string> = []
const tagList = /*#__PURE__*/ Read.strings(maxTags)

const userTags: Read.Reader<GetTagResponse["UserTags"][number]> = (value, path) => {
  const fields = Read.object(value, path)
  return {
    To_Account: Read.required(fields, "To_Account", path, Read.string),
    Tags: Read.optional(fields, "Tags", path, tagList, noTags)
  }
}

/**
 * Decodes the answer of `get_tag`.
 *
 * @since 0.1.0
 * @category decoders
 */
export const getTagResponse: Decoder<GetTagResponse> = /*#__PURE__*/ handWritten((fields) => ({
  ...readEnvelope(fields),
  UserTags: Read.optional(fields, "UserTags", "", Read.array(userTags, limits.accounts), [])
}))

const noAttrs: Readonly<Record<string, string>> = {}
const attrRecord = /*#__PURE__*/ Read.record(Read.string, maxAttributes)

const userAttrs: Read.Reader<GetAttrResponse["UserAttrs"][number]> = (value, path) => {
  const fields = Read.object(value, path)
  return {
    To_Account: Read.required(fields, "To_Account", path, Read.string),
    Attrs: Read.optional(fields, "Attrs", path, attrRecord, noAttrs)
  }
}

/**
 * Decodes the answer of `get_attr`.
 *
 * @since 0.3.0
 * @category decoders
 */
export const getAttrResponse: Decoder<GetAttrResponse> = /*#__PURE__*/ handWritten((fields) => ({
  ...readEnvelope(fields),
  UserAttrs: Read.optional(fields, "UserAttrs", "", Read.array(userAttrs, limits.accounts), [])
}))

const attrTypes = /*#__PURE__*/ Read.record(Read.number, maxAttributes)

/**
 * Decodes the answer of `get_attr_name`.
 *
 * @since 0.3.0
 * @category decoders
 */
export const getAttrNameResponse: Decoder<GetAttrNameResponse> = /*#__PURE__*/ handWritten((fields) => ({
  ...readEnvelope(fields),
  AttrNames: Read.optional(fields, "AttrNames", "", attrRecord, noAttrs),
  AttrTypes: Read.optional(fields, "AttrTypes", "", attrTypes, {})
}))
