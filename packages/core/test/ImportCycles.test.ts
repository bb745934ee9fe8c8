import { describe, expect, it } from "@effect/vitest"
import { readdir, readFile } from "node:fs/promises"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const src = resolve(dirname(fileURLToPath(import.meta.url)), "..", "src")

/** Every `.ts` file under `dir`. */
const sources = async (dir: string): Promise<Array<string>> =>
  (await readdir(dir, { recursive: true })).filter((file) => file.endsWith(".ts")).map((file) => join(dir, file))

/** A static `import`/`export … from` of a relative module, type-only ones included (madge counts them too). */
const relativeImport = /^\s*(?:import|export)\s[^;]*?from\s+"(\.{1,2}\/[^"]+)\.js"/gm

/** Each module of core's `src`, with the modules it imports. */
const graph = async (): Promise<Map<string, ReadonlyArray<string>>> => {
  const edges = new Map<string, ReadonlyArray<string>>()
  for (const file of await sources(src)) {
    const text = await readFile(file, "utf8")
    const targets = [...text.matchAll(relativeImport)].map((match) =>
      relative(src, resolve(dirname(file), `${match[1]}.ts`))
    )
    edges.set(relative(src, file), targets)
  }
  return edges
}

/** Every cycle found by a depth-first walk, each as the path that closes it. */
const cycles = (edges: Map<string, ReadonlyArray<string>>): Array<string> => {
  const found: Array<string> = []
  const done = new Set<string>()
  const walk = (module: string, path: Array<string>) => {
    const at = path.indexOf(module)
    if (at >= 0) return void found.push([...path.slice(at), module].join(" → "))
    if (done.has(module)) return
    for (const next of edges.get(module) ?? []) walk(next, [...path, module])
    done.add(module)
  }
  for (const module of edges.keys()) walk(module, [])
  return found
}

describe("@timtags/core's modules", () => {
  it("import one another without a circle (type-only imports included)", async () => {
    const edges = await graph()
    // The scan sees the modules and their imports (it would pass vacuously otherwise).
    expect(edges.get("TimError.ts")).toEqual(expect.arrayContaining(["ErrorCode.ts", "Reason.ts"]))
    expect(edges.get("ErrorCode.ts")).toEqual(["Reason.ts"])
    expect(edges.size).toBeGreaterThan(30)
    expect(cycles(edges)).toEqual([])
  })
})
