#!/usr/bin/env node
// Runs @effect/docgen (its unmodified `docgen` bin) in the current directory, on Effect 4.1.
//
// Why: the newest @effect/docgen, 4.0.0-rc.112, was built against Effect 4.0, and pnpm resolves its
// `effect` dependency (^4.0.0-rc.112) to the workspace's effect 4.1.0. There `effect/unstable/cli/*`
// and `effect/unstable/process/*` are `effect/cli/*` and `effect/process/*`, `Flag.string/boolean/
// file/directory` and `Config.string/boolean` are `Flag.String/…` and `Config.String/Boolean`, and
// `Config.Array(schema)` takes its path itself. The bin does not start (ERR_MODULE_NOT_FOUND for
// effect/dist/unstable/cli/CliError.js). This resolve hook maps those imports, for docgen's own
// files only, to effect 4.1 or to the small adapters beside this file. Delete the adapters once a
// docgen built for Effect 4.1 is published. (docgen also insists on a `homepage` in package.json,
// which every published package has.) index.mjs, run after docgen in every package, writes the
// reference's entry point.
import * as Module from "node:module"
import { pathToFileURL } from "node:url"

const { createRequire, registerHooks } = Module
if (typeof registerHooks !== "function") {
  console.error(`scripts/docgen/run.mjs needs Node >= 22.15 (module.registerHooks); this is ${process.version}.`)
  console.error("Run it through pnpm, which puts the repository's Node 24 first on the PATH.")
  process.exit(1)
}

const require = createRequire(import.meta.url)
const docgenDir = require.resolve("@effect/docgen/package.json").replace(/package\.json$/, "")

const adapters = {
  "effect/Config": new URL("./Config.mjs", import.meta.url).href,
  "effect/unstable/cli/Flag": new URL("./Flag.mjs", import.meta.url).href
}
const moved = [["effect/unstable/cli/", "effect/cli/"], ["effect/unstable/process/", "effect/process/"]]

const isDocgenFile = (url) => typeof url === "string" && url.includes("/@effect/docgen/dist/")

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (isDocgenFile(context.parentURL)) {
      const adapter = adapters[specifier]
      if (adapter !== undefined) return { url: adapter, format: "module", shortCircuit: true }
      for (const [from, to] of moved) {
        if (specifier.startsWith(from)) return nextResolve(to + specifier.slice(from.length), context)
      }
    }
    return nextResolve(specifier, context)
  }
})

await import(pathToFileURL(`${docgenDir}dist/bin.js`).href)
