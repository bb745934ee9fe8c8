import { defineProject, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// Timing at the server (the rate limit under a strict, jittery emulator in its own process): after every
// other project (groupOrder 2, after ratelimit-redis's 1) and one file at a time, so that other suites do
// not starve the client or the emulator of CPU.
const config = mergeConfig(
  shared,
  defineProject({ test: { name: "core-timing", sequence: { groupOrder: 2 }, maxWorkers: 1 } })
)
config.test!.include = ["timing/**/*.test.ts"] // instead of the shared `test/**`, not in addition to it

export default config
