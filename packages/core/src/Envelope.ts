/**
 * The JSON every REST answer is wrapped in (`ActionStatus`, `ErrorCode`, `ErrorInfo`, optional
 * `ErrorList`), and the answers of the tag commands built on it. Unknown extra fields (such as
 * `RequestId`) are tolerated and dropped.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * One entry of `ErrorList`: an account the server failed within an otherwise successful call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ErrorListEntry = Schema.Struct({
  To_Account: Schema.String,
  ErrorCode: Schema.Number,
  ErrorInfo: Schema.optionalWith(Schema.String, { default: () => "" })
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
  ErrorInfo: Schema.optionalWith(Schema.String, { default: () => "" }),
  ErrorList: Schema.optionalWith(Schema.Array(ErrorListEntry), { default: () => [] })
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
  UserTags: Schema.optionalWith(
    Schema.Array(Schema.Struct({
      To_Account: Schema.String,
      Tags: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
    })),
    { default: () => [] }
  )
})
