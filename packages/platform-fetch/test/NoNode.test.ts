import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

const root = join(import.meta.dirname, "..", "..")

/** Every import specifier in a package's sources. */
const importsOf = (pkg: string): Array<{ file: string; specifier: string }> => {
  const dir = join(root, pkg, "src")
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"))
  return files.flatMap((file) => {
    const text = readFileSync(join(dir, file), "utf8")
    return [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => ({ file, specifier: m[1]! }))
  })
}

const allowed = (pkg: string) => {
  const manifest = JSON.parse(readFileSync(join(root, pkg, "package.json"), "utf8")) as { dependencies: Record<string, string> }
  return Object.keys(manifest.dependencies)
}

const nodeOnly = ["@effect/platform-node", "undici", "ioredis", "@timtags/platform-node", "@timtags/emulator"]

for (const pkg of ["core", "platform-fetch"]) {
  describe(`@timtags/${pkg} runs without Node`, () => {
    const imports = importsOf(pkg)
    it("has sources to check", () => {
      expect(imports.length).toBeGreaterThan(5)
    })
    it("imports nothing from node:* or Node built-ins", () => {
      const offending = imports.filter(({ specifier }) =>
        specifier.startsWith("node:") || ["fs", "crypto", "zlib", "http", "https", "path", "os", "buffer", "stream"].includes(specifier)
      )
      expect(offending).toEqual([])
    })
    it("imports only its declared, runtime-neutral dependencies", () => {
      const deps = allowed(pkg)
      const bare = imports.map((i) => i.specifier).filter((s) => !s.startsWith("."))
      const packages = bare.map((s) => s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]!)
      for (const p of packages) expect(deps).toContain(p)
      expect(packages.filter((p) => nodeOnly.includes(p))).toEqual([])
    })
    it("uses no Node globals (Buffer, process, require)", () => {
      const dir = join(root, pkg, "src")
      const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"))
      const offending = files.filter((f) => /\b(Buffer|process|require)\s*[.(]/.test(readFileSync(join(dir, f), "utf8")))
      expect(offending).toEqual([])
    })
  })
}
