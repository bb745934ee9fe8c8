/**
 * What a lookup costs the process that makes it (see `meter.ts`), for this version and the previous
 * release (`baseline.ts`) side by side, each in a child process of its own (bundled, plain `node`, against
 * its own built packages) that runs only the client, warmed up by a lookup of 10,000 of the accounts
 * first: `getTagsMany` (the names made before the measured call) or `getTagsStream` (the names made by
 * the stream's source, the same in both versions).
 *
 * This file is both the helper and, run directly, the child: `cost.ts BASE_URL WORKLOAD COUNT PREFIX MODE`,
 * WORKLOAD `many` or `stream`, MODE `cap` (the default limiter) or `uncapped` (none).
 */
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { accountName, accountNames } from "./accounts.js"
import { baseline, baselineTag } from "./baseline.js"
import { childMain, isMain, runChild } from "./child.js"
import { type Cost, costFigures, type Counted, meter } from "./meter.js"
import { makePortableClient } from "./portable.js"
import type { Figure } from "./Scenario.js"
import { round } from "./stats.js"

/** A workload: `getTagsMany` or `getTagsStream` over `count` seeded accounts named with `prefix`. */
export interface Workload {
  readonly kind: "many" | "stream"
  readonly count: number
  readonly prefix: string
  /** With the client's default limiter (against a capped emulator) or none. */
  readonly capped: boolean
}

/** What the child reports. */
export type ChildCost = Cost & Counted

const child = async (args: ReadonlyArray<string>): Promise<ChildCost> => {
  const [baseUrl, kind, countText, prefix, mode] = args
  const count = Number(countText)
  const client = await makePortableClient(baseUrl!, mode === "cap")
  try {
    // Connections, UserSig and a warm JIT (as in a process that has been looking accounts up a while),
    // then out of both limiters' windows.
    await client.run(client.tags.getTagsMany(accountNames(prefix!, Math.min(count, 10_000))))
    await new Promise((r) => setTimeout(r, 1100))
    if (kind === "many") {
      const names = accountNames(prefix!, count)
      const m = meter()
      const results = await client.run(client.tags.getTagsMany(names))
      const cost = m.stop()
      let failed = 0
      for (const result of results.values()) if (Result.isFailure(result)) failed++
      return { ...cost, accounts: results.size, failed }
    }
    const m = meter()
    const counts = await client.run(
      client.tags.getTagsStream(Stream.range(0, count - 1).pipe(Stream.map((i) => accountName(prefix!, i)))).pipe(
        Stream.runFold(() => ({ accounts: 0, failed: 0 }), (acc, item) => {
          acc.accounts++
          if (Result.isFailure(item.result)) acc.failed++
          return acc
        })
      )
    )
    return { ...m.stop(), ...counts }
  } finally {
    await client.dispose()
  }
}

/** Runs `workload` in a child against this version's packages, or the baseline's (`root`). */
export const measure = (baseUrl: string, workload: Workload, root?: string): Promise<ChildCost> =>
  runChild<ChildCost>(
    import.meta.url,
    [baseUrl, workload.kind, String(workload.count), workload.prefix, workload.capped ? "cap" : "uncapped"],
    { compiled: true, root }
  )

/**
 * Measures `workload` with this version and then the baseline (each in its own child, `between` run
 * before each so the emulator's windows are clear); returns the figures and a note.
 */
export const compareCosts = async (
  baseUrl: string,
  what: string,
  workload: Workload,
  between: () => Promise<void> = async () => {}
): Promise<{ readonly figures: Array<Figure>; readonly note: string }> => {
  await between()
  const current = await measure(baseUrl, workload)
  const base = await baseline()
  if ("unavailable" in base) {
    return { figures: costFigures(what, current, undefined), note: `${baselineTag} not measured: ${base.unavailable}` }
  }
  await between()
  const previous = await measure(baseUrl, workload, base.root)
  const describe = (c: ChildCost) =>
    `${c.accounts} accounts (${c.failed} failed) in ${round(c.ms, 0)} ms, ${c.gcCount} GCs (${round(c.gcMillis, 0)} ms)`
  return {
    figures: costFigures(what, current, previous),
    note: `${what}: this version ${describe(current)}; ${baselineTag} ${describe(previous)}`
  }
}

if (isMain(import.meta.url)) childMain(child)
