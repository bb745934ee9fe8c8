// effect/cli/Flag as @effect/docgen 4.0.0-rc.112 expects it (effect/unstable/cli/Flag in 4.0; see run.mjs).
import * as Flag from "effect/cli/Flag"

export * from "effect/cli/Flag"

export const string = Flag.String
export const boolean = Flag.Boolean
export const file = Flag.File
export const directory = Flag.Directory
