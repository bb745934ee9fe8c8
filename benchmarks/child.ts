/**
 * Runs part of a scenario in a fresh Node process, so that its memory and CPU are measured on their own.
 * The child module calls `childMain`, which prints its result as one JSON line after a marker; `runChild`
 * parses it.
 *
 * By default the child runs under the same loader as this process (tsx, `--conditions=@timtags/source`).
 * With `compiled: true` the module is first bundled by esbuild (its own imports inlined, packages left
 * external, so `@timtags/*` resolve to their built `dist/`) into `benchmarks/.tmp/` and run by plain
 * `node`: no TypeScript loader thread inflates what is measured. With `root` as well (another checkout of
 * the repository, built, such as the previous release from `baseline.ts`), the bundle is written under that
 * checkout's `benchmarks/.tmp/`, so its packages are the ones measured.
 */
import { spawn } from "node:child_process"
import { mkdirSync } from "node:fs"
import { basename, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const marker = "@@bench-result "

/** Whether the module at `importMetaUrl` is the process's entry point. */
export const isMain = (importMetaUrl: string): boolean =>
  process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === importMetaUrl

/** Entry of a child: runs `main` with the arguments after the script and prints its JSON result. */
export const childMain = (main: (args: ReadonlyArray<string>) => Promise<unknown>): void => {
  main(process.argv.slice(2)).then(
    (result) => {
      process.stdout.write(`${marker}${JSON.stringify(result)}\n`)
      process.exit(0)
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
      process.exit(1)
    }
  )
}

/**
 * Bundles a TypeScript module into `<outDir>/<name>.mjs` (default `benchmarks/.tmp/`) and returns that path. Its
 * packages resolve from `outDir`: put it in the folder of a package that depends on them.
 */
export const compile = async (moduleUrl: string, outDir?: string): Promise<string> => {
  const dir = outDir === undefined
    ? fileURLToPath(new URL("./.tmp/", import.meta.url))
    : `${outDir.replace(/\/$/, "")}/`
  mkdirSync(dir, { recursive: true })
  const outfile = `${dir}${basename(fileURLToPath(moduleUrl)).replace(/\.ts$/, "")}.mjs`
  const { build } = await import("esbuild")
  await build({
    entryPoints: [fileURLToPath(moduleUrl)],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node22",
    logLevel: "warning"
  })
  return outfile
}

export interface ChildOptions {
  /** Bundle the module and run it with plain `node` (needs the workspace packages built). */
  readonly compiled?: boolean
  /** Extra Node flags. */
  readonly nodeFlags?: ReadonlyArray<string>
  /** With `compiled`: the checkout whose built packages the child imports (default this one). */
  readonly root?: string | undefined
}

/** Runs the module at `moduleUrl` in a child Node process and resolves with what its `childMain` returned. */
export const runChild = async <A>(
  moduleUrl: string,
  args: ReadonlyArray<string> = [],
  options: ChildOptions = {}
): Promise<A> => {
  const script = options.compiled === true
    ? await compile(moduleUrl, options.root === undefined ? undefined : join(options.root, "benchmarks/.tmp"))
    : fileURLToPath(moduleUrl)
  const flags = [...(options.compiled === true ? [] : process.execArgv), ...(options.nodeFlags ?? [])]
  return new Promise<A>((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, script, ...args], { stdio: ["ignore", "pipe", "inherit"] })
    // Lines other than the result are passed through (progress, diagnostics).
    let pending = ""
    let result: string | undefined
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (pending + chunk).split("\n")
      pending = lines.pop()!
      for (const line of lines) {
        if (line.startsWith(marker)) result = line.slice(marker.length)
        else process.stdout.write(`  [child] ${line}\n`)
      }
    })
    child.once("error", reject)
    child.once("close", (code) => {
      if (code === 0 && result !== undefined) resolve(JSON.parse(result) as A)
      else reject(new Error(`child ${script} exited with code ${code}`))
    })
  })
}
