/** The README link checker of the packaging test: which links it finds, and what each must resolve to. */
import { describe, expect, it } from "@effect/vitest"
import { brokenLinks, classify, type Files, headingAnchors, markdownLinks, slug } from "./support/readmeLinks.js"

describe("markdownLinks", () => {
  it("finds inline links, images, autolinks, definitions and bare URLs, outside code", () => {
    const readme = [
      "# pkg", //                                                           1
      "See [the guide](docs/guide.md#setup) and ![logo](logo.png).", //      2
      "Also <https://effect.website> and https://github.com/redis/ioredis.", // 3
      "Not `[code](nope.md)` nor `https://in.code`.", //                    4
      "```sh", //                                                           5
      "[fenced](nope.md) https://in.fence", //                             6
      "```", //                                                             7
      "[ref]: https://www.npmjs.com/package/@timtags/core", //              8
      "[`@timtags/core`](https://www.npmjs.com/package/@timtags/core)" //   9
    ].join("\n")
    expect(markdownLinks(readme)).toEqual([
      { line: 2, target: "docs/guide.md#setup" },
      { line: 2, target: "logo.png" },
      { line: 3, target: "https://effect.website" },
      { line: 3, target: "https://github.com/redis/ioredis" },
      { line: 8, target: "https://www.npmjs.com/package/@timtags/core" },
      { line: 9, target: "https://www.npmjs.com/package/@timtags/core" }
    ])
  })
})

describe("headingAnchors", () => {
  it("makes GitHub's anchors: lower case, punctuation dropped, code and links as text, duplicates numbered", () => {
    expect(slug("Effect 4, and the Effect 3 line")).toBe("effect-4-and-the-effect-3-line")
    expect(slug("`EmulatorClient.layer` in [one](x.md) layer")).toBe("emulatorclientlayer-in-one-layer")
    expect([...headingAnchors("# A\n## Rate limit\n```\n# not a heading\n```\n### Rate limit\n")]).toEqual([
      "a",
      "rate-limit",
      "rate-limit-1"
    ])
  })
})

describe("classify", () => {
  it("sorts links into the classes the test resolves, and refuses the rest", () => {
    expect(classify("#options")).toEqual({ _tag: "Anchor", anchor: "options" })
    expect(classify("CHANGELOG.md")).toEqual({ _tag: "Relative", path: "CHANGELOG.md", anchor: undefined })
    expect(classify("https://github.com/timtags/timtags/blob/main/README.md#benchmarks")).toEqual({
      _tag: "Repository",
      kind: "blob",
      path: "README.md",
      anchor: "benchmarks"
    })
    expect(classify("https://www.npmjs.com/package/@timtags/core")).toEqual({ _tag: "Npm", name: "@timtags/core" })
    expect(classify("https://effect.website/docs")._tag).toBe("External")
    expect(classify("/README.md")._tag).toBe("Refused")
    expect(classify("https://github.com/timtags/timtags/pulls")._tag).toBe("Refused")
    expect(classify("https://example.com/page")._tag).toBe("Refused")
  })
})

describe("brokenLinks", () => {
  const files = (entries: Record<string, string>): Files => ({
    file: (path) => entries[path],
    directory: (path) => Object.keys(entries).some((file) => file.startsWith(`${path}/`))
  })
  const context = {
    tarball: files({ "README.md": "", "CHANGELOG.md": "# Changes\n## 0.2.0\n", "dist/index.js": "" }),
    repository: files({ "README.md": "# timtags\n## Benchmarks\n", "examples/get-tags.ts": "" }),
    packages: new Set(["@timtags/core"])
  }

  it("accepts links that resolve", () => {
    const readme = [
      "# Pkg",
      "## Options",
      "[o](#options) [c](CHANGELOG.md#020) [d](dist) [b](https://github.com/timtags/timtags/blob/main/README.md#benchmarks)",
      "[e](https://github.com/timtags/timtags/blob/main/examples/get-tags.ts) [t](https://github.com/timtags/timtags/tree/main/examples)",
      "[n](https://www.npmjs.com/package/@timtags/core) [effect](https://www.npmjs.com/package/effect) <https://github.com/timtags/timtags/issues>"
    ].join("\n")
    expect(brokenLinks(readme, context, "packages/x/README.md")).toEqual([])
  })

  it("names every link that does not, with its line and why", () => {
    const readme = [
      "[a](#nowhere) [up](../../README.md) [gone](docs/api.md) [c](CHANGELOG.md#9)",
      "[r](https://github.com/timtags/timtags/blob/main/NOPE.md) [h](https://github.com/timtags/timtags/blob/main/README.md#nope)",
      "[p](https://www.npmjs.com/package/@timtags/cli) [x](https://example.com)"
    ].join("\n")
    expect(brokenLinks(readme, context, "packages/x/README.md")).toEqual([
      "line 1: #nowhere: no heading #nowhere in this README",
      "line 1: ../../README.md: outside the package: absent on npm and in node_modules",
      "line 1: docs/api.md: no such file in the tarball",
      "line 1: CHANGELOG.md#9: no heading #9 in CHANGELOG.md",
      "line 2: https://github.com/timtags/timtags/blob/main/NOPE.md: no file NOPE.md in the repository (tracked, or new and not ignored)",
      "line 2: https://github.com/timtags/timtags/blob/main/README.md#nope: no heading #nope in README.md",
      "line 3: https://www.npmjs.com/package/@timtags/cli: @timtags/cli is not one of the packed packages",
      "line 3: https://example.com: an external address outside allowedExternal (tests/packaging/test/support/readmeLinks.ts) (from packages/x/README.md)"
    ])
  })
})
