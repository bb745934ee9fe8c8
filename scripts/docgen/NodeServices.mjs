// @effect/platform-node/NodeServices as @effect/docgen's bin uses it (see run.mjs), with one change:
// docgen 4.0.0-rc.112 requires a `homepage` in the package.json of the package it documents (it
// fails with `Missing key at ["homepage"]` otherwise, even when docgen.json sets projectHomepage).
// Our packages have none yet, so reading `<cwd>/package.json` adds docgen.json's `projectHomepage`
// when the `homepage` field is missing. Nothing is written to disk.
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import { readFileSync } from "node:fs"
import * as NodePath from "node:path"

export * from "@effect/platform-node/NodeServices"

const packageJson = NodePath.resolve("package.json")

const withHomepage = (content) => {
  const json = JSON.parse(content)
  if (typeof json.homepage === "string") return content
  const docgen = JSON.parse(readFileSync(NodePath.resolve("docgen.json"), "utf8"))
  return JSON.stringify({ ...json, homepage: docgen.projectHomepage })
}

const fileSystem = Layer.effect(FileSystem.FileSystem)(Effect.gen(function*() {
  const fs = yield* FileSystem.FileSystem
  return FileSystem.FileSystem.of({
    ...fs,
    readFileString: (path, encoding) =>
      NodePath.resolve(path) === packageJson
        ? Effect.map(fs.readFileString(path, encoding), withHomepage)
        : fs.readFileString(path, encoding)
  })
}))

export const layer = Layer.provideMerge(fileSystem, NodeServices.layer)
