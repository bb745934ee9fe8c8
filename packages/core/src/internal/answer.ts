/**
 * Reading a REST answer: parse the JSON text, decode it with the command's decoder, and turn a
 * non-zero `ErrorCode` (or `ActionStatus: "FAIL"`) into a `TimApiError`. A failed call's answer is
 * read for its status alone (`ActionStatus`, `ErrorCode`, `ErrorInfo`): it need not carry the fields
 * of a successful one (a `get_sched_task` that fails has no `TaskInfo`), and what else it carries
 * (an `ErrorList` of up to 500 accounts from a `batch`) does not change that the call failed.
 */
import * as Result from "effect/Result"
import * as Envelope from "../Envelope.js"
import type * as ErrorCode from "../ErrorCode.js"
import { TimApiError, TimDecodeError } from "../TimError.js"
import * as Read from "./decode.js"

/** The status of a failed answer. */
const status = Envelope.handWritten((fields) => ({
  ActionStatus: Read.required(fields, "ActionStatus", "", Read.string),
  ErrorCode: Read.required(fields, "ErrorCode", "", Read.number),
  ErrorInfo: Read.optional(fields, "ErrorInfo", "", Read.string, "")
}))

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
  const failed = typeof json === "object" && json !== null &&
    ((json as { ErrorCode?: unknown }).ErrorCode !== 0 || (json as { ActionStatus?: unknown }).ActionStatus === "FAIL")
  if (!failed) {
    const decoded = decoder.decode(json)
    return Result.isSuccess(decoded)
      ? Result.succeed(decoded.success)
      : Result.fail(undecodable(command, decoded.failure))
  }
  const failure = status.decode(json)
  if (Result.isFailure(failure)) return Result.fail(undecodable(command, failure.failure))
  return Result.fail(
    new TimApiError({
      command,
      code: failure.success.ErrorCode,
      info: failure.success.ErrorInfo,
      ...(addressedBy === undefined ? {} : { addressedBy })
    })
  )
}

const undecodable = (command: string, detail: string) => new TimDecodeError({ command, detail: detail.slice(0, 300) })
