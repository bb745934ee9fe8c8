import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { assertBuilt, bundleWorker } from "../tools/edge.js"

const root = join(import.meta.dirname, "..", "..")

/**
 * Every import specifier in a package's sources (or, with `"dist"`, in its published ESM). Block
 * comments are left out: the `@example`s in doc comments import other packages (`pnpm docs` checks them).
 */
const importsOf = (pkg: string, folder: "src" | "dist" = "src"): Array<{ file: string; specifier: string }> => {
  const dir = join(root, pkg, folder)
  const ext = folder === "src" ? ".ts" : ".js"
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(ext))
  return files.flatMap((file) => {
    const text = readFileSync(join(dir, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "")
    // `from "x"`, `import "x"`, `import("x")`; not a string after a word ending in `import` or `from`
    // (`"multiaccount_import",`, `refuse("from", …)`).
    return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)["']([^"'\n]+)["']/g)].map((m) => ({
      file,
      specifier: m[1]!
    }))
  })
}

/** What a package may import: its dependencies and peer dependencies (`effect` is a peer dependency). */
const allowed = (pkg: string) => {
  const manifest = JSON.parse(readFileSync(join(root, pkg, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>
    peerDependencies?: Record<string, string>
  }
  return [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]
}

const nodeOnly = [
  "@effect/platform-node",
  "@effect/platform-node-shared",
  "undici",
  "ioredis",
  "@timtags/platform-node",
  "@timtags/emulator"
]

for (const pkg of ["core", "platform-fetch"]) {
  describe(`@timtags/${pkg} runs without Node`, () => {
    const imports = importsOf(pkg)
    it("has sources to check", () => {
      expect(imports.length).toBeGreaterThan(5)
    })
    it("imports nothing from node:* or Node built-ins", () => {
      const offending = imports.filter(({ specifier }) =>
        specifier.startsWith("node:") ||
        ["fs", "crypto", "zlib", "http", "https", "path", "os", "buffer", "stream"].includes(specifier)
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
      const offending = files.filter((f) =>
        /\b(Buffer|process|require)\s*[.(]/.test(readFileSync(join(dir, f), "utf8"))
      )
      expect(offending).toEqual([])
    })
  })
}

const isNodeBuiltin = (specifier: string) =>
  specifier.startsWith("node:") ||
  [
    "fs",
    "crypto",
    "zlib",
    "http",
    "https",
    "path",
    "os",
    "buffer",
    "stream",
    "net",
    "tls",
    "url",
    "util",
    "worker_threads"
  ]
    .includes(specifier.split("/")[0]!)

for (const pkg of ["core", "platform-fetch"]) {
  describe(`@timtags/${pkg}'s published ESM (dist/) runs without Node`, () => {
    it("imports nothing from node:*, Node built-ins or Node-only packages", () => {
      assertBuilt()
      const imports = importsOf(pkg, "dist")
      expect(imports.length).toBeGreaterThan(5)
      expect(imports.filter(({ specifier }) => isNodeBuiltin(specifier))).toEqual([])
      const deps = allowed(pkg)
      const packages = imports.map((i) => i.specifier).filter((s) => !s.startsWith("."))
        .map((s) => s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]!)
      for (const p of packages) expect(deps).toContain(p)
      expect(packages.filter((p) => nodeOnly.includes(p))).toEqual([])
    })

    it("bundles with all its dependencies for a neutral platform, with no Node built-in anywhere", async () => {
      // esbuild with platform "neutral" and no externals fails on any node:* or built-in import,
      // in this package or in any module it pulls in (effect, including effect/http, ...).
      assertBuilt()
      const bundle = await bundleWorker(join(root, pkg, "dist", "index.js"))
      expect(bundle.inputs.filter((p) => isNodeBuiltin(p))).toEqual([])
      expect(bundle.inputs.filter((p) => nodeOnly.some((n) => p.includes(`/node_modules/${n}/`)))).toEqual([])
      expect(bundle.inputs.filter((p) => p.startsWith(`packages/${pkg}/src/`))).toEqual([])
    })
  })
}
