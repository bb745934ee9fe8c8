/**
 * workerd entry, bundled by the Node-side test and run in Miniflare WITHOUT `nodejs_compat`:
 * `POST /` with a `ScenarioConfig` body answers the `ScenarioReport` as JSON.
 */
import type { ScenarioConfig } from "./report.ts"
import { run } from "./scenario.ts"

export default {
  async fetch(request: Request): Promise<Response> {
    const config = (await request.json()) as ScenarioConfig
    return Response.json(await run(config))
  }
}
