import { defineProject, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "cli",
      // The tests run the built bin: build it (and what it imports) once before any test file.
      globalSetup: ["test/support/build.ts"],
      testTimeout: 120_000
    }
  })
)
