/**
 * Reading a REST answer: parse the JSON text, decode it with the command's decoder, and turn a
 * non-zero `ErrorCode` (or `ActionStatus: "FAIL"`) into a `TimApiError`.
 */
import * as Result from "effect/Result"
import type * as Envelope from "../Envelope.js"
import type * as ErrorCode from "../ErrorCode.js"
import { TimApiError, TimDecodeError } from "../TimError.js"

/**
 * The decoded answer of `command`, or why it is not a successful one. `addressedBy` (whether the
 * client called a region's domain or an explicit base URL) goes into a `TimApiError` for its hint.
 */
export const read = <A extends Envelope.Envelope>(
  command: string,
  text: string,
  decoder: Envelope.Decoder<A>,
  addressedBy?: ErrorCode.AddressedBy
): Result.Result<A, TimDecodeError | TimApiError> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return Result.fail(new TimDecodeError({ command, detail: `not JSON (${text.length} bytes)` }))
  }
  const decoded = decoder.decode(json)
  if (Result.isFailure(decoded)) {
    return Result.fail(new TimDecodeError({ command, detail: decoded.failure.slice(0, 300) }))
  }
  const answer = decoded.success
  return answer.ErrorCode !== 0 || answer.ActionStatus === "FAIL"
    ? Result.fail(
      new TimApiError({
        command,
        code: answer.ErrorCode,
        info: answer.ErrorInfo,
        ...(addressedBy === undefined ? {} : { addressedBy })
      })
    )
    : Result.succeed(answer)
}
