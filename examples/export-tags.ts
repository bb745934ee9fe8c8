/**
 * Export the tags of a large list of accounts to NDJSON, streaming: one line per account,
 * `{"account":"…","tags":[…]}` or `{"account":"…","error":{"_tag":"…","code":…,"message":"…"}}`,
 * with a progress bar on stderr. Memory stays bounded whatever the list's length.
 *
 * It starts the emulator (100 calls per sliding second, as Tencent) and seeds the accounts first,
 * whatever the environment holds. Usage:
 *
 *   npx -y pnpm@10.34.9 example examples/export-tags.ts [accounts.txt | --generate N] [out.ndjson]
 *
 * Only `--real` (with TIM_SDKAPPID, TIM_SECRET_KEY and TIM_REGION or TIM_BASE_URL set, and an accounts
 * file) exports from the real service.
 */
import { Client, PushTags, TimConfig } from "@timtags/core"
import { Emulator } from "@timtags/emulator"
import { NodePlatform } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { createReadStream, createWriteStream } from "node:fs"
import { createInterface } from "node:readline"

/** Credentials in the environment are not enough: the real service takes the explicit flag. */
const useRealService = process.argv.includes("--real")
const args = process.argv.slice(2).filter((arg) => arg !== "--real")
const generated = args[0] === "--generate" ? Number(args[1] ?? 20000) : args[0] === undefined ? 20000 : undefined
const inputFile = generated === undefined ? args[0] : undefined
const outFile = (generated === undefined ? args[1] : args[2]) ?? "tags.ndjson"

const app = { sdkAppId: 1400000000, secretKey: "demo-secret-key-not-a-real-one" } as const
const accountName = (i: number) => `user${i}`

/** The accounts, lazily: read line by line from a file, or generated. */
const accounts: Stream.Stream<string, Error> = inputFile !== undefined
  ? Stream.fromAsyncIterable(
    createInterface({ input: createReadStream(inputFile), crlfDelay: Infinity }),
    (e) => e as Error
  ).pipe(
    Stream.map((line) => line.trim()),
    Stream.filter((line) => line !== "")
  )
  : Stream.range(0, generated! - 1).pipe(Stream.map(accountName))

/** Seeds the emulator with the generated accounts (a few get no tags, every 1000th does not exist). */
const seedEmulator = Effect.gen(function*() {
  const emu = yield* Emulator.Emulator
  const pool = ["vip", "beta", "android", "ios", "eu", "gold"]
  for (let start = 0; start < (generated ?? 0); start += 10000) {
    const record: Record<string, ReadonlyArray<string>> = {}
    for (let i = start; i < Math.min(start + 10000, generated!); i++) {
      if (i % 1000 !== 999) record[accountName(i)] = pool.filter((_, t) => (i + t) % 3 === 0)
    }
    yield* emu.seed(record)
  }
})

const ConfigLive = useRealService
  ? TimConfig.layerConfig()
  : Layer.unwrap(Effect.map(Emulator.Emulator, (emu) => TimConfig.layer({ ...app, baseUrl: emu.baseUrl })))
const MainLive = Client.layer().pipe(
  Layer.provideMerge(ConfigLive),
  Layer.provide(NodePlatform.layer),
  Layer.provideMerge(useRealService ? Layer.succeed(Emulator.Emulator, undefined as never) : Emulator.layer(app))
)

const bar = (done: number, total: number | undefined, failed: number, elapsedMillis: number) => {
  const rate = done / Math.max(elapsedMillis / 1000, 0.001)
  if (total === undefined) return `\r${done} accounts, ${failed} failed, ${rate.toFixed(0)}/s`
  const width = 30
  const filled = Math.round((done / total) * width)
  return `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${failed} failed ${rate.toFixed(0)}/s`
}

const program = Effect.gen(function*() {
  if (!useRealService && inputFile === undefined) yield* seedEmulator
  const tags = yield* PushTags.PushTags
  const out = createWriteStream(outFile)
  const started = Date.now()
  let last = { accounts: 0, failed: 0, elapsedMillis: 0 }
  yield* tags.getTagsStream(accounts, {
    onProgress: (p) => {
      last = p
      process.stderr.write(bar(p.accounts, generated, p.failed, p.elapsedMillis))
    }
  }).pipe(
    Stream.map(({ account, result }) =>
      JSON.stringify(
        Result.isSuccess(result)
          ? { account, tags: result.success }
          : {
            account,
            error: {
              _tag: result.failure._tag,
              ...("code" in result.failure ? { code: result.failure.code } : {}),
              message: result.failure.message
            }
          }
      ) + "\n"
    ),
    Stream.runForEach((line) =>
      Effect.callback<void>((resume) => {
        if (out.write(line)) resume(Effect.void)
        else out.once("drain", () => resume(Effect.void))
      })
    )
  )
  yield* Effect.callback<void>((resume) => {
    out.end(() => resume(Effect.void))
  })
  const seconds = (Date.now() - started) / 1000
  process.stderr.write(
    `\nwrote ${last.accounts} accounts (${last.failed} failed) to ${outFile} in ${seconds.toFixed(1)} s\n`
  )
})

Effect.runPromise(program.pipe(Effect.provide(MainLive))).catch((error) => {
  console.error(String(error))
  process.exit(1)
})
