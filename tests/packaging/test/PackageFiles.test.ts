/** The pure helpers of the packaging test: README programs, entry points, allowed files, source maps. */
import { describe, expect, it } from "@effect/vitest"
import { allowedFile, entryPoints, mapSources, readmePrograms } from "./support/packageFiles.js"

describe("readmePrograms", () => {
  it("takes the ```ts blocks right after <!-- program -->, with the line of their fence", () => {
    const readme = [
      "# pkg", //                 1
      "```ts", //                 2  not marked
      "ignored()",
      "```",
      "<!-- program -->", //      5
      "", //                      6  blank lines are allowed
      "```ts", //                 7
      "const a = 1",
      "",
      "console.log(a)",
      "```",
      "<!-- program -->",
      "````typescript", //       13
      "```",
      "````"
    ].join("\n")
    expect(readmePrograms(readme)).toEqual([
      { fence: 7, code: "const a = 1\n\nconsole.log(a)\n" },
      { fence: 13, code: "```\n" }
    ])
  })

  it("refuses a marker without a ts block after it, or a block that is never closed", () => {
    expect(() => readmePrograms("<!-- program -->\n```sh\nnpm i\n```\n")).toThrow(
      /line 1: <!-- program --> must be followed by a ```ts code block, found "```sh"/
    )
    expect(() => readmePrograms("text\n<!-- program -->\n")).toThrow(/line 2: .* found the end of the file/)
    expect(() => readmePrograms("<!-- program -->\n```ts\nconst a = 1\n")).toThrow(
      /line 2: the code block after <!-- program --> is never closed/
    )
  })
})

describe("entryPoints", () => {
  const exportsMap = {
    ".": { "@timtags/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" },
    "./*": { "@timtags/source": "./src/*.ts", types: "./dist/*.d.ts", default: "./dist/*.js" },
    "./internal/*": null
  }

  it("expands the wildcard over the tarball's files, without what a null key blocks", () => {
    const files = [
      "dist/index.js",
      "dist/Client.js",
      "dist/Client.d.ts",
      "dist/internal/plans.js",
      "src/Client.ts",
      "README.md"
    ]
    expect(entryPoints(exportsMap, files)).toEqual([".", "./index", "./Client"])
  })
})

describe("allowedFile and mapSources", () => {
  it("allow dist/ output and maps, src/*.ts, bin/*.js only with a bin, and the docs", () => {
    const allowed = (file: string, hasBin = false) => allowedFile(file, hasBin)
    expect(
      ["dist/a.js", "dist/x/a.d.ts.map", "src/a.ts", "README.md", "LICENSE", "package.json"].every((f) => allowed(f))
    ).toBe(true)
    expect(
      ["dist/.tsbuildinfo", "dist/a.tsbuildinfo", "src/a.md", "build/a.js", "bin/cli.js", "test/a.test.ts"].some((f) =>
        allowed(f)
      )
    )
      .toBe(false)
    expect(allowed("bin/cli.js", true)).toBe(true)
  })

  it("resolves a map's sources against its own directory", () => {
    expect(mapSources("dist/internal/plans.js.map", { sources: ["../../src/internal/plans.ts"] })).toEqual([
      "src/internal/plans.ts"
    ])
  })
})
