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
 * `--entry path/to/worker.ts` measures another worker instead of the example; `--compare
 * path/to/edge-worker.ts` measures a second one in the same sitting, request by request with the others
 * (the example of a checkout of a release tag, whose own packages it is bundled with): on a busy machine
 * only figures taken together compare.
 *
 * Requests go one at a time, one to each worker per round (the first a different one each round),
 * paced at one round every 20 ms so that the client's rate limiter (100 calls/s) never delays one.
 * Latency is measured in Node around `dispatchFetch` (request in, whole JSON body read); every
 * worker pays the same dispatch cost.
 */
import { Emulator, UserSigVerifier } from "@timtags/emulator"
import type { Miniflare } from "miniflare"
import { writeFileSync } from "node:fs"
import { join, relative, resolve } from "node:path"
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
    entry: { type: "string", default: join(repoDir, "examples", "edge-worker.ts") },
    compare: { type: "string" }
  }
})
const requests = Number(values.requests)
const warmup = Number(values.warmup)
const entry = resolve(process.cwd(), values.entry)
const compare = values.compare === undefined ? undefined : resolve(process.cwd(), values.compare)
const bareEntry = join(runtimeTestsDir, "bare-worker.ts")

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
const exampleBindings = { TIM_SDKAPPID: String(sdkAppId), TIM_SECRET_KEY: secretKey, TIM_BASE_URL: emulator.baseUrl }
const bareBindings = {
  BASE_URL: emulator.baseUrl,
  SDKAPPID: String(sdkAppId),
  USERSIG: UserSigVerifier.signUserSig({ sdkAppId, secretKey, identifier: "administrator" })
}
/** The workers measured, each in its own isolate: the bare one first, then the example, then `--compare`'s. */
const workers: Array<{ readonly name: string; readonly worker: Miniflare }> = [
  {
    name: "bare fetch worker",
    worker: await startWorker((await bundleWorker(bareEntry, { minify: true })).code, { bindings: bareBindings })
  },
  { name: relative(repoDir, entry), worker: await startWorker(minified.code, { bindings: exampleBindings }) }
]
if (compare !== undefined) {
  const code = (await bundleWorker(compare, { minify: true })).code
  workers.push({
    name: `${values.compare} (--compare)`,
    worker: await startWorker(code, { bindings: exampleBindings })
  })
}

const once = async (worker: Miniflare) => {
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
const stats = (xs: Array<number>) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99) }
}

try {
  const cold: Array<number> = []
  for (const { worker } of workers) cold.push(await once(worker))
  for (let i = 0; i < warmup; i++) {
    for (const { worker } of workers) await once(worker)
    await sleep(20)
  }
  // Each round sends one request to every worker, starting with a different one each time.
  const samples = workers.map(() => [] as Array<number>)
  for (let i = 0; i < requests; i++) {
    const started = performance.now()
    for (let k = 0; k < workers.length; k++) {
      const w = (i + k) % workers.length
      samples[w]!.push(await once(workers[w]!.worker))
    }
    await sleep(Math.max(0, 20 - (performance.now() - started)))
  }
  console.log(
    `latency over ${requests} sequential requests each (GET ${path}, 1 get_tag call), workerd via Miniflare dispatchFetch:`
  )
  const bare = stats(samples[0]!)
  workers.forEach(({ name }, w) => {
    const { p50, p90, p99 } = stats(samples[w]!)
    console.log(`  ${name}: p50 ${ms(p50)}  p90 ${ms(p90)}  p99 ${ms(p99)}  (first request ${ms(cold[w]!)})`)
    if (w === 0) return
    const diffs = samples[w]!.map((x, i) => x - samples[0]![i]!).sort((x, y) => x - y)
    console.log(
      `    added per request: ${ms(p50 - bare.p50)} (difference of medians); median of paired differences ${
        ms(quantile(diffs, 0.5))
      }`
    )
  })
} finally {
  for (const { worker } of workers) await worker.dispose()
  await emulator.close()
}
