/**
 * Every answer is right: each account's answer (the first a worker saw; any later one that differed counts as
 * a contradiction, within a worker or between workers) is compared with what the emulator's store holds at the
 * end. The accounts read are never written, so the store must still hold what they were seeded with (the
 * store check says so) and every answer of the run must equal it.
 */
import { fingerprint } from "../plan.js"
import { info, n, type Row, row, type RunData } from "./data.js"

/** What the store says the answer for `key` must be. */
const expected = (data: RunData, key: string) => {
  const colon = key.indexOf(":")
  const stored = data.store[key.slice(colon + 1)]
  if (stored === undefined) return undefined
  if (stored === null) return fingerprint.unknown
  return key.startsWith("tags:") ? fingerprint.tags(stored.tags) : fingerprint.attrs(stored.attrs)
}

/** The rows. */
export const check = (data: RunData): Array<Row> => {
  let wrong = 0
  const examples: Array<string> = []
  const counts = { tags: 0, attrs: 0, unknown: 0 }
  for (const [key, answer] of data.answers) {
    const want = expected(data, key)
    if (answer === fingerprint.unknown) counts.unknown++
    else if (key.startsWith("tags:")) counts.tags++
    else counts.attrs++
    if (want === answer) continue
    wrong++
    if (examples.length < 3) examples.push(`${key} answered ${answer}, store ${want ?? "not read"}`)
  }
  const within = data.workers.reduce((sum, w) => sum + (w.samples.at(-1)?.tally.contradictionCount ?? 0), 0)
  const contradictions = within + data.crossContradictionCount
  return [
    row(
      "Every answer is right (compared with the emulator's store)",
      `${n(data.answers.size)} accounts answered (${n(counts.tags)} tag sets, ${n(counts.attrs)} attribute sets, ${
        n(counts.unknown)
      } unknown accounts): ${wrong} differ from the store; ${contradictions} later answers differed from an earlier one${
        examples.length > 0 ? `; e.g. ${examples.join("; ")}` : ""
      }`,
      wrong === 0 && contradictions === 0 && data.answers.size > 0
    ),
    ...(contradictions > 0
      ? [info(
        "Changed answers",
        [...data.crossContradictions, ...data.workers.flatMap((w) => w.samples.at(-1)?.tally.contradictions ?? [])]
          .slice(0, 3).map((c) => `${c.key}: ${c.first} then ${c.then}`).join("; ")
      )]
      : [])
  ]
}
