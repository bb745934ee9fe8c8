/** Vitest global setup: builds the package (and its references) so that the tests run the real bin. */
import { execFileSync } from "node:child_process"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

export default function setup() {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  const project = fileURLToPath(new URL("../../tsconfig.src.json", import.meta.url))
  execFileSync(process.execPath, [tsc, "-b", project], { stdio: "inherit" })
}
