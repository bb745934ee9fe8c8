/**
 * `@timtags/core` + `@timtags/platform-fetch` INSIDE the real edge runtimes: Deno and Bun (npm
 * `deno`/`bun` binaries) import the published ESM from `dist/` unbundled, workerd (npm `miniflare`)
 * runs it bundled without `nodejs_compat`. Each runs `runtime-tests/scenario.ts` against the
 * emulator, which runs here on Node, on loopback, and verifies every UserSig with `node:crypto`.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Emulator, UserSigVerifier } from "@timtags/emulator"
import * as Effect from "effect/Effect"
import { join } from "node:path"
import type { ScenarioConfig, ScenarioReport } from "../runtime-tests/report.js"
import { assertBuilt, bundleWorker, runInRuntime, runtimeTestsDir, runtimeVersion, startWorker } from "../tools/edge.js"

const sdkAppId = 1400000003
const secretKey = "edge-runtime-test-key"
const seed = { ana: ["edge", "fetch"], ben: [] }

type Report = ScenarioReport & { readonly resolved?: { readonly core: string; readonly fetch: string } }

let emulator: Emulator.RunningEmulator

beforeAll(async () => {
  assertBuilt()
  emulator = await Emulator.startEmulator({ sdkAppId, secretKey, rateLimit: Infinity, seed })
}, 60_000)

afterAll(async () => {
  await emulator?.close()
})

/** The scenario's config, as the one argument the runtime scripts take. */
const config = () =>
  JSON.stringify(
    { baseUrl: emulator.baseUrl, sdkAppId, secretKey, wrongKey: "not-the-edge-key" } satisfies ScenarioConfig
  )

const expectScenario = async (report: Report) => {
  // The UserSig signed in the runtime with Web Crypto + CompressionStream verifies with node:crypto/zlib.
  const claims = await Effect.runPromise(
    UserSigVerifier.make(secretKey).verify(report.userSig.value, { sdkAppId, identifier: "administrator" })
  )
  expect(claims).toMatchObject({ identifier: "administrator", sdkAppId, time: report.userSig.time, expire: 3600 })
  // Tags through PushTags, signed and sent from inside the runtime.
  expect(report.tags).toEqual({ ana: ["edge", "fetch"], ben: [] })
  expect(report.many.ana).toEqual({ tags: ["edge", "fetch"] })
  expect(report.many.ben).toEqual({ tags: [] })
  expect(report.many.nobody).toMatchObject({
    error: { _tag: "TimAccountError", code: 70107, reason: "UnknownAccount" }
  })
  // Typed errors: an account error, an API error from the whole call, and the wrong key.
  expect(report.unknownAccount).toMatchObject({
    _tag: "TimAccountError",
    code: 70107,
    reason: "UnknownAccount",
    account: "nobody"
  })
  expect(report.apiError).toMatchObject({ _tag: "TimApiError", code: 90009, reason: "Permission" })
  expect(report.wrongKey).toMatchObject({ _tag: "TimApiError", code: 70009, reason: "Credentials" })
}

/** Deno and Bun run the same scenario script, importing the published ESM unbundled. */
const unbundled = [
  { name: "Deno", runtime: "deno", script: "deno.ts", version: /^deno 2\./, userAgent: /^Deno\// },
  { name: "Bun", runtime: "bun", script: "bun.ts", version: /^1\./, userAgent: /^Bun\// }
] as const

for (const { name, runtime, script, userAgent, version } of unbundled) {
  describe(name, () => {
    it("has a working binary from npm", async () => {
      expect(await runtimeVersion(runtime)).toMatch(version)
    })

    it(
      "runs the published ESM unbundled: signs with Web Crypto, gets tags and typed errors from the emulator",
      async () => {
        const report = (await runInRuntime(runtime, script, [config()])) as Report
        expect(report.userAgent).toMatch(userAgent)
        expect(report.resolved?.core).toMatch(/\/packages\/core\/dist\/index\.js$/)
        expect(report.resolved?.fetch).toMatch(/\/packages\/platform-fetch\/dist\/index\.js$/)
        await expectScenario(report)
      },
      90_000
    )
  })
}

describe("workerd (Miniflare), without nodejs_compat", () => {
  it("bundles the published ESM, not the sources, and nothing from node:*", async () => {
    const bundle = await bundleWorker(join(runtimeTestsDir, "worker.ts"))
    const ours = bundle.inputs.filter((p) => p.startsWith("packages/"))
    expect(ours.filter((p) => p.startsWith("packages/core/dist/")).length).toBeGreaterThan(5)
    expect(ours.filter((p) => p.startsWith("packages/platform-fetch/dist/")).length).toBeGreaterThan(0)
    expect(ours.filter((p) => !p.includes("/dist/") && !p.startsWith("packages/platform-fetch/runtime-tests/")))
      .toEqual([])
    expect(bundle.inputs.filter((p) => p.startsWith("node:"))).toEqual([])
  })

  it("signs with Web Crypto, gets tags and typed errors from the emulator", async () => {
    const bundle = await bundleWorker(join(runtimeTestsDir, "worker.ts"))
    const mf = await startWorker(bundle.code)
    try {
      const response = await mf.dispatchFetch("http://worker.test/", { method: "POST", body: config() })
      expect(response.status).toBe(200)
      const report = (await response.json()) as Report
      expect(report.userAgent).toBe("Cloudflare-Workers")
      expect(report.nodeLike).toBe(false)
      await expectScenario(report)
    } finally {
      await mf.dispose()
    }
  }, 90_000)
})
