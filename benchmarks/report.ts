/** The results table (console and Markdown) and `results/latest.json`. */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { Machine } from "./machine.js"
import type { Figure, ScenarioResult } from "./Scenario.js"

/** One scenario's entry in the results file. */
export interface ScenarioEntry extends Partial<ScenarioResult> {
  readonly name: string
  readonly description: string
  readonly ranAt: string
  readonly wallSeconds: number
  /** Set when the scenario threw instead of producing figures. */
  readonly error?: string
}

/** The results file. */
export interface Results {
  readonly machine: Machine
  readonly scenarios: ReadonlyArray<ScenarioEntry>
}

export const latestPath = fileURLToPath(new URL("./results/latest.json", import.meta.url))

const formatNumber = (value: number): string =>
  !Number.isFinite(value)
    ? String(value)
    : Math.abs(value) >= 1000 || Number.isInteger(value)
    ? Math.round(value).toLocaleString("en-US")
    : Math.abs(value) >= 10
    ? value.toFixed(1)
    : value.toFixed(2)

export const formatValue = (figure: Figure): string =>
  figure.unit === "" ? formatNumber(figure.value) : `${formatNumber(figure.value)} ${figure.unit}`

const met = (figure: Figure): string => (figure.met === undefined ? "" : figure.met ? "yes" : "NO")

const rows = (entries: ReadonlyArray<ScenarioEntry>): Array<[string, string, string, string, string]> =>
  entries.flatMap((entry) =>
    entry.error !== undefined
      ? [[entry.name, "error", entry.error.split("\n")[0]!.slice(0, 80), "", "NO"]]
      : (entry.figures ?? []).map((f): [string, string, string, string, string] => [
        entry.name,
        f.label,
        formatValue(f),
        f.target ?? "",
        met(f)
      ])
  )

const header = ["scenario", "figure", "value", "target", "met"] as const

/** A plain-text table for the console. */
export const consoleTable = (entries: ReadonlyArray<ScenarioEntry>): string => {
  const all = [[...header], ...rows(entries)]
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)))
  const line = (r: ReadonlyArray<string>) => r.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd()
  return [line(all[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)].join("\n")
}

/** A Markdown table (for the README). */
export const markdownTable = (entries: ReadonlyArray<ScenarioEntry>): string =>
  [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows(entries).map((r) => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`)
  ].join("\n")

/** Reads the results file, if any. */
export const readResults = (): Results | undefined =>
  existsSync(latestPath) ? (JSON.parse(readFileSync(latestPath, "utf8")) as Results) : undefined

/**
 * Writes the results file. Entries of scenarios not run this time (a filtered run) are kept from the
 * previous file; `order` is the registry's order.
 */
export const writeResults = (
  machine: Machine,
  entries: ReadonlyArray<ScenarioEntry>,
  order: ReadonlyArray<string>
): Results => {
  const byName = new Map((readResults()?.scenarios ?? []).map((e) => [e.name, e] as const))
  for (const entry of entries) byName.set(entry.name, entry)
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length)
  const results: Results = {
    machine,
    scenarios: [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name))
  }
  writeFileSync(`${latestPath}.tmp`, `${JSON.stringify(results, null, 2)}\n`)
  renameSync(`${latestPath}.tmp`, latestPath)
  return results
}
