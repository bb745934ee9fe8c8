/**
 * The links of a package README, and what each may point at. A README is read on npm and in `node_modules`,
 * away from the repository, so every link is one of a few classes, each checked against something real:
 *
 * - `#anchor`: a heading of the same README;
 * - a relative path: a file inside the tarball (and its heading, for an anchor into Markdown);
 * - `https://github.com/timtags/timtags/blob/main/<path>` (or `tree/main/<path>`): a file (directory) in this
 *   repository (and its heading, for an anchor), plus the repository's issues page;
 * - `https://www.npmjs.com/package/<name>`: for a `@timtags/*` name, one of the packed packages;
 * - any other `http(s)` link only if its address starts with one of `allowedExternal`, which are not fetched
 *   (the test stays offline but for the npm registry): a new external link is a decision someone writes down.
 *
 * Pure functions: no files, no processes.
 */

/** The canonical repository (there is no git remote; this is what the package manifests name). */
export const repository = "https://github.com/timtags/timtags"

/** External addresses a README may link to, by prefix, unchecked. */
export const allowedExternal: ReadonlyArray<string> = [
  "https://effect.website",
  "https://github.com/redis/ioredis",
  "https://www.tencentcloud.com/document/"
]

/** A link, with the README line it is on. */
export interface Link {
  readonly line: number
  readonly target: string
}

/** Where a link points. */
export type Target =
  | { readonly _tag: "Anchor"; readonly anchor: string }
  | { readonly _tag: "Relative"; readonly path: string; readonly anchor: string | undefined }
  | {
    readonly _tag: "Repository"
    readonly kind: "blob" | "tree" | "issues"
    readonly path: string
    readonly anchor: string | undefined
  }
  | { readonly _tag: "Npm"; readonly name: string }
  | { readonly _tag: "External"; readonly url: string }
  | { readonly _tag: "Refused"; readonly why: string }

const fence = /^ {0,3}(`{3,}|~{3,})/

/** The lines of a Markdown text outside fenced code blocks, with their 1-based numbers. */
const proseLines = (markdown: string): ReadonlyArray<readonly [number, string]> => {
  const lines: Array<readonly [number, string]> = []
  let open: string | undefined
  markdown.split(/\r?\n/).forEach((line, i) => {
    const marker = fence.exec(line)?.[1]
    if (open === undefined && marker !== undefined) open = marker
    else if (open !== undefined && marker !== undefined && line.trim().startsWith(open[0]!.repeat(open.length))) {
      open = undefined
    } else if (open === undefined) lines.push([i + 1, line])
  })
  return lines
}

/** A line without its code spans (their text would not be a link). */
const withoutCode = (line: string) => line.replace(/(`+)[\s\S]*?\1/g, "code")

const inlineLink = /!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g
const autolink = /<(https?:\/\/[^>\s]+)>/g
const definition = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/
const bareUrl = /https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/g

/** Every link of a README outside code: inline links and images, autolinks, reference definitions, bare URLs. */
export const markdownLinks = (markdown: string): ReadonlyArray<Link> =>
  proseLines(markdown).flatMap(([line, text]) => {
    const prose = withoutCode(text)
    const found: Array<Link> = []
    const rest = prose.replace(inlineLink, (_, target: string) => {
      found.push({ line, target })
      return " "
    }).replace(autolink, (_, target: string) => {
      found.push({ line, target })
      return " "
    })
    const defined = definition.exec(rest)?.[1]
    if (defined !== undefined) found.push({ line, target: defined })
    else for (const match of rest.matchAll(bareUrl)) found.push({ line, target: match[0] })
    return found
  })

/** GitHub's anchor for a heading's text (github-slugger: lower case, punctuation dropped, spaces to hyphens). */
export const slug = (heading: string): string =>
  heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-")

/** The anchors of a Markdown text's headings, the second of two equal ones suffixed `-1`, and so on. */
export const headingAnchors = (markdown: string): ReadonlySet<string> => {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  for (const [, line] of proseLines(markdown)) {
    const text = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1]
    if (text === undefined) continue
    const base = slug(text)
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  return anchors
}

const splitAnchor = (target: string): readonly [string, string | undefined] => {
  const hash = target.indexOf("#")
  return hash < 0 ? [target, undefined] : [target.slice(0, hash), decodeURIComponent(target.slice(hash + 1))]
}

/** What a link's target is, or why it is refused. */
export const classify = (target: string): Target => {
  if (target.startsWith("#")) return { _tag: "Anchor", anchor: decodeURIComponent(target.slice(1)) }
  if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    const [path, anchor] = splitAnchor(target)
    return path.startsWith("/")
      ? { _tag: "Refused", why: "a path from the root of a site, which npm and node_modules do not have" }
      : { _tag: "Relative", path: decodeURIComponent(path), anchor }
  }
  const [url, anchor] = splitAnchor(target)
  if (url === `${repository}/issues`) return { _tag: "Repository", kind: "issues", path: "", anchor }
  const inRepository = new RegExp(`^${repository.replace(/[.]/g, "\\.")}/(blob|tree)/main/(.+)$`).exec(url)
  if (inRepository !== null) {
    const kind = inRepository[1] as "blob" | "tree"
    return { _tag: "Repository", kind, path: decodeURIComponent(inRepository[2]!.replace(/\/$/, "")), anchor }
  }
  if (url.startsWith(`${repository}/`) || url === repository) {
    return { _tag: "Refused", why: `a repository link must be ${repository}/blob/main/<path> (or tree/main, issues)` }
  }
  const npm = /^https:\/\/www\.npmjs\.com\/package\/((?:@[^/]+\/)?[^/?#]+)$/.exec(url)
  if (npm !== null) return { _tag: "Npm", name: decodeURIComponent(npm[1]!) }
  if (allowedExternal.some((prefix) => url === prefix || url.startsWith(`${prefix.replace(/\/$/, "")}/`))) {
    return { _tag: "External", url: target }
  }
  return {
    _tag: "Refused",
    why: "an external address outside allowedExternal (tests/packaging/test/support/readmeLinks.ts)"
  }
}

/** Files to resolve links against: the tarball's, or the repository's (git-tracked ones). */
export interface Files {
  /** A file's text, or `undefined` when there is no such file. */
  readonly file: (path: string) => string | undefined
  /** Whether a directory exists. */
  readonly directory: (path: string) => boolean
}

/** What `brokenLinks` resolves against. */
export interface LinkContext {
  readonly tarball: Files
  readonly repository: Files
  /** The names of the packed packages. */
  readonly packages: ReadonlySet<string>
}

/** Why an anchor does not resolve in `markdown` (`undefined`: it does, or there is no anchor). */
const missingAnchor = (markdown: string, anchor: string | undefined, where: string) =>
  anchor === undefined || anchor === "" || headingAnchors(markdown).has(anchor)
    ? undefined
    : `no heading #${anchor} in ${where}`

/** Why a link does not resolve (`undefined`: it does). `readmePath` is the README's path in the repository. */
const problem = (target: Target, markdown: string, context: LinkContext, readmePath: string): string | undefined => {
  switch (target._tag) {
    case "Anchor":
      return missingAnchor(markdown, target.anchor, "this README")
    case "Relative": {
      const path = posixNormalize(target.path)
      if (path.startsWith("../") || path === "..") return "outside the package: absent on npm and in node_modules"
      const text = context.tarball.file(path)
      if (text === undefined) return context.tarball.directory(path) ? undefined : "no such file in the tarball"
      return path.endsWith(".md") ? missingAnchor(text, target.anchor, path) : undefined
    }
    case "Repository": {
      if (target.kind === "issues") return undefined
      const text = context.repository.file(target.path)
      if (target.kind === "tree") {
        return text !== undefined || context.repository.directory(target.path)
          ? undefined
          : `no ${target.path} in the repository`
      }
      if (text === undefined) return `no file ${target.path} in the repository (tracked, or new and not ignored)`
      return target.path.endsWith(".md") ? missingAnchor(text, target.anchor, target.path) : undefined
    }
    case "Npm":
      return target.name.startsWith("@timtags/") && !context.packages.has(target.name)
        ? `${target.name} is not one of the packed packages`
        : undefined
    case "External":
      return undefined
    case "Refused":
      return `${target.why} (from ${readmePath})`
  }
}

/** `a/./b/../c` → `a/c` (POSIX, no leading `/`). */
const posixNormalize = (path: string) => {
  const parts: Array<string> = []
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue
    if (part === ".." && parts.length > 0 && parts.at(-1) !== "..") parts.pop()
    else parts.push(part)
  }
  return parts.join("/")
}

/** Every link of a README that does not resolve, as `line N: target: why`. */
export const brokenLinks = (markdown: string, context: LinkContext, readmePath: string): ReadonlyArray<string> =>
  markdownLinks(markdown).flatMap(({ line, target }) => {
    const why = problem(classify(target), markdown, context, readmePath)
    return why === undefined ? [] : [`line ${line}: ${target}: ${why}`]
  })
