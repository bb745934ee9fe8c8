/**
 * Every requested account gets exactly one outcome: each many-account call's map holds one outcome per distinct
 * account requested and no other; every request (those calls, and each single `getTags`) ends; every worker that
 * was not killed reports. A killed worker's requests in flight die with it: its counts stop at its last sample,
 * and its replacement redoes its write round.
 */
import { info, lastTally, n, type Row, row, type RunData, survivors } from "./data.js"

/** The rows. */
export const check = (data: RunData): Array<Row> => {
  let calls = 0
  let requested = 0
  let missing = 0
  let extra = 0
  let issued = 0
  for (const w of data.workers) {
    const tally = lastTally(w)
    if (tally === undefined) continue
    issued += tally.requests.issued
    for (const op of Object.values(tally.many)) {
      calls += op.calls
      requested += op.requested
      missing += op.missing
      extra += op.extra
    }
  }
  const last = survivors(data.workers)
  const pending = last.reduce((sum, w) => sum + (w.report?.pending ?? 0), 0)
  const silent = last.filter((w) => w.report === undefined)
  const crashed = data.workers.filter((w) => w.exit !== undefined && !w.exit.killed && w.exit.code !== 0)
  const killed = data.workers.filter((w) => w.exit?.killed === true)
  const killedNote = killed.map((w) => {
    const tally = lastTally(w)
    const lost = tally === undefined ? "?" : n(tally.requests.issued - tally.requests.resolved)
    return `worker ${w.slot} killed in round ${w.lastRoundStarted} (${lost} requests in flight at its last sample)`
  })
  return [
    row(
      "Every requested account gets exactly one outcome",
      `${n(requested)} accounts in ${n(calls)} many-account calls, ${
        n(issued - calls)
      } single lookups: ${missing} without an outcome, ${extra} extra; ${pending} requests never ended`,
      missing === 0 && extra === 0 && pending === 0 && silent.length === 0
    ),
    row(
      "Workers",
      `${last.length - silent.length} of ${last.length} reported${
        silent.length > 0 ? ` (no report: ${silent.map((w) => w.slot).join(", ")})` : ""
      }${crashed.length > 0 ? `; crashed: ${crashed.map((w) => w.slot).join(", ")}` : ""}${
        killedNote.length > 0 ? `; ${killedNote.join("; ")}` : ""
      }`,
      silent.length === 0 && crashed.length === 0
    ),
    info(
      "Failed outcomes (after the client's retries)",
      failures(data) || "none"
    )
  ]
}

/** Failed outcomes of every process, by operation, tag and reason. */
const failures = (data: RunData) => {
  const totals: Record<string, number> = {}
  for (const w of data.workers) {
    for (const [key, count] of Object.entries(lastTally(w)?.failed ?? {})) totals[key] = (totals[key] ?? 0) + count
  }
  return Object.entries(totals).sort((a, b) => b[1] - a[1]).map(([key, count]) => `${key} × ${n(count)}`).join("; ")
}
