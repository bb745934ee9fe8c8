/**
 * Is sharing a `get_tag` already in flight worth keeping? Effect's `RequestResolver` merges nothing by
 * itself; `PushTags` lets a lookup ride along on one for the same account that waits for its batch
 * (always) or is already in flight (`shareInFlight`, the default). This scenario measures the second part:
 * 50 fibers, started 1.6 ms apart (so their lookups arrive spread over each 80 ms round trip rather than in
 * lockstep), each look up 40 accounts one after the other, drawn from a skewed (Zipf, s = 1.1)
 * distribution over 1,000 accounts with a fixed seed, against an emulator that answers every `get_tag`
 * after 80 ms (a round trip to Tencent from another region). Same workload with `shareInFlight` on and
 * off: calls and accounts sent, lookup latency. Client limiter off, emulator uncapped, so that only
 * sharing differs.
 */
import { RateLimit } from "@timtags/core"
import * as Effect from "effect/Effect"
import { accountName, tagsFor } from "../accounts.js"
import { type BenchClient, withClient } from "../client.js"
import { type EmulatorProcess, withEmulator } from "../emulator.js"
import type { Scenario } from "../Scenario.js"
import { percentile, prng, round } from "../stats.js"

const fibers = 50
const perFiber = 40
const accounts = 1_000
const delayMillis = 80

/** Each fiber's accounts: a Zipf(1.1) draw over `accounts`, fixed seed. */
const workload = (): Array<Array<string>> => {
  const random = prng(7)
  const weights = Array.from({ length: accounts }, (_, k) => 1 / (k + 1) ** 1.1)
  const total = weights.reduce((a, b) => a + b, 0)
  const cumulative: Array<number> = []
  weights.reduce((sum, w, k) => (cumulative[k] = sum + w / total), 0)
  const draw = () => {
    const r = random()
    const k = cumulative.findIndex((c) => c >= r)
    return accountName("s", k < 0 ? accounts - 1 : k)
  }
  return Array.from({ length: fibers }, () => Array.from({ length: perFiber }, draw))
}

const measure = async (emulator: EmulatorProcess, { run, tags }: BenchClient, lists: Array<Array<string>>) => {
  await emulator.resetCalls()
  const latency: Array<number> = []
  const lookups = Effect.forEach(lists, (list, i) =>
    Effect.forEach(list, (account) =>
      Effect.suspend(() => {
        const t0 = performance.now()
        return tags.getTags(account).pipe(Effect.tap(() => Effect.sync(() => latency.push(performance.now() - t0))))
      }), { discard: true }).pipe(Effect.delay(`${i * 1.6} millis`)), { concurrency: "unbounded", discard: true })
  const started = performance.now()
  await run(lookups)
  const wallMs = performance.now() - started
  const calls = (await emulator.calls()).filter((c) => c.command === "get_tag")
  return { calls: calls.length, accounts: calls.reduce((sum, c) => sum + c.accounts, 0), latency, wallMs }
}

export const sharing: Scenario = {
  name: "sharing",
  description: `${
    fibers * perFiber
  } lookups from ${fibers} fibers over ${accounts} skewed accounts, ${delayMillis} ms answers: in-flight sharing on vs off`,
  run: () =>
    withEmulator({ rateLimit: 0 }, async (emulator) => {
      await emulator.seedRange(accounts, (i) => accountName("s", i), tagsFor)
      await emulator.injectFault({
        command: "get_tag",
        times: "Infinity",
        fault: { _tag: "Delay", millis: delayMillis }
      })
      const lists = workload()
      const run = (shareInFlight: boolean) =>
        withClient(emulator.baseUrl, { rateLimit: RateLimit.layerDisabled, shareInFlight }, async (client) => {
          await measure(emulator, client, [[accountName("s", 0)]]) // connection, UserSig, JIT
          return measure(emulator, client, lists)
        })
      const on = await run(true)
      const off = await run(false)
      return {
        figures: [
          { label: "get_tag calls, sharing in flight", value: on.calls, unit: "" },
          { label: "get_tag calls, not sharing in flight", value: off.calls, unit: "" },
          { label: "accounts sent, sharing in flight", value: on.accounts, unit: "" },
          { label: "accounts sent, not sharing in flight", value: off.accounts, unit: "" },
          {
            label: "accounts sent saved by sharing in flight",
            value: round(100 * (1 - on.accounts / off.accounts), 1),
            unit: "%"
          },
          { label: "lookup latency p50, sharing in flight", value: round(percentile(on.latency, 50), 1), unit: "ms" },
          {
            label: "lookup latency p50, not sharing in flight",
            value: round(percentile(off.latency, 50), 1),
            unit: "ms"
          },
          { label: "wall time, sharing in flight", value: round(on.wallMs, 0), unit: "ms" },
          { label: "wall time, not sharing in flight", value: round(off.wallMs, 0), unit: "ms" }
        ],
        notes: `${
          fibers * perFiber
        } lookups; every get_tag answered after ${delayMillis} ms; client limiter off, emulator uncapped.`
      }
    })
}
