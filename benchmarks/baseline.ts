/**
 * The previous release, built, to measure beside this one in the same run: a checkout of tag `v0.2.0`
 * (`git archive`, so no worktree is registered), installed and built once and reused from then on. It
 * lives in `$TIMTAGS_BENCH_BASELINE` if set (e.g. a worktree made with `git worktree add ../v0.2.0 v0.2.0`,
 * installed and built), else in the system's temporary directory, named after the tag's commit. Scenarios
 * run children in it with `runChild(..., { root })`: their `@timtags/*` imports resolve to its `dist/`.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/** The release measured beside this one. */
export const baselineTag = "v0.2.0"

/** A built checkout, or why there is none. */
export type Baseline = { readonly root: string } | { readonly unavailable: string }

const repository = dirname(dirname(fileURLToPath(import.meta.url)))
const pnpm = ["-y", "pnpm@10.34.9"]

const run = (command: string, args: ReadonlyArray<string>, cwd: string): void => {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-5).join("\n")
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${output}`)
  }
}

let prepared: Promise<Baseline> | undefined

/** Prepares the baseline once per process (a minute or two the first time, then instant). */
export const baseline = (): Promise<Baseline> => prepared ??= Promise.resolve().then(prepare)

const prepare = (): Baseline => {
  try {
    const given = process.env["TIMTAGS_BENCH_BASELINE"]
    if (given !== undefined && given !== "") {
      if (!existsSync(join(given, "packages/core/dist/index.js"))) {
        return { unavailable: `TIMTAGS_BENCH_BASELINE=${given} has no built packages/core/dist` }
      }
      return { root: given }
    }
    const commit = execFileSync("git", ["rev-parse", `${baselineTag}^{commit}`], {
      cwd: repository,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"]
    }).trim()
    const root = join(tmpdir(), `timtags-bench-${baselineTag}-${commit.slice(0, 12)}`)
    const ready = join(root, ".bench-ready")
    if (existsSync(ready)) return { root }
    console.log(`  preparing ${baselineTag} (${commit.slice(0, 12)}) in ${root}: archive, install, build`)
    rmSync(root, { recursive: true, force: true })
    mkdirSync(root, { recursive: true })
    run("sh", ["-c", `git archive --format=tar ${commit} | tar -x -C '${root}'`], repository)
    run("npx", [...pnpm, "install", "--frozen-lockfile"], root)
    run("npx", [...pnpm, "run", "build"], root)
    writeFileSync(ready, `${commit}\n`)
    return { root }
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message.split("\n")[0]! : String(error) }
  }
}
