/**
 * The log of every request that reached the emulator, with counters and the sliding-window maximum that
 * benchmarks use to prove a client never exceeded the rate limit.
 *
 * @since 0.1.0
 */

// An empty export keeps the comment above as the module's documentation for docgen (which takes the doc
// comment before a file's first statement).
export {}

/**
 * One request.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallRecord {
  /** The command name (`get_tag`, `account_import`, ...), or the request path when no command matched. */
  readonly command: string
  /** Arrival time, epoch ms from Effect's `Clock`. */
  readonly at: number
  /** The `random` query parameter, or `null` when missing or invalid. */
  readonly random: number | null
  /** How many accounts the body names (0 when the body is not a valid request). */
  readonly accounts: number
  /**
   * The answered `ErrorCode`; -1 when no JSON envelope was sent (injected HTTP status, dropped socket, a client
   * that hung up first).
   */
  readonly errorCode: number
  /**
   * The HTTP status answered; 0 when the socket was dropped, or when the call ended unanswered because the
   * client hung up first (it was counted on arrival all the same).
   */
  readonly httpStatus: number
  /** Whether the rate limit refused the call (60007) before anything else looked at it. */
  readonly rateLimited: boolean
}

/**
 * Calls in one window: all that reached the emulator, and those the rate limit let through.
 *
 * @since 0.1.0
 * @category models
 */
export interface WindowCount {
  readonly received: number
  readonly accepted: number
}

/**
 * Counters over the log.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  readonly calls: number
  readonly byCommand: Readonly<Record<string, number>>
  readonly byErrorCode: Readonly<Record<string, number>>
  /** Per command (the rate limit is per command): the most calls in any 1000 ms window. */
  readonly maxInAnySecond: Readonly<Record<string, WindowCount>>
}

/**
 * The log.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallLog {
  readonly record: (call: CallRecord) => void
  readonly calls: () => ReadonlyArray<CallRecord>
  readonly reset: () => void
  readonly stats: () => Stats
  /** The most calls (to `command`, or to any command) with arrival times inside one half-open window. */
  readonly maxInSlidingWindow: (windowMillis: number, command?: string) => WindowCount
}

/**
 * The most timestamps inside any half-open window `[t, t + windowMillis)`.
 *
 * @since 0.1.0
 * @category utils
 */
export const maxInWindow = (times: ReadonlyArray<number>, windowMillis: number): number => {
  const sorted = [...times].sort((a, b) => a - b)
  let max = 0
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMillis) start++
    max = Math.max(max, end - start + 1)
  }
  return max
}

const windowCount = (calls: ReadonlyArray<CallRecord>, windowMillis: number): WindowCount => ({
  received: maxInWindow(calls.map((c) => c.at), windowMillis),
  accepted: maxInWindow(calls.filter((c) => !c.rateLimited).map((c) => c.at), windowMillis)
})

const countBy = (calls: ReadonlyArray<CallRecord>, key: (call: CallRecord) => string) => {
  const counts: Record<string, number> = {}
  for (const call of calls) counts[key(call)] = (counts[key(call)] ?? 0) + 1
  return counts
}

/**
 * Makes an empty log.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): CallLog => {
  let log: Array<CallRecord> = []
  const ofCommand = (command: string) => log.filter((c) => c.command === command)
  return {
    record: (call) => {
      log.push(call)
    },
    calls: () => log.slice(),
    reset: () => {
      log = []
    },
    stats: () => {
      const byCommand = countBy(log, (c) => c.command)
      return {
        calls: log.length,
        byCommand,
        byErrorCode: countBy(log, (c) => String(c.errorCode)),
        maxInAnySecond: Object.fromEntries(
          Object.keys(byCommand).map((command) => [command, windowCount(ofCommand(command), 1000)])
        )
      }
    },
    maxInSlidingWindow: (windowMillis, command) =>
      windowCount(command === undefined ? log : ofCommand(command), windowMillis)
  }
}
