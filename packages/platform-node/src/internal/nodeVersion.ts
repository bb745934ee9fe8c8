/**
 * The Node.js this package runs on: ≥ 22.19, what `@effect/platform-node` 4 and undici 8 declare. On an older
 * Node, undici fails deep inside its own code when the HTTP client is built (Node 20's zlib has no zstd); the
 * guard below fails first, with one line that says what to do.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** The oldest supported Node.js, as `[major, minor]`. */
export const minimum: readonly [major: number, minor: number] = [22, 19]

/** Whether `version` (`process.versions.node`, e.g. `"20.20.2"`) is at least `minimum`. */
export const supported = (version: string): boolean => {
  const [major = 0, minor = 0] = version.split(".").map(Number)
  return major > minimum[0] || (major === minimum[0] && minor >= minimum[1])
}

/** The defect a layer dies with on an older Node: its message is the whole story, so its stack is that line. */
export class UnsupportedNodeVersion extends Error {
  constructor(readonly found: string) {
    super(`@timtags/platform-node needs Node.js ≥ ${minimum.join(".")}, found ${found}`)
    this.name = "UnsupportedNodeVersion"
    this.stack = `${this.name}: ${this.message}`
  }
}

/**
 * `layer`, built only on a supported Node. The version is read from `process.versions` when the layer is built
 * (not when the module is imported), and on an older Node the layer dies with `UnsupportedNodeVersion` before
 * any part of `layer` (undici) runs.
 */
export const guard = <A, E, R>(layer: Layer.Layer<A, E, R>): Layer.Layer<A, E, R> =>
  Layer.unwrap(Effect.suspend(() => {
    const found = process.versions.node
    return supported(found) ? Effect.succeed(layer) : Effect.die(new UnsupportedNodeVersion(found))
  }))
