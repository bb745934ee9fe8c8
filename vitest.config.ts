/** Root vitest config: runs every project listed in `vitest.workspace.ts` and writes a JSON report for `.ci/run`. */
import { defineConfig } from "vitest/config"
import projects from "./vitest.workspace.js"

export default defineConfig({
  test: {
    projects,
    reporters: ["default", ["json", { outputFile: "test-results.json" }]]
  }
})
