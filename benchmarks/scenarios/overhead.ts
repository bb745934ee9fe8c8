/**
 * What the library costs over hand-written calls: `getTagsMany` over 50,000 accounts (client limiter
 * disabled, so it measures overhead and not pacing) against plain undici `request`s POSTing the same
 * 100-account bodies to the same URL with a precomputed UserSig, both with 32 calls in flight, against an
 * uncapped emulator. Both are warmed up (3 runs each: the library's Effect code needs them to be
 * optimised), then run alternately 5 times; the medians are compared. Beside wall time, the client's
 * CPU time per account (`process.cpuUsage()` of this process over each run): on a busy machine wall
 * times move with the load, CPU time much less.
 */
import { Batching, RateLimit } from "@timtags/core"
import { UserSigVerifier } from "@timtags/emulator"
import * as Result from "effect/Result"
import { request } from "undici"
import { accountName, accountNames, chunksOf, tagsFor } from "../accounts.js"
import { withClient } from "../client.js"
import { app, withEmulator } from "../emulator.js"
import { busyWhile } from "../proc.js"
import { checkAnswer, type GetTagAnswer, getTagUrl } from "../raw.js"
import type { Scenario } from "../Scenario.js"
import { mapConcurrent, median, round } from "../stats.js"

const accountsCount = 50_000
const warmups = 3
const runs = 5
const concurrency = Batching.defaults.concurrency

/** The baseline: one undici `request` per 100 accounts, answers parsed into a map of tags. */
const rawLookup = async (baseUrl: string, userSig: string, accounts: ReadonlyArray<string>) => {
  const tags = new Map<string, ReadonlyArray<string>>()
  await mapConcurrent(chunksOf(accounts, 100), concurrency, async (chunk) => {
    const res = await request(getTagUrl(baseUrl, userSig), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ To_Account: chunk })
    })
    const answer = checkAnswer((await res.body.json()) as GetTagAnswer)
    for (const entry of answer.UserTags ?? []) tags.set(entry.To_Account, entry.Tags ?? [])
  })
  return tags
}

export const overhead: Scenario = {
  name: "overhead",
  description: `getTagsMany vs raw undici over ${
    accountsCount.toLocaleString("en-US")
  } accounts, ${concurrency} in flight, uncapped`,
  run: () =>
    withEmulator({ rateLimit: 0 }, async (emulator) => {
      await emulator.seedRange(accountsCount, (i) => accountName("o", i), tagsFor)
      const accounts = accountNames("o", accountsCount)
      const userSig = UserSigVerifier.signUserSig({
        sdkAppId: app.sdkAppId,
        secretKey: app.secretKey,
        identifier: app.admin
      })
      return withClient(emulator.baseUrl, { rateLimit: RateLimit.layerDisabled }, async ({ tags, run }) => {
        const library = async () => {
          const results = await run(tags.getTagsMany(accounts))
          const failed = [...results.values()].filter(Result.isFailure).length
          if (failed > 0) throw new Error(`library: ${failed} accounts failed`)
        }
        const raw = async () => {
          const found = await rawLookup(emulator.baseUrl, userSig, accounts)
          if (found.size !== accountsCount) throw new Error(`raw: ${accountsCount - found.size} accounts missing`)
        }
        for (let i = 0; i < warmups; i++) {
          await library()
          await raw()
        }
        const times = { library: [] as Array<number>, raw: [] as Array<number> }
        const cpu = { library: [] as Array<number>, raw: [] as Array<number> }
        const busy = { library: [] as Array<number>, raw: [] as Array<number> }
        for (let i = 0; i < runs; i++) {
          for (const [name, f] of [["library", library], ["raw", raw]] as const) {
            const cpu0 = process.cpuUsage()
            const r = await busyWhile(emulator.pid, f)
            const used = process.cpuUsage(cpu0)
            cpu[name].push((used.user + used.system) / accountsCount)
            times[name].push(r.ms)
            busy[name].push(r.busyPercent)
          }
        }
        const lib = median(times.library)
        const base = median(times.raw)
        const ratio = lib / base
        return {
          figures: [
            { label: "library wall time (median)", value: round(lib, 0), unit: "ms" },
            { label: "raw undici wall time (median)", value: round(base, 0), unit: "ms" },
            { label: "library / raw", value: round(ratio, 2), unit: "x", target: "≤ 1.25", met: ratio <= 1.25 },
            { label: "library accounts/s", value: round(accountsCount / (lib / 1000), 0), unit: "/s" },
            { label: "client CPU per account, library (median)", value: round(median(cpu.library), 2), unit: "µs" },
            { label: "client CPU per account, raw undici (median)", value: round(median(cpu.raw), 2), unit: "µs" },
            {
              label: "client CPU, library / raw",
              value: round(median(cpu.library) / median(cpu.raw), 2),
              unit: "x"
            },
            { label: "emulator CPU, library runs", value: round(median(busy.library), 0), unit: "% of a core" },
            { label: "emulator CPU, raw runs", value: round(median(busy.raw), 0), unit: "% of a core" }
          ],
          notes:
            `${runs} alternating runs each after ${warmups} warm-ups each; library runs ms: ${
              times.library.map((t) => t.toFixed(0)).join(", ")
            }; ` +
            `raw runs ms: ${times.raw.map((t) => t.toFixed(0)).join(", ")}.`
        }
      })
    })
}
