// effect/Config as @effect/docgen 4.0.0-rc.112 expects it (see run.mjs).
import * as Config from "effect/Config"

export * from "effect/Config"

export const string = Config.String
export const boolean = Config.Boolean

// 4.0: `Config.schema(Config.Array(Schema.String), "exclude")`; 4.1: `Config.Array(Schema.String, "exclude")`.
const arrayOf = Symbol("docgen-shim/Config.Array")
export const Array = (value, ...rest) => rest.length === 0 ? { [arrayOf]: value } : Config.Array(value, ...rest)
export const schema = (codec, path) =>
  codec !== null && typeof codec === "object" && arrayOf in codec
    ? Config.Array(codec[arrayOf], path)
    : Config.schema(codec, path)
