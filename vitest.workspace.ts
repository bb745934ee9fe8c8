/**
 * The test projects: one per package, each with its own `vitest.config.ts`, and `tests/packaging` (the packed
 * packages installed into a fresh npm application).
 */
export default ["packages/*/vitest.config.ts", "tests/packaging/vitest.config.ts"]
