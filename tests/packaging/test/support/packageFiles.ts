/**
 * Pure helpers of the packaging test (no processes, no files): the programs of a package README, the public
 * entry points of an `exports` map, and what a tarball may hold.
 */
import { posix } from "node:path"

// -------------------------------------------------------------------------------------------------
// README programs

/**
 * The marker of a README program: an HTML comment (invisible on npm and GitHub) on its own line, directly
 * followed (blank lines allowed) by a ```ts block. Such a block is a whole ES module that must type-check,
 * as written, in a fresh application that installed the published packages.
 */
export const programMarker = "<!-- program -->"

/** A README program: its code, and the line of its opening fence (1-based), so that code line n is README line `fence + n`. */
export interface Program {
  readonly fence: number
  readonly code: string
}

/**
 * Every program of a README, in order. A marker that is not followed by a ```ts (or ```typescript) block, or
 * a block that is never closed, throws: a mistyped marker must not silently drop a program.
 */
export const readmePrograms = (markdown: string): ReadonlyArray<Program> => {
  const lines = markdown.split(/\r?\n/)
  const programs: Array<Program> = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== programMarker) continue
    let open = i + 1
    while (open < lines.length && lines[open]?.trim() === "") open++
    const fence = /^ {0,3}(`{3,}|~{3,})\s*(ts|typescript)\s*$/.exec(lines[open] ?? "")
    if (fence === null || fence[1] === undefined) {
      throw new Error(
        `line ${i + 1}: ${programMarker} must be followed by a \`\`\`ts code block, found ${
          open < lines.length ? JSON.stringify(lines[open]) : "the end of the file"
        }`
      )
    }
    const closing = fence[1]
    let close = open + 1
    while (
      close < lines.length &&
      !(lines[close]?.trim().startsWith(closing) && /^(`+|~+)$/.test(lines[close]?.trim() ?? ""))
    ) {
      close++
    }
    if (close >= lines.length) {
      throw new Error(`line ${open + 1}: the code block after ${programMarker} is never closed`)
    }
    programs.push({ fence: open + 1, code: `${lines.slice(open + 1, close).join("\n")}\n` })
    i = close
  }
  return programs
}

// -------------------------------------------------------------------------------------------------
// Entry points

/** The string an `exports` value resolves to under `default` (or `import`), skipping other conditions. */
const defaultTarget = (value: unknown): string | undefined => {
  if (typeof value === "string") return value
  if (value === null || typeof value !== "object") return undefined
  const conditions = value as Record<string, unknown>
  for (const condition of ["import", "default"]) {
    const target = defaultTarget(conditions[condition])
    if (target !== undefined) return target
  }
  return undefined
}

const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&")

/** A regular expression for an `exports` key or target with one `*` (which matches anything, `/` included). */
const patternRegExp = (pattern: string) => new RegExp(`^${pattern.split("*").map(escape).join("(.+)")}$`)

/**
 * Every subpath an application can import, for `attw --include-entrypoints`: `.` and the other plain keys, and
 * each wildcard key expanded over the files of the tarball its target matches (`./*` → `./dist/*.js` gives
 * `./Client` for `dist/Client.js`), without the subpaths a `null` key blocks (`./internal/*`).
 */
export const entryPoints = (
  exportsMap: Record<string, unknown>,
  files: ReadonlyArray<string>
): ReadonlyArray<string> => {
  const keys = Object.entries(exportsMap)
  const blocked = keys.filter(([, value]) => value === null).map(([key]) => patternRegExp(key))
  const subpaths = new Set<string>()
  for (const [key, value] of keys) {
    if (value === null) continue
    if (!key.includes("*")) {
      subpaths.add(key)
      continue
    }
    const target = defaultTarget(value)
    if (target === undefined || !target.includes("*")) continue
    const targetRegExp = patternRegExp(posix.normalize(target))
    for (const file of files) {
      const star = targetRegExp.exec(file)?.[1]
      if (star !== undefined) subpaths.add(key.replace("*", star))
    }
  }
  return [...subpaths].filter((subpath) => !blocked.some((regExp) => regExp.test(subpath)))
}

// -------------------------------------------------------------------------------------------------
// Tarball contents

/** What a tarball may hold: compiled output and its maps, the sources they map to, the bin scripts, the docs. */
export const allowedFile = (file: string, hasBin: boolean): boolean =>
  /^dist\/.+\.(js|js\.map|d\.ts|d\.ts\.map)$/.test(file) ||
  /^src\/.+\.ts$/.test(file) ||
  (hasBin && /^bin\/[^/]+\.js$/.test(file)) ||
  /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(file)

/** The files a source map (at `mapFile`, relative to the package root) names as its sources, relative to the package root. */
export const mapSources = (
  mapFile: string,
  map: { readonly sources?: ReadonlyArray<string>; readonly sourceRoot?: string }
) =>
  (map.sources ?? []).map((source) => posix.normalize(posix.join(posix.dirname(mapFile), map.sourceRoot ?? "", source)))
