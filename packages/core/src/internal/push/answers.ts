/** The answers of `push` and `batch`: the envelope and the `TaskId` of the accepted task. */
import * as Envelope from "../../Envelope.js"
import * as Read from "../decode.js"

/** An accepted push's answer. */
export interface TaskAnswer extends Envelope.Envelope {
  readonly TaskId: string
}

/** Accounts in one `batch` task, and so in its `ErrorList`. */
const maxBatchAccounts = 500

/** `push`: `TaskId` (absent or empty on a failed call, which the envelope's code decides). */
export const push: Envelope.Decoder<TaskAnswer> = Envelope.handWritten((fields) => ({
  ...Envelope.readEnvelope(fields),
  TaskId: Read.optional(fields, "TaskId", "", Read.string, "")
}))

/** `batch`: `TaskId`, and `ErrorList` entries (70107) for up to 500 accounts. */
export const batch: Envelope.Decoder<TaskAnswer> = Envelope.handWritten((fields) => ({
  ...Envelope.readEnvelope(fields, maxBatchAccounts),
  TaskId: Read.optional(fields, "TaskId", "", Read.string, "")
}))
