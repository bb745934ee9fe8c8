/**
 * Faults the emulator answers some calls with, for the scenarios and the soak: the fast ones (an HTML 502
 * page, 91000, a dropped connection), and the chances that spread queued faults evenly over all calls.
 */

/** Faults that end a call at once. */
export const fast = [
  {
    name: "HTML 502",
    fault: { _tag: "HttpStatus", status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" }
  },
  { name: "91000", fault: { _tag: "ErrorCode", code: 91000, info: "server busy" } },
  { name: "connection reset", fault: { _tag: "Drop" } }
] as const

/**
 * The chance each of `count` queued faults is given with, so that each falls on `rate / count` of all calls: a
 * call spared by one fault goes on to the next, so the k-th (from 0) is given with `share / (1 - k × share)`.
 */
export const chances = (rate: number, count: number): Array<number> =>
  Array.from({ length: count }, (_, k) => (rate / count) / (1 - k * (rate / count)))
