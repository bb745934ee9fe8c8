/**
 * The `requestLog` option: one line per REST call, handed over as the call is answered. A line holds the call's
 * stamp (ISO time), command (or the path, without its query, when no command matched), the number of accounts
 * in its body, the error code answered (`-` when no envelope was sent), the HTTP status (`dropped` when the
 * socket was destroyed) and how long the call took from its stamp to its answer, on the emulator's `Clock`:
 *
 *     2026-12-07T12:00:00.123Z get_tag accounts=3 code=0 http=200 2ms
 *
 * Never the query (it carries the UserSig) nor the body.
 */
import type { CallRecord } from "../CallLog.js"

/** The line of one call that took `durationMillis`. */
export const line = (call: CallRecord, durationMillis: number): string =>
  [
    new Date(call.at).toISOString(),
    call.command,
    `accounts=${call.accounts}`,
    `code=${call.errorCode === -1 ? "-" : call.errorCode}`,
    `http=${call.httpStatus === 0 ? "dropped" : call.httpStatus}`,
    `${Math.max(0, durationMillis)}ms`
  ].join(" ")

/** A call's recorder: writes its line, timed on the emulator's clock (`now`), to `write`. */
export const make = (write: (line: string) => void, now: () => number) => (call: CallRecord): void =>
  write(line(call, now() - call.at))
