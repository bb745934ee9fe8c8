/**
 * The rate a sliding-second limit sustained, read from the emulator's arrival times: with accepted calls
 * sorted by arrival, the k·limit-th call can never arrive less than k seconds after the first, so (accounts
 * in calls 0 … k·limit − 1) / (arrival of call k·limit − arrival of call 0) is at most limit × 100
 * accounts/s whatever the pacing, and is exactly the rate the client's limiter sustains. Only accepted
 * calls count: a refused (60007) call carried nothing, and its retry arrives later.
 */
import type { CallLog } from "@timtags/emulator"

/** Accounts per second carried by the accepted calls, and what the figure was read from. */
export const sustained = (
  calls: ReadonlyArray<CallLog.CallRecord>,
  limit: number
): { readonly perSecond: number; readonly calls: number; readonly spanMs: number } => {
  const accepted = calls.filter((c) => !c.rateLimited).sort((a, b) => a.at - b.at)
  const k = Math.floor((accepted.length - 1) / limit)
  if (k < 1) return { perSecond: Number.NaN, calls: 0, spanMs: 0 }
  const spanMs = accepted[k * limit]!.at - accepted[0]!.at
  const carried = accepted.slice(0, k * limit).reduce((sum, c) => sum + c.accounts, 0)
  return { perSecond: carried / (spanMs / 1000), calls: k * limit, spanMs }
}
