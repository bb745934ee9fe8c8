/**
 * `pnpm bench [name ...]`: runs every scenario of `scenarios/index.ts` (or those named), one after the
 * other, prints a table and writes `results/latest.json`. Not part of the test suite.
 */
import { machine } from "./machine.js"
import { consoleTable, latestPath, type ScenarioEntry, writeResults } from "./report.js"
import { scenarios } from "./scenarios/index.js"

const names = process.argv.slice(2).filter((a) => a !== "--")
const unknown = names.filter((n) => !scenarios.some((s) => s.name === n))
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(", ")}; known: ${scenarios.map((s) => s.name).join(", ")}`)
  process.exit(2)
}
const selected = names.length === 0 ? scenarios : scenarios.filter((s) => names.includes(s.name))

const host = machine()
console.log(
  `timtags benchmarks at ${host.revision} on ${host.cpuModel} (${host.cores} cores, ${host.memoryGiB} GiB), Node ${host.node}, load average ${host.loadAverage}\n`
)

const entries: Array<ScenarioEntry> = []
for (const scenario of selected) {
  console.log(`> ${scenario.name}: ${scenario.description}`)
  const ranAt = new Date().toISOString()
  const start = performance.now()
  try {
    const result = await scenario.run()
    const wallSeconds = Math.round((performance.now() - start) / 100) / 10
    entries.push({ name: scenario.name, description: scenario.description, ranAt, wallSeconds, ...result })
    console.log(`  done in ${wallSeconds} s${result.notes === undefined ? "" : `\n  note: ${result.notes}`}\n`)
  } catch (error) {
    const wallSeconds = Math.round((performance.now() - start) / 100) / 10
    const message = error instanceof Error ? error.stack ?? error.message : String(error)
    entries.push({ name: scenario.name, description: scenario.description, ranAt, wallSeconds, error: message })
    console.log(`  FAILED after ${wallSeconds} s: ${message}\n`)
  }
}

console.log(consoleTable(entries))
writeResults(host, entries, scenarios.map((s) => s.name))
console.log(`\nwrote ${latestPath}`)
process.exit(entries.some((e) => e.error !== undefined) ? 1 : 0)
