import { defineProject, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// - The global setup starts a private redis-server for the tests (or uses TIM_TEST_REDIS_URL) and stops it afterwards.
// - The tests measure timing across processes on small CI machines: they run after every other project
//   (groupOrder 1) and one file at a time (maxWorkers 1), so that other suites do not starve them of CPU.
export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: "ratelimit-redis",
      globalSetup: ["./test/support/globalSetup.ts"],
      sequence: { groupOrder: 1 },
      maxWorkers: 1
    }
  })
)
