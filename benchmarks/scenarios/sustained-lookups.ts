/**
 * Single-account lookups from many fibers, sustained, at Tencent's cap (what an API server does): 500 fibers
 * each look up random accounts one after the other for 8 s against the emulator at 100 calls per second. The
 * rate limiter is the bottleneck, so what decides throughput is how many accounts each call carries: a batch
 * closes when its 5 ms window ends *and* the calls of its command queued before it have gone, filling up
 * meanwhile. Lookups per second, accounts per call, latency, refusals.
 */
import * as Effect from "effect/Effect"
import { accountName, tagsFor } from "../accounts.js"
import { withClient } from "../client.js"
import { withEmulator } from "../emulator.js"
import type { Scenario } from "../Scenario.js"
import { percentile, prng, round, scaled } from "../stats.js"

const fibers = 500
const accounts = 20_000
const seconds = scaled(8, 1)

export const sustainedLookups: Scenario = {
  name: "sustained-lookups",
  description: `${fibers} fibers looking up single accounts for ${seconds} s at the emulator's 100 calls/s`,
  run: () =>
    withEmulator({}, async (emulator) => {
      await emulator.seedRange(accounts, (i) => accountName("l", i), tagsFor)
      return withClient(emulator.baseUrl, {}, async ({ run, tags }) => {
        await run(tags.getTags(accountName("l", 0))) // connection, UserSig, JIT
        await emulator.resetCalls()
        const random = prng(11)
        const latency: Array<number> = []
        let done = 0
        const stopAt = performance.now() + seconds * 1000
        const loop = Effect.whileLoop({
          while: () => performance.now() < stopAt,
          body: () =>
            Effect.suspend(() => {
              const t0 = performance.now()
              return Effect.map(tags.getTags(accountName("l", Math.floor(random() * accounts))), () => {
                latency.push(performance.now() - t0)
                done++
              })
            }),
          step: () => {}
        })
        const started = performance.now()
        await run(Effect.forEach(Array.from({ length: fibers }), () => loop, { concurrency: "unbounded" }))
        const wallSeconds = (performance.now() - started) / 1000
        const calls = (await emulator.calls()).filter((c) => c.command === "get_tag")
        const accepted = calls.filter((c) => c.errorCode === 0)
        return {
          figures: [
            { label: "lookups per second", value: round(done / wallSeconds, 0), unit: "/s" },
            {
              label: "accounts per accepted call",
              value: round(accepted.reduce((n, c) => n + c.accounts, 0) / accepted.length, 1),
              unit: ""
            },
            { label: "lookup latency p50", value: round(percentile(latency, 50), 0), unit: "ms" },
            { label: "lookup latency p99", value: round(percentile(latency, 99), 0), unit: "ms" },
            {
              label: "60007 answers",
              value: calls.filter((c) => c.errorCode === 60007).length,
              unit: "",
              target: "0",
              met: calls.every((c) => c.errorCode !== 60007)
            }
          ],
          notes: `${fibers} fibers, ${accounts} accounts drawn at random, ${seconds} s, emulator at 100 calls/s.`
        }
      })
    })
}
