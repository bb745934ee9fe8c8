/**
 * `npx -y pnpm@10.34.9 worker`: serves `examples/edge-worker.ts` in workerd (Miniflare, no
 * nodejs_compat) on http://127.0.0.1:8787, bundled from the published ESM. Against an emulator
 * started here with a few seeded accounts, whatever the environment holds; only with `--real` does the
 * worker get the `TIM_*` variables as its bindings and call the real service.
 *
 *   npx -y pnpm@10.34.9 worker [--port 8787] [--real]
 *
 * Runs until Ctrl-C.
 */
import { Emulator } from "@timtags/emulator"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { bundleWorker, repoDir, startWorker } from "./edge.js"

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    port: { type: "string", default: process.env.PORT ?? "8787" },
    host: { type: "string", default: "127.0.0.1" },
    real: { type: "boolean", default: false }
  }
})

/** Credentials in the environment are not enough: the real service takes the explicit flag. */
const useRealService = values.real

const demoApp = { sdkAppId: 1400000000, secretKey: "demo-secret-key-not-a-real-one" } as const
const seed = { alice: ["vip", "beta"], bob: [], carol: ["ios", "night-owl"] }

const emulator = useRealService ? undefined : await Emulator.startEmulator({ ...demoApp, seed })
const bindings: Record<string, string> = emulator === undefined
  ? Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] =>
      entry[0].startsWith("TIM_") && entry[1] !== undefined
    )
  )
  : { TIM_SDKAPPID: String(demoApp.sdkAppId), TIM_SECRET_KEY: demoApp.secretKey, TIM_BASE_URL: emulator.baseUrl }

const bundle = await bundleWorker(join(repoDir, "examples", "edge-worker.ts"))
const worker = await startWorker(bundle.code, { bindings, port: Number(values.port), host: values.host })
const url = (await worker.ready).toString().replace(/\/$/, "")

console.log(
  emulator === undefined
    ? `examples/edge-worker.ts on workerd, calling the real service (SDKAppID ${bindings.TIM_SDKAPPID})`
    : `emulator on ${emulator.baseUrl} (accounts ${Object.keys(seed).join(", ")}); examples/edge-worker.ts on workerd`
)
console.log(`listening on ${url}; try:`)
console.log(`  curl -s '${url}/tags?account=alice&account=bob&account=nobody'`)
console.log(`  curl -s '${url}/tags'   # 400`)
if (emulator !== undefined) {
  console.log(
    `  curl -s -X POST ${emulator.baseUrl}/__emulator/faults -d '{"command":"get_tag","fault":{"_tag":"ErrorCode","code":90009}}'` +
      `; curl -s -i '${url}/tags?account=alice'   # 502`
  )
}
console.log("Ctrl-C to stop")

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await worker.dispose()
  await emulator?.close()
  process.exit(0)
}
process.on("SIGINT", () => void stop())
process.on("SIGTERM", () => void stop())
