/**
 * Summarises a V8 heap snapshot (`v8.writeHeapSnapshot()`, `node --heapsnapshot-signal`, DevTools): self
 * size by node type (code, strings, closures, arrays, …) and by constructor or name, largest first, as in
 * DevTools' "Summary" view without retainers. `tsx benchmarks/tools/heap-summary.ts FILE [TOP]`.
 *
 * Not a scenario: a tool for reading where a process's heap goes (see the README's memory notes).
 */
import { readFileSync } from "node:fs"

interface Snapshot {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: ReadonlyArray<string>
      readonly node_types: ReadonlyArray<ReadonlyArray<string> | string>
    }
  }
  readonly nodes: ReadonlyArray<number>
  readonly strings: ReadonlyArray<string>
}

/** Self sizes summed by type and by `type: name` (constructor for objects, a prefix for strings and code). */
export const summarise = (snapshot: Snapshot) => {
  const fields = snapshot.snapshot.meta.node_fields
  const types = snapshot.snapshot.meta.node_types[0] as ReadonlyArray<string>
  const width = fields.length
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f))
  const byType = new Map<string, { bytes: number; count: number }>()
  const byName = new Map<string, { bytes: number; count: number }>()
  const add = (map: typeof byType, key: string, bytes: number) => {
    const entry = map.get(key) ?? { bytes: 0, count: 0 }
    entry.bytes += bytes
    entry.count++
    map.set(key, entry)
  }
  let total = 0
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt!]!]!
    const name = snapshot.strings[snapshot.nodes[i + nameAt!]!]!
    const bytes = snapshot.nodes[i + sizeAt!]!
    total += bytes
    add(byType, type, bytes)
    const key = type === "string" || type === "concatenated string" || type === "sliced string"
      ? `${type}`
      : type === "code"
      ? `code: ${name.replace(/ for .*$/, "").slice(0, 40)}`
      : `${type}: ${name.slice(0, 60)}`
    add(byName, key, bytes)
  }
  const sorted = (map: typeof byType) => [...map].sort((a, b) => b[1].bytes - a[1].bytes)
  return { total, byType: sorted(byType), byName: sorted(byName) }
}

const main = () => {
  const [file, top = "30"] = process.argv.slice(2)
  if (file === undefined) throw new Error("usage: heap-summary.ts FILE.heapsnapshot [TOP]")
  const { byName, byType, total } = summarise(JSON.parse(readFileSync(file, "utf8")) as Snapshot)
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(2).padStart(8)} MiB`
  console.log(`total self size ${mb(total)}\n\nby type:`)
  for (const [type, { bytes, count }] of byType) console.log(`${mb(bytes)}  ${String(count).padStart(8)}  ${type}`)
  console.log(`\nlargest ${top} by constructor / name:`)
  for (const [name, { bytes, count }] of byName.slice(0, Number(top))) {
    console.log(`${mb(bytes)}  ${String(count).padStart(8)}  ${name}`)
  }
}

main()
