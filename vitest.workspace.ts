/**
 * The test projects: one per package, each with its own `vitest.config.ts`; the examples, each run as a user
 * runs it; core's timing tests at a strict server (`vitest.timing.config.ts`, run last); `tests/packaging` (the
 * packed packages installed into a fresh npm application); and the soak's own logic (`soak/`, its checks on
 * made-up runs; the soak itself is `pnpm soak`).
 */
export default [
  "packages/*/vitest.config.ts",
  "examples/vitest.config.ts",
  "packages/core/vitest.timing.config.ts",
  "tests/packaging/vitest.config.ts",
  "soak/vitest.config.ts"
]
