/**
 * Bun entry: `bun run bun.ts '<ScenarioConfig JSON>'` prints one line of JSON, the `ScenarioReport`,
 * plus where `@timtags/*` resolved (the published `dist/` ESM, unbundled).
 */
import type { ScenarioConfig } from "./report.ts"
import { run } from "./scenario.ts"

declare const Bun: { readonly argv: ReadonlyArray<string> }

const config = JSON.parse(Bun.argv[2]!) as ScenarioConfig
const report = await run(config)
const resolved = { core: import.meta.resolve("@timtags/core"), fetch: import.meta.resolve("@timtags/platform-fetch") }
console.log(JSON.stringify({ ...report, resolved }))
