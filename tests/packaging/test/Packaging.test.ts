/**
 * The published packages in a fresh application: every publishable package under `packages/` is packed
 * with pnpm (which turns `workspace:^` into the real version), the tarballs are installed with npm into a
 * new app in a temporary directory outside the repository, next to the versions of `effect` and
 * `@effect/platform-node` that the packages' peer ranges allow (`effect@~4.1.0`: the newest 4.1, whatever has
 * been published since), and then:
 *
 * - the tarballs hold their entry points, `README.md` and `LICENSE`, and nothing but compiled output and its
 *   maps in `dist/` (no `.tsbuildinfo`), the sources in `src/` that the maps point at, and `bin/` for a package
 *   with a command; no `workspace:` range is left; each manifest names the repository, homepage and issues;
 * - every link of every packed README resolves (`support/readmeLinks.ts`): into the tarball, to a file of this
 *   repository, to a heading, or to a packed package's npm page;
 * - every tarball passes publint (`--strict`, and not even a suggestion) and arethetypeswrong (`--profile
 *   esm-only`, on every subpath an application can import); their output is the failure message;
 * - the app has exactly one copy of `effect` (`npm ls effect --all --json` and a walk over `node_modules`),
 *   and one of each `@timtags/*` and `@effect/platform-node`;
 * - every package imports in the app, and the app's programs type-check with the app's own TypeScript
 *   against the published declarations; so does every program of every packed README (a ```ts block right
 *   after a `<!-- program -->` comment; each README must have one);
 * - the README's "Use it in an Effect application" program (`app/*.mjs`) gets the seeded tags from the
 *   emulator, in-process (`Emulator.layer`) and as the `timtags-emulator` command, and an unknown account
 *   fails with `TimAccountError` 70107;
 * - the installed `timtags` bin runs each of its commands (`support/timtagsSession.ts`) against a
 *   `timtags-emulator` started on its own from the app's `node_modules/.bin`.
 *
 * Needs the packages' `dist/` (built by `pnpm test` before vitest runs) and the npm registry.
 * Set `TIMTAGS_PACKAGING_KEEP=1` to keep the temporary directories for a look after a failure.
 * `TIMTAGS_PACKAGING_PEERS=latest` installs the peers' `latest` instead, even outside the ranges: that is the
 * canary (`pnpm canary`, `scripts/canary.mjs`), not part of `pnpm test`.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { copyFile, mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { delimiter, dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import {
  allowedFile,
  entryPoints,
  mapSources,
  type Program,
  programMarker,
  readmePrograms
} from "./support/packageFiles.js"
import { brokenLinks, type Files, repository } from "./support/readmeLinks.js"
import * as session from "./support/timtagsSession.js"

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, "../../..")
const appSources = join(here, "..", "app")
const rootManifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  readonly packageManager: string
  readonly devDependencies: Record<string, string>
}
const pnpm = rootManifest.packageManager // "pnpm@10.34.9"
const keep = process.env["TIMTAGS_PACKAGING_KEEP"] === "1"

// -------------------------------------------------------------------------------------------------
// Processes

interface Ran {
  readonly command: string
  readonly cwd: string
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly timedOut: boolean
}

const tail = (text: string, max = 12_000) => (text.length > max ? `…${text.slice(-max)}` : text)

const explain = (ran: Ran, what: string) =>
  [
    `${what}: \`${ran.command}\` in ${ran.cwd} ${
      ran.timedOut ? "timed out" : ran.signal ? `was killed by ${ran.signal}` : `exited with code ${ran.code}`
    }`,
    `--- stdout ---\n${tail(ran.stdout) || "(empty)"}`,
    `--- stderr ---\n${tail(ran.stderr) || "(empty)"}`
  ].join("\n")

/**
 * The environment of every child process: this Node first on the PATH (npm, npx and `#!/usr/bin/env node`
 * scripts run on it), and none of the settings the repo's own tooling leaves behind: under `pnpm test` the
 * environment has `npm_config_*` pointing into the repo (`local_prefix`, `prefix`, `globalconfig`),
 * `NODE_PATH=<repo>/…` (a CommonJS `require` could find the workspace's packages) and `npm_package_*`;
 * `NODE_OPTIONS` could carry `--conditions=@timtags/source`; `TIM_*` would point the programs elsewhere.
 * Registry, cache, proxy and CA settings are kept.
 */
const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const keepNpm = /^npm_config_(registry|cache|userconfig|proxy|https_proxy|noproxy|strict_ssl|cafile)$/i
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_/i.test(name) && !keepNpm.test(name)) continue
    if (/^(NODE_PATH|NODE_OPTIONS|NODE|INIT_CWD|NODE_ENV|TIM_.*|VITEST.*)$/.test(name)) continue
    env[name] = value
  }
  env["PATH"] = [dirname(process.execPath), process.env["PATH"] ?? ""].join(delimiter)
  return { ...env, ...extra }
}

const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly timeout: number; readonly env?: Record<string, string> }
): Promise<Ran> =>
  new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: childEnv(options.env),
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    let timedOut = false
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      timedOut = true
      child.kill("SIGKILL")
    }, options.timeout)
    const done = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      clearTimeout(timer)
      resolvePromise({
        command: [command, ...args].join(" "),
        cwd: options.cwd,
        code,
        signal,
        stdout,
        stderr: error ? `${stderr}\n${error.message}` : stderr,
        timedOut
      })
    }
    child.on("error", (error) => done(null, null, error))
    child.on("close", (code, signal) => done(code, signal))
  })

/** Runs a command that must succeed; a failure throws with its output. */
const mustRun = async (
  what: string,
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly timeout: number; readonly env?: Record<string, string> }
): Promise<Ran> => {
  const ran = await run(command, args, options)
  if (ran.code !== 0) throw new Error(explain(ran, what))
  return ran
}

/** Runs a program that prints one JSON line, and parses it (a failure throws with its stderr). */
const runJson = async (what: string, program: string, cwd: string, env: Record<string, string> = {}) => {
  const ran = await mustRun(what, process.execPath, [program], { cwd, timeout: 60_000, env })
  const line = ran.stdout.trim().split("\n").at(-1) ?? ""
  try {
    return JSON.parse(line) as unknown
  } catch {
    throw new Error(explain(ran, `${what} printed no JSON report`))
  }
}

// -------------------------------------------------------------------------------------------------
// The packages and the app

interface Manifest {
  readonly name: string
  readonly repository?: { readonly type?: string; readonly url?: string; readonly directory?: string }
  readonly homepage?: string
  readonly bugs?: { readonly url?: string }
  readonly version: string
  readonly private?: boolean
  readonly license?: string
  readonly exports?: Record<string, unknown>
  readonly bin?: Record<string, string>
  readonly dependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly optionalDependencies?: Record<string, string>
  readonly devDependencies?: Record<string, string>
}

interface Packed {
  readonly dir: string
  readonly manifest: Manifest
  readonly tarball: string
  /** The tarball's `package/` directory, unpacked. */
  readonly unpacked: string
}

/** The packages to publish: every `packages/*` that is not private. */
const publishable = readdirSync(join(repo, "packages"))
  .map((name) => join(repo, "packages", name))
  .filter((dir) => existsSync(join(dir, "package.json")))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest }))
  .filter(({ manifest }) => manifest.private !== true)

/**
 * The versions of the peers (other than our own packages) to install: the range every package declares for
 * each (they must agree), or `latest` for the canary.
 */
const peerSpecs = (latest: boolean): ReadonlyArray<string> => {
  const ranges = new Map<string, Set<string>>()
  for (const { manifest } of publishable) {
    for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (!name.startsWith("@timtags/")) ranges.set(name, (ranges.get(name) ?? new Set()).add(range))
    }
  }
  const disagreeing = [...ranges].filter(([, set]) => set.size > 1).map(([name, set]) =>
    `${name}: ${[...set].join(", ")}`
  )
  if (disagreeing.length > 0) throw new Error(`the packages' peer ranges disagree: ${disagreeing.join("; ")}`)
  return [...ranges].map(([name, set]) => `${name}@${latest ? "latest" : [...set][0]}`)
}

const canary = process.env["TIMTAGS_PACKAGING_PEERS"] === "latest"

const tarballName = ({ name, version }: Manifest) => `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`

const versionAtLeast = (version: string, [major, minor]: readonly [number, number]) => {
  const [a = 0, b = 0] = version.split(".").map(Number)
  return a > major || (a === major && b >= minor)
}

let packDir = ""
let appDir = ""
let packed: ReadonlyArray<Packed> = []

beforeAll(async () => {
  // Node: the programs run on this Node; effect 4 and @effect/platform-node 4 need >= 22.19.
  if (!versionAtLeast(process.versions.node, [22, 19])) {
    throw new Error(
      `vitest runs on Node ${process.versions.node} (${process.execPath}); the packages need >= 22.19. ` +
        "Run with the repo's Node 24 first on the PATH (export PATH=$PWD/node_modules/.bin:$PATH, or pnpm test)."
    )
  }
  const missing = publishable.filter(({ dir }) => !existsSync(join(dir, "dist", "index.js")))
  if (missing.length > 0) {
    throw new Error(
      `not built: ${missing.map(({ dir }) => relative(repo, dir)).join(", ")}; run tsc -b tsconfig.build.json first`
    )
  }
  expect(publishable.map(({ manifest }) => manifest.name)).toEqual(
    expect.arrayContaining(["@timtags/core", "@timtags/platform-node", "@timtags/emulator", "@timtags/cli"])
  )

  const tmp = await realpath(tmpdir())
  packDir = await mkdtemp(join(tmp, "timtags-packaging-tarballs-"))
  appDir = await mkdtemp(join(tmp, "timtags-packaging-app-"))
  if (keep) console.log(`TIMTAGS_PACKAGING_KEEP: tarballs in ${packDir}, app in ${appDir}`)
  // Outside the repository, and no node_modules above it that Node could resolve effect or ours from.
  expect(relative(repo, appDir).startsWith("..")).toBe(true)
  for (let dir = dirname(appDir); dir !== dirname(dir); dir = dirname(dir)) {
    for (const leak of ["node_modules/effect", "node_modules/@effect", "node_modules/@timtags"]) {
      if (existsSync(join(dir, leak))) {
        throw new Error(`${join(dir, leak)} exists above the app ${appDir}; it could leak in`)
      }
    }
  }

  // 1. Pack (pnpm rewrites workspace: ranges). Fetch pnpm once, then pack the packages in parallel.
  await mustRun("fetching pnpm with npx", "npx", ["-y", pnpm, "--version"], { cwd: repo, timeout: 120_000 })
  packed = await Promise.all(publishable.map(async ({ dir, manifest }) => {
    await mustRun(`packing ${manifest.name}`, "npx", ["-y", pnpm, "pack", "--pack-destination", packDir], {
      cwd: dir,
      timeout: 120_000
    })
    const tarball = join(packDir, tarballName(manifest))
    if (!existsSync(tarball)) {
      throw new Error(
        `packing ${manifest.name} left no ${tarballName(manifest)} in ${packDir}: ${
          (await readdir(packDir)).join(", ")
        }`
      )
    }
    const into = join(packDir, "unpacked", tarballName(manifest).replace(/\.tgz$/, ""))
    await mkdir(into, { recursive: true })
    await mustRun(`unpacking ${tarball}`, "tar", ["-xzf", tarball, "-C", into], { cwd: packDir, timeout: 30_000 })
    return { dir, manifest, tarball, unpacked: join(into, "package") }
  }))

  // 2. A fresh app: effect and @effect/platform-node from the registry, ours from the tarballs, one
  //    `npm install`; TypeScript and Node's types (the repo's ranges) to type-check the programs.
  await writeFile(
    join(appDir, "package.json"),
    JSON.stringify({ name: "timtags-packaging-app", private: true, type: "module" }, null, 2)
  )
  const peers = peerSpecs(canary)
  expect(peers).toEqual(
    expect.arrayContaining([expect.stringMatching(/^effect@/), expect.stringMatching(/^@effect\/platform-node@/)])
  )
  await mustRun("npm install in the fresh app", "npm", [
    "install",
    "--no-audit",
    "--no-fund",
    // The canary installs latest even outside the peer ranges, to see what else breaks.
    ...(canary ? ["--legacy-peer-deps"] : []),
    ...peers,
    `typescript@${rootManifest.devDependencies["typescript"]}`,
    `@types/node@${rootManifest.devDependencies["@types/node"]}`,
    ...packed.map(({ tarball }) => tarball)
  ], { cwd: appDir, timeout: 300_000 })
  for (const file of await readdir(appSources)) await copyFile(join(appSources, file), join(appDir, file))
}, 600_000)

afterAll(async () => {
  if (keep) return
  await Promise.all(
    [packDir, appDir].filter((dir) => dir !== "").map((dir) => rm(dir, { recursive: true, force: true }))
  )
})

// -------------------------------------------------------------------------------------------------
// Tarballs

const tarList = async (tarball: string) => {
  const ran = await mustRun(`listing ${tarball}`, "tar", ["-tzf", tarball], { cwd: packDir, timeout: 30_000 })
  // Files only (a tarball may list directories too), relative to the tarball's `package/`.
  return ran.stdout.split("\n").filter((line) => line !== "" && !line.endsWith("/")).map((line) =>
    line.replace(/^package\//, "")
  )
}

const tarManifest = async (tarball: string) => {
  const ran = await mustRun(`reading package.json of ${tarball}`, "tar", ["-xzOf", tarball, "package/package.json"], {
    cwd: packDir,
    timeout: 30_000
  })
  return JSON.parse(ran.stdout) as Manifest
}

/** Every file an `exports` entry points at (not patterns, not `null`, not the source condition). */
const exportTargets = (value: unknown, condition = ""): ReadonlyArray<string> =>
  typeof value === "string"
    ? value.includes("*") || condition === "@timtags/source" ? [] : [value.replace(/^\.\//, "")]
    : value !== null && typeof value === "object"
    ? Object.entries(value).flatMap(([key, inner]) => exportTargets(inner, key))
    : []

/** A binary of the repository's devDependencies (publint, attw), run on this Node. */
const devTool = (name: string) => join(repo, "node_modules", ".bin", name)

/** Runs `check` for every package at once; throws one error with every failure's message. */
const forEveryPackage = async (what: string, check: (packed: Packed) => Promise<string | undefined>) => {
  const failures = (await Promise.all(packed.map(check))).filter((failure) => failure !== undefined)
  if (failures.length > 0) {
    throw new Error(`${what}: ${failures.length} of ${packed.length} packages failed\n\n${failures.join("\n\n")}`)
  }
}

describe("the tarballs", () => {
  it("hold their entry points, README.md and LICENSE, only dist/ output and maps, src/, bin/, and no workspace: ranges", async () => {
    for (const { dir, manifest, tarball, unpacked } of packed) {
      const files = await tarList(tarball)
      const inside = await tarManifest(tarball)
      const label = `${manifest.name} (${tarball})`
      const hasBin = Object.keys(inside.bin ?? {}).length > 0
      expect(
        files.filter((file) => !allowedFile(file, hasBin)),
        `${label}: files that are not dist/ output and maps, src/*.ts, bin/ or docs`
      )
        .toEqual([])
      const needed = [
        "package.json",
        "README.md",
        "LICENSE",
        "dist/index.js",
        "dist/index.d.ts",
        ...exportTargets(inside.exports ?? {}),
        ...Object.values(inside.bin ?? {}).map((bin) => bin.replace(/^\.\//, ""))
      ]
      expect(
        needed.filter((file) => !files.includes(file)),
        `${label}: entry points, README or LICENSE missing from the tarball`
      ).toEqual([])
      expect(inside.license, `${label}: license`).toBe("MIT")
      expect(readFileSync(join(unpacked, "LICENSE"), "utf8"), `${label}: LICENSE`).toMatch(
        /^MIT License\n\nCopyright \(c\) \d{4} /
      )

      // Every source compiled, every module with its declarations and both maps, every map's sources shipped.
      const has = new Set(files)
      const modules = files.filter((file) => /^dist\/.+\.js$/.test(file)).map((file) =>
        file.slice("dist/".length, -".js".length)
      )
      const sources = files.filter((file) => /^src\/.+\.ts$/.test(file)).map((file) =>
        file.slice("src/".length, -".ts".length)
      )
      expect(sources.filter((source) => !modules.includes(source)), `${label}: src/ files without dist/ output`)
        .toEqual([])
      expect(
        modules.flatMap((module) =>
          [".js.map", ".d.ts", ".d.ts.map"].map((ext) => `dist/${module}${ext}`).filter((file) => !has.has(file))
        ),
        `${label}: dist/ modules without their declarations or maps`
      ).toEqual([])
      const unmapped = files.filter((file) => file.endsWith(".map")).flatMap((file) => {
        const map = JSON.parse(readFileSync(join(unpacked, file), "utf8")) as {
          sources?: ReadonlyArray<string>
          sourceRoot?: string
        }
        return mapSources(file, map).filter((source) => !has.has(source)).map((source) => `${file} → ${source}`)
      })
      expect(unmapped, `${label}: source maps pointing at files the tarball lacks`).toEqual([])

      const ranges = { ...inside.dependencies, ...inside.peerDependencies, ...inside.optionalDependencies }
      expect(
        Object.entries(ranges).filter(([, range]) => range.startsWith("workspace:")),
        `${label}: workspace: ranges left in the packed package.json`
      ).toEqual([])
      const directory = relative(repo, dir).split("\\").join("/")
      expect(
        { repository: inside.repository, homepage: inside.homepage, bugs: inside.bugs },
        `${label}: where it comes from`
      ).toEqual({
        repository: { type: "git", url: `git+${repository}.git`, directory },
        homepage: `${repository}/tree/main/${directory}#readme`,
        bugs: { url: `${repository}/issues` }
      })
      for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
        if (range.startsWith("workspace:")) {
          const target = packed.find((p) => p.manifest.name === name)
          expect(ranges[name], `${label}: ${name} (${range}) packed as`).toBe(`^${target?.manifest.version}`)
        }
      }
    }
  })

  it(
    "link only into the tarball, to a file of this repository, to a heading, or to a packed package's page",
    async () => {
      const packages = new Set(packed.map(({ manifest }) => manifest.name))
      const inRepository = repositoryFiles()
      const problems: Array<string> = []
      for (const { dir, manifest, tarball, unpacked } of packed) {
        const files = await tarList(tarball)
        const has = new Set(files)
        const inTarball: Files = {
          file: (path) => (has.has(path) ? readFileSync(join(unpacked, path), "utf8") : undefined),
          directory: (path) => files.some((file) => file.startsWith(`${path}/`))
        }
        const readme = `${relative(repo, dir)}/README.md`
        const markdown = readFileSync(join(unpacked, "README.md"), "utf8")
        for (
          const broken of brokenLinks(markdown, { tarball: inTarball, repository: inRepository, packages }, readme)
        ) {
          problems.push(`${readme} (packed in ${manifest.name}), ${broken}`)
        }
      }
      expect(problems, "README links that do not resolve where the README is read (npm, node_modules)").toEqual([])
    },
    60_000
  )

  // publint: the manifest against the files (exports targets exist, formats match "type", types conditions
  // first, ...). `--strict` turns warnings into errors; a suggestion still exits 0, so "All good!" (printed
  // only when publint has no message at all) is required too.
  it("pass publint --strict without a message", async () => {
    await forEveryPackage("publint", async ({ tarball }) => {
      const ran = await run(devTool("publint"), ["run", tarball, "--strict"], {
        cwd: packDir,
        timeout: 60_000,
        env: { NO_COLOR: "1" }
      })
      return ran.code === 0 && ran.stdout.includes("All good!") ? undefined : explain(ran, "publint")
    })
  }, 120_000)

  // arethetypeswrong: how TypeScript resolves each entry point, and whether the types match the JavaScript.
  // esm-only: the packages are ESM only (no CommonJS build), so the node10 and node16-from-CommonJS
  // resolutions are not checked; node16 from ESM and bundler are (see "Packaging" in the main README). The
  // wildcard export `./*` is expanded into every module, which attw would otherwise skip.
  it("pass arethetypeswrong --profile esm-only on every entry point", async () => {
    await forEveryPackage("arethetypeswrong", async ({ manifest, tarball }) => {
      const subpaths = entryPoints((await tarManifest(tarball)).exports ?? {}, await tarList(tarball))
      const ran = await run(devTool("attw"), [
        tarball,
        "--profile",
        "esm-only",
        "--no-definitely-typed",
        "--format",
        "table-flipped",
        "--no-color",
        "--no-emoji",
        "--include-entrypoints",
        ...subpaths
      ], { cwd: packDir, timeout: 60_000 })
      if (ran.code !== 0) return explain(ran, "attw")
      // Every entry point was analysed (a subpath it never printed would be one it did not check).
      const missing = subpaths.filter((subpath) => !ran.stdout.includes(`"${posixJoin(manifest.name, subpath)}"`))
      return missing.length === 0 ? undefined : explain(ran, `attw did not report ${missing.join(", ")}`)
    })
  }, 120_000)
})

/**
 * The repository's files as they will be on GitHub once committed: tracked ones, and new ones git does not
 * ignore (so that a link to a file added in the same change resolves before the commit).
 */
const repositoryFiles = (): Files => {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: repo,
    encoding: "utf8"
  }).split("\0").filter((file) => file !== "" && existsSync(join(repo, file)))
  const has = new Set(files)
  return {
    file: (path) => (has.has(path) ? readFileSync(join(repo, path), "utf8") : undefined),
    directory: (path) => files.some((file) => file.startsWith(`${path}/`))
  }
}

/** `@scope/name` joined with an exports subpath: `.` → `@scope/name`, `./X` → `@scope/name/X`. */
const posixJoin = (
  name: string,
  subpath: string
) => (subpath === "." ? name : `${name}/${subpath.replace(/^\.\//, "")}`)

// -------------------------------------------------------------------------------------------------
// One copy of effect

interface LsNode {
  readonly version?: string
  readonly dependencies?: Record<string, LsNode>
}

/** `name@version` at every place of the `npm ls --json` tree where `name` appears. */
const lsVersions = (node: LsNode, name: string, path: ReadonlyArray<string> = []): ReadonlyArray<string> =>
  Object.entries(node.dependencies ?? {}).flatMap(([dep, child]) => [
    ...(dep === name ? [`${child.version} (${[...path, dep].join(" > ")})`] : []),
    ...lsVersions(child, name, [...path, dep])
  ])

/** Every installed package directory under `node_modules` (nested ones too), with its name and version. */
const installedPackages = (nodeModules: string): ReadonlyArray<{ name: string; version: string; dir: string }> => {
  if (!existsSync(nodeModules)) return []
  const dirs = readdirSync(nodeModules, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith(".") && (entry.isDirectory() || entry.isSymbolicLink()))
    .flatMap((entry) =>
      entry.name.startsWith("@")
        ? readdirSync(join(nodeModules, entry.name)).map((sub) => join(nodeModules, entry.name, sub))
        : [join(nodeModules, entry.name)]
    )
  return dirs.flatMap((dir) => {
    const manifestPath = join(dir, "package.json")
    if (!existsSync(manifestPath)) return installedPackages(join(dir, "node_modules"))
    const { name, version } = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest
    return [{ name, version, dir }, ...installedPackages(join(dir, "node_modules"))]
  })
}

describe("the fresh app", () => {
  it("has exactly one effect (npm ls), at node_modules/effect, and one copy of each of our packages", async () => {
    const ls = await run("npm", ["ls", "effect", "--all", "--json"], { cwd: appDir, timeout: 60_000 })
    const tree = `npm ls effect --all:\n${ls.stdout}\n${ls.stderr}`
    expect(ls.code, `npm ls reports problems (exit ${ls.code}).\n${tree}`).toBe(0)
    const places = lsVersions(JSON.parse(ls.stdout) as LsNode, "effect")
    const versions = new Set(places.map((place) => place.split(" ")[0]))
    expect(places.length, `effect appears nowhere.\n${tree}`).toBeGreaterThan(0)
    expect([...versions], `more than one version of effect:\n${places.join("\n")}\n${tree}`).toHaveLength(1)

    // The same from the disk: one directory holds a package named effect, whatever npm ls dedupes.
    const installed = installedPackages(join(appDir, "node_modules"))
    const copies = (name: string) =>
      installed.filter((pkg) => pkg.name === name).map((pkg) => `${pkg.version} ${relative(appDir, pkg.dir)}`)
    expect(copies("effect"), `copies of effect on disk\n${tree}`).toEqual([`${[...versions][0]} node_modules/effect`])
    for (const name of ["@effect/platform-node", ...packed.map(({ manifest }) => manifest.name)]) {
      expect(copies(name), `copies of ${name} on disk`).toHaveLength(1)
    }
  }, 120_000)

  it("imports every package, and type-checks its programs against the published declarations", async () => {
    const imports = packed.map(({ manifest }) => manifest.name)
    await writeFile(
      join(appDir, "import-all.mjs"),
      [
        "// @ts-check",
        ...imports.map((name, i) => `import * as P${i} from ${JSON.stringify(name)}`),
        `console.log(JSON.stringify({ ${
          imports.map((name, i) => `${JSON.stringify(name)}: Object.keys(P${i})`).join(", ")
        } }))`,
        ""
      ].join("\n")
    )
    const exported = (await runJson("importing every package in the app", "import-all.mjs", appDir)) as Record<
      string,
      ReadonlyArray<string>
    >
    expect(exported["@timtags/core"]).toEqual(expect.arrayContaining(["Client", "PushTags", "TimConfig", "TimError"]))
    expect(exported["@timtags/platform-node"]).toEqual(expect.arrayContaining(["NodePlatform"]))
    expect(exported["@timtags/emulator"]).toEqual(expect.arrayContaining(["Emulator"]))
    for (const name of imports) expect(exported[name], `${name} exports nothing`).not.toEqual([])

    // strict, NodeNext, and skipLibCheck off: the declarations in dist/ are checked against the app's effect.
    await writeFile(
      join(appDir, "tsconfig.json"),
      JSON.stringify(
        {
          compilerOptions: {
            target: "ES2022",
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            exactOptionalPropertyTypes: true,
            allowJs: true,
            checkJs: true,
            noEmit: true,
            skipLibCheck: false,
            types: ["node"]
          },
          include: ["*.mjs"]
        },
        null,
        2
      )
    )
    await mustRun("type-checking the app with its own TypeScript", join(appDir, "node_modules", ".bin", "tsc"), [
      "-p",
      "."
    ], {
      cwd: appDir,
      timeout: 180_000
    })
  }, 240_000)

  it("type-checks every program of every packed README (a ```ts block after <!-- program -->)", async () => {
    // Each program is a module of its own in readme/, checked with the app's TypeScript as an application
    // would write it: strict, NodeNext, unused imports and locals refused. The published declarations
    // themselves are checked by the test above (skipLibCheck off); here they are skipped, for speed.
    const readmeDir = join(appDir, "readme")
    await rm(readmeDir, { recursive: true, force: true })
    await mkdir(readmeDir)
    const where = new Map<string, { readonly readme: string; readonly program: Program }>()
    const problems: Array<string> = []
    for (const { dir, manifest, unpacked } of packed) {
      const readme = `${relative(repo, dir)}/README.md`
      let programs: ReadonlyArray<Program>
      try {
        programs = readmePrograms(await readFile(join(unpacked, "README.md"), "utf8"))
      } catch (error) {
        problems.push(`${readme} (packed in ${manifest.name}): ${(error as Error).message}`)
        continue
      }
      if (programs.length === 0) {
        problems.push(
          `${readme} (packed in ${manifest.name}) has no program: put ${programMarker} on the line before a \`\`\`ts block`
        )
      }
      for (const [i, program] of programs.entries()) {
        const file = `${manifest.name.replace(/^@[^/]+\//, "")}-${i + 1}.ts`
        await writeFile(join(readmeDir, file), program.code)
        where.set(`readme/${file}`, { readme, program })
      }
    }
    expect(problems, "READMEs without a program, or with a broken marker").toEqual([])
    await writeFile(
      join(appDir, "tsconfig.readme.json"),
      JSON.stringify(
        {
          // The app's settings (tsconfig.json, written by the test before), stricter about unused names.
          extends: "./tsconfig.json",
          compilerOptions: {
            noUnusedLocals: true,
            noUnusedParameters: true,
            allowJs: false,
            checkJs: false,
            skipLibCheck: true
          },
          include: ["readme/*.ts"]
        },
        null,
        2
      )
    )
    const ran = await run(join(appDir, "node_modules", ".bin", "tsc"), [
      "-p",
      "tsconfig.readme.json",
      "--pretty",
      "false"
    ], {
      cwd: appDir,
      timeout: 180_000
    })
    if (ran.code !== 0) {
      // readme/core-1.ts(12,5): error … → packages/core/README.md:40:5 (program 1): error …
      const located = ran.stdout.split("\n").map((line) => {
        const match = /^(readme\/[^(]+)\((\d+),(\d+)\): (.*)$/.exec(line)
        const at = match?.[1] === undefined ? undefined : where.get(match[1])
        return match === null || at === undefined
          ? line
          : `${at.readme}:${at.program.fence + Number(match[2])}:${match[3]} (${match[1]}): ${match[4]}`
      })
      throw new Error(
        `${explain(ran, "type-checking the README programs")}\n--- in the READMEs ---\n${located.join("\n")}`
      )
    }
    expect(where.size).toBeGreaterThanOrEqual(packed.length)
  }, 240_000)

  it("runs the README program against Emulator.layer: the seeded tags, and 70107 for an unknown account", async () => {
    const report = await runJson("app/with-emulator-layer.mjs", "with-emulator-layer.mjs", appDir)
    const unknown = {
      error: {
        _tag: "TimAccountError",
        code: 70107,
        account: "nobody",
        reason: "UnknownAccount",
        isTimAccountError: true
      }
    }
    const { calls, getTags, getTagsMany } = report as {
      getTags: unknown
      getTagsMany: unknown
      calls: ReadonlyArray<{ command: string; accounts: number; errorCode: number }>
    }
    expect({ getTags, getTagsMany }).toEqual({
      getTags: { alice: ["vip", "beta"], bob: [], nobody: unknown },
      getTagsMany: { alice: { tags: ["vip", "beta"] }, carol: { tags: ["eu"] }, nobody: unknown, bob: { tags: [] } }
    })
    // Every answer came over HTTP from the emulator; the last call carried the 4 distinct accounts of getTagsMany.
    expect(calls.length).toBeGreaterThanOrEqual(2)
    expect(calls.every((call) => call.command === "get_tag" && call.errorCode === 0)).toBe(true)
    expect(calls.at(-1)?.accounts).toBe(4)
  }, 120_000)

  it("runs the README program with TimConfig.layerConfig against the timtags-emulator command", async () => {
    const sdkAppId = "1400000043"
    const secretKey = "packaging-cli-key"
    await writeFile(join(appDir, "seed.json"), JSON.stringify({ alice: ["vip"], bob: ["eu", "beta"] }))
    const emulator = spawn(
      join(appDir, "node_modules", ".bin", "timtags-emulator"),
      ["--port", "0", "--sdkappid", sdkAppId, "--key", secretKey, "--seed", "seed.json"],
      { cwd: appDir, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] }
    )
    try {
      const baseUrl = await listening(emulator)
      const report = await runJson("app/readme-config.mjs", "readme-config.mjs", appDir, {
        TIM_SDKAPPID: sdkAppId,
        TIM_SECRET_KEY: secretKey,
        TIM_BASE_URL: baseUrl
      })
      expect(report).toEqual({
        mine: ["vip"],
        many: {
          alice: { tags: ["vip"] },
          nobody: { error: { _tag: "TimAccountError", code: 70107 } },
          bob: { tags: ["eu", "beta"] }
        }
      })
    } finally {
      await stop(emulator)
    }
  }, 120_000)
})

describe("the timtags command", () => {
  it("runs each command from the installed @timtags/cli against a separately started timtags-emulator", async () => {
    const app = { TIM_SDKAPPID: "1400000045", TIM_SECRET_KEY: "packaging-timtags-key" }
    await writeFile(join(appDir, "cli-seed.json"), JSON.stringify(session.seed))
    for (const [name, text] of Object.entries(session.files)) await writeFile(join(appDir, name), text)
    const emulator = spawn(
      join(appDir, "node_modules", ".bin", "timtags-emulator"),
      ["--port", "0", "--sdkappid", app.TIM_SDKAPPID, "--key", app.TIM_SECRET_KEY, "--seed", "cli-seed.json"],
      { cwd: appDir, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] }
    )
    try {
      const baseUrl = await listening(emulator)
      const timtags = join(appDir, "node_modules", ".bin", "timtags")
      for (const step of session.steps) {
        const ran = await run(timtags, step.args, {
          cwd: appDir,
          timeout: 60_000,
          env: { ...app, TIM_BASE_URL: baseUrl }
        })
        if (ran.code !== step.code) {
          throw new Error(explain(ran, `timtags ${step.args.join(" ")} (expected exit ${step.code})`))
        }
        expect(`${ran.stdout}${ran.stderr}`).not.toContain(app.TIM_SECRET_KEY)
        step.check(ran.stdout)
      }
      const pushes = (await (await fetch(`${baseUrl}/__emulator/pushes`)).json()) as Array<{ recipients: unknown }>
      expect(pushes.map((push) => push.recipients)).toEqual(session.expectedPushes)
    } finally {
      await stop(emulator)
    }
  }, 240_000)
})

/** The base URL the emulator command prints once it listens; fails with its output if it exits first. */
const listening = (child: ChildProcess): Promise<string> =>
  new Promise((resolvePromise, reject) => {
    let stdout = ""
    let stderr = ""
    const fail = (why: string) => {
      clearTimeout(timer)
      reject(new Error(`timtags-emulator ${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`))
    }
    const timer = setTimeout(() => fail("did not print `listening on` within 30 s"), 30_000)
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
      const match = /timtags-emulator listening on (http:\/\/\S+)/.exec(stdout)
      if (match?.[1]) {
        clearTimeout(timer)
        resolvePromise(match[1])
      }
    })
    child.on("error", (error) => fail(`could not start: ${error.message}`))
    child.on("exit", (code, signal) => fail(`exited (code ${code}, signal ${signal}) before listening`))
  })

const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolvePromise) => child.once("exit", () => resolvePromise()))
  child.kill("SIGTERM")
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000)
  await exited
  clearTimeout(timer)
}
