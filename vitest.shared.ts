/** Settings every package's vitest config shares: where tests live and how workspace packages resolve to source. */
import type { ViteUserConfig } from "vitest/config"

const conditions = ["@timtags/source", "import", "module", "node", "default"]

const config: ViteUserConfig = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@timtags/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
}

export default config
