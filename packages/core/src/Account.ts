/**
 * Account identifiers (`To_Account`: a Chat UserID or a push RegistrationID) and their validation,
 * done before any network call so that one bad value fails alone with a message naming it.
 *
 * @since 0.1.0
 */
import * as Result from "effect/Result"
import * as BoundedText from "./internal/boundedText.js"
import type { TimValidationError } from "./TimError.js"

/**
 * The longest account identifier, in UTF-8 bytes.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxBytes = 32

/**
 * Most accounts one REST call may carry.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxPerCall = 100

const rule: BoundedText.Rule = { field: "account", noun: "account identifier", maxBytes }

/**
 * Checks one account identifier: a non-empty string of at most 32 UTF-8 bytes.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (value: unknown): Result.Result<string, TimValidationError> => BoundedText.validate(rule, value)

/**
 * The refusal of an account identifier, or `undefined` when it is valid (allocating nothing, for
 * checking many accounts at once).
 *
 * @since 0.2.0
 * @category validation
 */
export const refusal = (value: unknown): TimValidationError | undefined => {
  const problem = BoundedText.problem(rule, value)
  return problem === undefined ? undefined : BoundedText.refusal(rule, value, problem)
}

/**
 * Splits values into chunks of at most `size`.
 *
 * @since 0.1.0
 * @category utils
 */
export const chunksOf = <A>(values: ReadonlyArray<A>, size: number = maxPerCall): Array<Array<A>> => {
  const chunks: Array<Array<A>> = []
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size))
  return chunks
}
