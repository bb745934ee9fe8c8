/**
 * Node-side helpers for the edge-runtime tests, the worker benchmark and `pnpm worker`: where the
 * Deno and Bun binaries are (from this package's node_modules, never from PATH), how to run a script
 * inside them, and how to bundle a module worker with esbuild and serve it with Miniflare (workerd).
 */
import { build, type Metafile } from "esbuild"
import { Miniflare, type MiniflareOptions } from "miniflare"
import { execFile } from "node:child_process"
import { existsSync } from "node:fs"
import { join, relative } from "node:path"

/** This package's folder. */
export const packageDir = join(import.meta.dirname, "..")

/** The repository root. */
export const repoDir = join(packageDir, "..", "..")

/** The scripts that run inside the runtimes. */
export const runtimeTestsDir = join(packageDir, "runtime-tests")

/** The compatibility date the workers run with; no compatibility flags, so no `nodejs_compat`. */
export const compatibilityDate = "2026-01-01"

/** The installed binary of an npm-shipped runtime (`deno`, `bun`). */
export const runtimeBinary = (name: "deno" | "bun"): string => {
  const path = join(packageDir, "node_modules", ".bin", name)
  if (!existsSync(path)) {
    throw new Error(`${name} is not installed at ${path}: run \`npx -y pnpm@10.34.9 install\` in the repository root`)
  }
  return path
}

/** Fails unless the published ESM (`dist/`) of core and platform-fetch has been built. */
export const assertBuilt = (): void => {
  for (const pkg of ["core", "platform-fetch"]) {
    const entry = join(repoDir, "packages", pkg, "dist", "index.js")
    if (!existsSync(entry)) {
      throw new Error(`${entry} is missing: run \`npx -y pnpm@10.34.9 build\` (\`pnpm test\` builds first)`)
    }
  }
}

/** Environment for runtime processes: no update checks, no telemetry, no prompts. */
const runtimeEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  DENO_NO_UPDATE_CHECK: "1",
  DENO_NO_PROMPT: "1",
  NO_COLOR: "1",
  DO_NOT_TRACK: "1",
  BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0"
})

/** The command line that runs a script of `runtime-tests/` in Deno or Bun with its arguments. */
export const runtimeCommand = (runtime: "deno" | "bun", script: string, args: ReadonlyArray<string>) =>
  runtime === "deno"
    // Only loopback network; no env, read, write or run permission. package.json + node_modules
    // make Deno resolve `@timtags/*` through node_modules to the packages' `default` export (dist/).
    ? {
      file: runtimeBinary("deno"),
      args: ["run", "--no-prompt", "--no-lock", "--allow-net=127.0.0.1", script, ...args]
    }
    : { file: runtimeBinary("bun"), args: ["run", "--no-install", script, ...args] }

/**
 * Runs a script of `runtime-tests/` inside Deno or Bun and parses the last line it prints as JSON.
 * Fails with the runtime's stderr when the process fails or prints no JSON.
 */
export const runInRuntime = (
  runtime: "deno" | "bun",
  script: string,
  args: ReadonlyArray<string>,
  options: { readonly timeoutMillis?: number } = {}
): Promise<unknown> => {
  const { args: argv, file } = runtimeCommand(runtime, script, args)
  return new Promise((resolve, reject) => {
    execFile(
      file,
      argv,
      {
        cwd: runtimeTestsDir,
        env: runtimeEnv(),
        timeout: options.timeoutMillis ?? 60_000,
        maxBuffer: 16 * 1024 * 1024
      },
      (error, stdout, stderr) => {
        const last = stdout.trim().split("\n").at(-1) ?? ""
        if (error !== null) {
          reject(new Error(`${runtime} ${script} failed: ${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`))
          return
        }
        try {
          resolve(JSON.parse(last))
        } catch {
          reject(new Error(`${runtime} ${script} printed no JSON\nstdout: ${stdout}\nstderr: ${stderr}`))
        }
      }
    )
  })
}

/** The version line of a runtime binary. */
export const runtimeVersion = (runtime: "deno" | "bun"): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(runtimeBinary(runtime), ["--version"], { env: runtimeEnv(), timeout: 30_000 }, (error, stdout) => {
      if (error !== null) reject(error)
      else resolve(stdout.trim().split("\n")[0]!)
    })
  })

/** A bundled worker: its code and esbuild's metafile (every input file, with paths relative to the repo). */
export interface WorkerBundle {
  readonly code: string
  readonly bytes: number
  readonly metafile: Metafile
  /** Input files, relative to the repository root. */
  readonly inputs: ReadonlyArray<string>
  /** The external source map (`sourceMap: true`; the code carries no link to it). */
  readonly sourceMap?: string | undefined
}

/**
 * Bundles a module worker the way Wrangler does (ESM, `workerd`/`worker`/`browser` conditions, so
 * workspace packages resolve to their published `dist/`, not to their TypeScript sources). Node
 * built-ins are not external: importing one fails the build.
 */
export const bundleWorker = async (
  entry: string,
  options: { readonly minify?: boolean; readonly sourceMap?: boolean } = {}
): Promise<WorkerBundle> => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    minify: options.minify ?? false,
    write: false,
    metafile: true,
    logLevel: "silent",
    absWorkingDir: repoDir,
    ...(options.sourceMap === true ? { sourcemap: "external", outfile: "worker.js" } : {})
  })
  const output = result.outputFiles.find((file) => !file.path.endsWith(".map"))!
  return {
    code: output.text,
    bytes: output.contents.byteLength,
    metafile: result.metafile,
    inputs: Object.keys(result.metafile.inputs).map((p) => relative(repoDir, join(repoDir, p))),
    sourceMap: result.outputFiles.find((file) => file.path.endsWith(".map"))?.text
  }
}

/** Options of `startWorker`. */
export interface StartWorkerOptions {
  /** String bindings (`env.NAME`). */
  readonly bindings?: Record<string, string>
  /** Serve on this port too (`mf.ready` gives the URL); default: only `dispatchFetch`. */
  readonly port?: number
  readonly host?: string
}

/** Runs a bundled module worker in workerd (through Miniflare), without `nodejs_compat`. */
export const startWorker = async (code: string, options: StartWorkerOptions = {}): Promise<Miniflare> => {
  const config: MiniflareOptions = {
    modules: [{ type: "ESModule", path: "worker.js", contents: code }],
    compatibilityDate,
    compatibilityFlags: [],
    bindings: options.bindings ?? {},
    ...(options.port === undefined ? {} : { port: options.port, host: options.host ?? "127.0.0.1" })
  }
  const mf = new Miniflare(config)
  await mf.ready
  return mf
}
