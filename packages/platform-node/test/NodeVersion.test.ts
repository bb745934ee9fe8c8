/**
 * The Node.js guard: every layer of the package, built on a Node older than 22.19, dies with one line naming
 * the version it found, before any of its parts is built. The repository runs on Node 24, so the old Node is
 * faked by replacing `process.versions` while the layer is built.
 */
import { describe, expect, it } from "@effect/vitest"
import { NodePlatform, NodeRequestWrites, NodeSigner } from "@timtags/platform-node"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { supported } from "../src/internal/nodeVersion.js"

/** Builds `layer` (and closes it) while `process.versions.node` says `node`. */
const buildOn = <A>(node: string, layer: Layer.Layer<A>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const original = Object.getOwnPropertyDescriptor(process, "versions")!
      Object.defineProperty(process, "versions", { ...original, value: { ...process.versions, node } })
      return original
    }),
    () => Effect.exit(Effect.scoped(Layer.build(layer))),
    (original) => Effect.sync(() => Object.defineProperty(process, "versions", original))
  )

const layers = {
  NodePlatform: NodePlatform.layer,
  NodeSigner: NodeSigner.layer,
  NodeRequestWrites: NodeRequestWrites.layer
}

describe("the Node.js version guard", () => {
  it("accepts 22.19 and later, refuses anything older", () => {
    expect(["22.19.0", "22.20.1", "23.0.0", "24.12.0", "30.1.0"].filter((v) => !supported(v))).toEqual([])
    expect(["22.18.9", "22.9.0", "20.20.2", "18.20.8", "0.12.0"].filter(supported)).toEqual([])
  })

  for (const [name, layer] of Object.entries(layers)) {
    it.effect(`${name}.layer dies with one line on Node 20, and builds on this Node`, () =>
      Effect.gen(function*() {
        const exit = yield* buildOn("20.20.2", layer)
        expect(Exit.isFailure(exit)).toBe(true)
        const defects = Exit.isFailure(exit) ? exit.cause.reasons.filter(Cause.isDieReason) : []
        // One defect (not one per merged part): the guard stopped the build before anything else ran.
        expect(defects).toHaveLength(1)
        const defect = defects[0]!.defect as Error
        expect(defect.message).toBe("@timtags/platform-node needs Node.js ≥ 22.19, found 20.20.2")
        expect(defect.stack).toBe(`UnsupportedNodeVersion: ${defect.message}`)
        expect(process.versions.node).not.toBe("20.20.2")
        expect(Exit.isSuccess(yield* buildOn(process.versions.node, layer))).toBe(true)
      }))
  }
})
