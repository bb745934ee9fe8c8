/** Refusals before any call: a `TimValidationError` naming the field, the value (shown briefly) and what was wrong. */
import * as Result from "effect/Result"
import { showValue, TimValidationError } from "../TimError.js"

/** The refusal of `value` as `field`, because of `problem`. */
export const refusal = (field: string, value: unknown, problem: string): TimValidationError =>
  new TimValidationError({ field, value: showValue(value), problem })

/** The same refusal, as a failed `Result`. */
export const refuse = (field: string, value: unknown, problem: string): Result.Result<never, TimValidationError> =>
  Result.fail(refusal(field, value, problem))
