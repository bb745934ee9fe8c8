/**
 * What a bundled worker is made of, from esbuild's metafile and source map: the minified bytes and
 * the gzip -9 bytes of each input module and of each package, and the import chain that brought a
 * module in. `bench:edge --analyze` prints it.
 *
 * A module's minified bytes are esbuild's `bytesInOutput`. Its gzip bytes are those of its own
 * output, cut from the bundle by the source map and compressed alone: gzip shares one dictionary
 * across the whole bundle, so these add up to more than the bundle's gzip size, and say how much a
 * module weighs rather than exactly what removing it saves (rebuild without it for that).
 */
import type { Metafile } from "esbuild"
import { gzipSync } from "node:zlib"

/** One input module or package of a bundle. */
export interface Part {
  readonly name: string
  /** Minified bytes in the output. */
  readonly bytes: number
  /** gzip -9 bytes of its output alone. */
  readonly gzip: number
  /** Input modules it stands for (1 for a module). */
  readonly modules: number
}

/** A bundle's parts, largest first. */
export interface Report {
  readonly bytes: number
  readonly gzip: number
  readonly packages: ReadonlyArray<Part>
  /** The packages cut finer: see `areaOf`. */
  readonly areas: ReadonlyArray<Part>
  readonly modules: ReadonlyArray<Part>
}

const base64Digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/** Decodes one segment of source-map VLQs into its numbers. */
const decodeVlq = (segment: string): Array<number> => {
  const values: Array<number> = []
  let value = 0
  let shift = 0
  for (const char of segment) {
    const digit = base64Digits.indexOf(char)
    value += (digit & 31) << shift
    if ((digit & 32) !== 0) {
      shift += 5
      continue
    }
    values.push((value & 1) === 1 ? -(value >>> 1) : value >>> 1)
    value = 0
    shift = 0
  }
  return values
}

/** The output of each source, cut from the code by the source map's mappings. */
const outputBySource = (code: string, map: { sources: Array<string>; mappings: string }): Map<string, string> => {
  const pieces = new Map<string, Array<string>>()
  const lines = code.split("\n")
  let source = 0
  map.mappings.split(";").forEach((mapping, lineIndex) => {
    const line = lines[lineIndex] ?? ""
    let column = 0
    let start = 0
    let owner = -1
    for (const segment of mapping === "" ? [] : mapping.split(",")) {
      const [dColumn, dSource] = decodeVlq(segment)
      column += dColumn!
      if (owner >= 0) pieces.get(map.sources[owner]!)!.push(line.slice(start, column))
      if (dSource !== undefined) source += dSource
      owner = dSource === undefined ? -1 : source
      start = column
      if (owner >= 0 && !pieces.has(map.sources[owner]!)) pieces.set(map.sources[owner]!, [])
    }
    if (owner >= 0) pieces.get(map.sources[owner]!)!.push(line.slice(start))
  })
  return new Map([...pieces].map(([name, parts]) => [name, parts.join("")]))
}

/** The package an input path belongs to: `effect`, `@timtags/core`, or the path itself. */
export const packageOf = (path: string): string => {
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path)
  if (dependency !== null) return dependency[1]!
  // This repository's packages, also in another checkout (a worktree of a tag, to compare with).
  const ours = /(?:^|\/)packages\/([^/]+)\//.exec(path)
  return ours !== null ? `@timtags/${ours[1]}` : path.replace(/^.*?(?=examples\/)|^(\.\.\/)+/, "")
}

/**
 * The part of a package an input belongs to, where that tells what a worker pays for: Effect's
 * Schema (with `Config`, built on it), HTTP client and streams; this repository's push, attribute and
 * import modules (which a tag lookup does not need) apart from the rest of core.
 */
export const areaOf = (path: string): string => {
  const pkg = packageOf(path)
  const file = path.replace(/^.*\/dist\//, "")
  if (pkg === "effect") {
    if (/^(Schema\w*|Config|internal\/schema\/.*)\.js$/.test(file)) return "effect: Schema, Config"
    if (file.startsWith("http/")) return "effect: http"
    if (/^(Stream|Channel|Queue|Pull|Sink|internal\/stream)\.js$/.test(file)) return "effect: Stream, Channel, Queue"
    return "effect: the rest"
  }
  if (pkg === "@timtags/core") {
    return /^(Push|PushAttrs|PushSchedule|PushStats|Target|Notification|Attr|AccountImport|internal\/push\/.*)\.js$/
        .test(file)
      ? "@timtags/core: push, attributes, import"
      : "@timtags/core: the rest"
  }
  return pkg
}

/** An input path as the report names it: `effect/dist/Schema.js`, `core/dist/TimError.js`. */
export const shortName = (path: string): string =>
  path.replace(/^.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, "").replace(/^(.*\/)?packages\//, "")
    .replace(/^.*?(?=examples\/)|^(\.\.\/)+/, "")

const bySize = (a: Part, b: Part) => b.bytes - a.bytes || a.name.localeCompare(b.name)

/**
 * The report of a bundle built with `metafile: true` and an external source map (the map's
 * `sources` are relative to the output file, which esbuild names from the metafile's inputs).
 */
export const report = (code: string, metafile: Metafile, sourceMap: string): Report => {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined)!
  const map = JSON.parse(sourceMap) as { sources: Array<string>; mappings: string }
  const sources = outputBySource(code, map)
  const inputs = Object.keys(output.inputs)
  // esbuild follows the inputs' own source maps, so the map names `effect/src/Schema.ts` where the
  // metafile has `effect/dist/Schema.js`: match them without the folder and the extension.
  const key = (path: string) => path.replace(/\/(src|dist)\//, "/").replace(/\.[cm]?[jt]s$/, "")
  const byKey = new Map([...sources].map(([source, text]) => [key(source), text]))
  const codeOf = (input: string) => byKey.get(key(input)) ?? ""
  const modules = inputs.map((input) => {
    const text = codeOf(input)
    return { name: shortName(input), path: input, bytes: output.inputs[input]!.bytesInOutput, text }
  })
  const gzip = (text: string) => text === "" ? 0 : gzipSync(text, { level: 9 }).byteLength
  const groups = (nameOf: (path: string) => string): Array<Part> => {
    const byName = new Map<string, { bytes: number; texts: Array<string> }>()
    for (const m of modules) {
      const group = byName.get(nameOf(m.path)) ?? { bytes: 0, texts: [] }
      group.bytes += m.bytes
      group.texts.push(m.text)
      byName.set(nameOf(m.path), group)
    }
    return [...byName].map(([name, g]) => ({
      name,
      bytes: g.bytes,
      gzip: gzip(g.texts.join("")),
      modules: g.texts.length
    }))
      .sort(bySize)
  }
  return {
    bytes: Buffer.byteLength(code),
    gzip: gzip(code),
    packages: groups(packageOf),
    areas: groups(areaOf),
    modules: groups(shortName).filter((m) => m.bytes > 0)
  }
}

/**
 * The shortest chain of static imports from the entry point to each input whose short name
 * contains `needle` (e.g. `effect/dist/Schema.js`): why the bundle holds it. esbuild drops what is
 * unused after following these imports, so a chain shows where to cut, not that every link is used.
 */
export const importChains = (metafile: Metafile, needle: string): Array<Array<string>> => {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined)!
  const entry = output.entryPoint!
  const previous = new Map<string, string | null>([[entry, null]])
  const queue = [entry]
  while (queue.length > 0) {
    const current = queue.shift()!
    for (const { path } of metafile.inputs[current]?.imports ?? []) {
      if (!previous.has(path) && metafile.inputs[path] !== undefined) {
        previous.set(path, current)
        queue.push(path)
      }
    }
  }
  return Object.keys(output.inputs).filter((input) => shortName(input).includes(needle)).map((input) => {
    const chain: Array<string> = []
    for (let at: string | null | undefined = input; at != null; at = previous.get(at)) chain.unshift(shortName(at))
    return chain
  })
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1)

/** The report as Markdown tables: packages, then the `top` largest modules. */
export const formatReport = (r: Report, top: number): string => {
  const rows = (parts: ReadonlyArray<Part>) =>
    parts.map((p) => `| ${p.name} | ${p.modules} | ${kib(p.bytes)} | ${kib(p.gzip)} |`).join("\n")
  const head = (what: string) => `| ${what} | modules | minified KiB | gzip -9 KiB (alone) |\n|---|---|---|---|\n`
  return [
    `bundle: ${kib(r.bytes)} KiB minified, ${kib(r.gzip)} KiB gzip -9 (${r.bytes} / ${r.gzip} bytes)`,
    "",
    head("package") + rows(r.packages),
    "",
    head("area") + rows(r.areas),
    "",
    head(`module (top ${top} of ${r.modules.length})`) + rows(r.modules.slice(0, top))
  ].join("\n")
}
