/**
 * Measures `examples/edge-worker.ts`: its bundle size (esbuild --minify, then gzip -9), what it is
 * made of (by package and by module, from esbuild's metafile), and the per-request latency it adds
 * over a bare `fetch` worker (`runtime-tests/bare-worker.ts`), both in workerd (Miniflare, no
 * nodejs_compat) against the emulator on loopback.
 *
 *   npx -y pnpm@10.34.9 build && npx -y pnpm@10.34.9 --filter @timtags/platform-fetch bench:edge [--requests 500]
 *
 * `--analyze` prints the breakdown (every package, the `--top` largest modules) and stops there;
 * `--why effect/dist/Schema.js` adds the import chain that brings a module in (repeatable);
 * `--metafile out.json` writes esbuild's metafile (for https://esbuild.github.io/analyze/);
 * `--entry path/to/worker.ts` measures another worker instead of the example.
 *
 * Requests go one at a time, alternating bare/example, paced at one pair every 20 ms so that the
 * client's rate limiter (100 calls/s) never delays one. Latency is measured in Node around
 * `dispatchFetch` (request in, whole JSON body read); both workers pay the same dispatch cost.
 */
import { Emulator, UserSigVerifier } from "@timtags/emulator"
import { writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import { formatReport, importChains, report } from "../tools/bundleReport.js"
import { assertBuilt, bundleWorker, repoDir, runtimeTestsDir, startWorker } from "../tools/edge.js"

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    requests: { type: "string", default: "500" },
    warmup: { type: "string", default: "50" },
    analyze: { type: "boolean", default: false },
    top: { type: "string", default: "40" },
    why: { type: "string", multiple: true, default: [] },
    metafile: { type: "string" },
    entry: { type: "string", default: join(repoDir, "examples", "edge-worker.ts") }
  }
})
const requests = Number(values.requests)
const warmup = Number(values.warmup)
const entry = resolve(process.cwd(), values.entry)

const sdkAppId = 1400000005
const secretKey = "edge-bench-key"
const path = "/tags?account=alice&account=bob"

const quantile = (sorted: ReadonlyArray<number>, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
const ms = (x: number) => `${x.toFixed(2)} ms`
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

assertBuilt()
const minified = await bundleWorker(entry, { minify: true, sourceMap: true })
const sizes = report(minified.code, minified.metafile, minified.sourceMap!)
console.log(
  `bundle (esbuild --bundle --minify, ESM): ${sizes.bytes} bytes (${kib(sizes.bytes)}), gzip -9: ${sizes.gzip} bytes (${
    kib(sizes.gzip)
  })`
)
console.log(
  `  by package (minified / gzip alone): ${
    sizes.packages.map((p) => `${p.name} ${kib(p.bytes)} / ${kib(p.gzip)}`).join(", ")
  }`
)
if (values.metafile !== undefined) writeFileSync(values.metafile, JSON.stringify(minified.metafile))
for (const needle of values.why) {
  const chains = importChains(minified.metafile, needle)
  console.log(`\nwhy ${needle}:${chains.length === 0 ? " not in the bundle" : ""}`)
  for (const chain of chains) console.log(`  ${chain.join(" -> ")}`)
}
if (values.analyze) {
  console.log(`\n${formatReport(sizes, Number(values.top))}`)
  process.exit(0)
}

const emulator = await Emulator.startEmulator({
  sdkAppId,
  secretKey,
  rateLimit: Infinity,
  seed: { alice: ["vip", "beta"], bob: [] }
})
const example = await startWorker(
  (await bundleWorker(entry, { minify: true })).code,
  {
    bindings: { TIM_SDKAPPID: String(sdkAppId), TIM_SECRET_KEY: secretKey, TIM_BASE_URL: emulator.baseUrl }
  }
)
const bare = await startWorker((await bundleWorker(join(runtimeTestsDir, "bare-worker.ts"), { minify: true })).code, {
  bindings: {
    BASE_URL: emulator.baseUrl,
    SDKAPPID: String(sdkAppId),
    USERSIG: UserSigVerifier.signUserSig({ sdkAppId, secretKey, identifier: "administrator" })
  }
})

const once = async (worker: typeof bare) => {
  const started = performance.now()
  const response = await worker.dispatchFetch(`http://bench.test${path}`)
  const body = (await response.json()) as { tags?: Record<string, unknown> }
  const elapsed = performance.now() - started
  if (response.status !== 200 || body.tags?.alice === undefined) {
    throw new Error(`unexpected answer ${response.status} ${JSON.stringify(body)}`)
  }
  return elapsed
}
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

try {
  const cold = { bare: await once(bare), example: await once(example) }
  for (let i = 0; i < warmup; i++) {
    await once(bare)
    await once(example)
    await sleep(20)
  }
  const samples = { bare: [] as Array<number>, example: [] as Array<number> }
  for (let i = 0; i < requests; i++) {
    const started = performance.now()
    if (i % 2 === 0) {
      samples.bare.push(await once(bare))
      samples.example.push(await once(example))
    } else {
      samples.example.push(await once(example))
      samples.bare.push(await once(bare))
    }
    await sleep(Math.max(0, 20 - (performance.now() - started)))
  }
  const stats = (xs: Array<number>) => {
    const sorted = [...xs].sort((a, b) => a - b)
    return { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99) }
  }
  const b = stats(samples.bare)
  const e = stats(samples.example)
  const diffs = samples.example.map((x, i) => x - samples.bare[i]!).sort((x, y) => x - y)
  console.log(
    `latency over ${requests} sequential requests each (GET ${path}, 1 get_tag call), workerd via Miniflare dispatchFetch:`
  )
  console.log(
    `  bare fetch worker:   p50 ${ms(b.p50)}  p90 ${ms(b.p90)}  p99 ${ms(b.p99)}  (first request ${ms(cold.bare)})`
  )
  console.log(
    `  examples/edge-worker: p50 ${ms(e.p50)}  p90 ${ms(e.p90)}  p99 ${ms(e.p99)}  (first request ${ms(cold.example)})`
  )
  console.log(
    `  added per request: ${ms(e.p50 - b.p50)} (difference of medians); median of paired differences ${
      ms(quantile(diffs, 0.5))
    }`
  )
} finally {
  await example.dispose()
  await bare.dispose()
  await emulator.close()
}
