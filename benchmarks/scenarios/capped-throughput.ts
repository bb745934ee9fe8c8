/**
 * 50,000 distinct seeded accounts through `getTagsMany` against an emulator enforcing its default 100
 * calls per sliding second, with the client's default limiter: how close the client runs to the ceiling of
 * 100 calls × 100 accounts = 10,000 accounts/s without ever being refused (60007).
 *
 * Sustained rate: a sliding-second limit lets the first 100 calls go at once, so accounts / wall time
 * overstates the rate of a short run (50,000 accounts can finish in ~4.1 s). Instead the rate is read from
 * the emulator's arrival times: with calls sorted by arrival, the k·100-th call can never arrive less than
 * k seconds after the first, so (accounts in calls 0 … k·100 − 1) / (arrival of call k·100 − arrival of
 * call 0) is at most 10,000/s whatever the pacing, and is exactly the rate the limiter sustains. Only
 * accepted calls count: a refused (60007) call carried nothing, and its retry arrives later.
 */
import { RateLimit } from "@timtags/core"
import * as Duration from "effect/Duration"
import * as Result from "effect/Result"
import { accountName, accountNames, tagsFor } from "../accounts.js"
import { withClient } from "../client.js"
import { withEmulator } from "../emulator.js"
import type { Scenario } from "../Scenario.js"
import { round, timed } from "../stats.js"
import { warmUp } from "../warmup.js"

const accountsCount = 50_000
const limit = 100
const ceiling = limit * 100

export const cappedThroughput: Scenario = {
  name: "capped-throughput",
  description: `getTagsMany over ${
    accountsCount.toLocaleString("en-US")
  } accounts, emulator limited to ${limit} calls/s`,
  run: () =>
    withEmulator({ rateLimit: limit }, async (emulator) => {
      await emulator.seedRange(accountsCount, (i) => accountName("t", i), tagsFor)
      await warmUp(emulator, accountNames("t", accountsCount))
      return withClient(emulator.baseUrl, {}, async ({ tags, run }) => {
        await run(tags.getTagsMany([accountName("t", 0)])) // connection and UserSig
        await new Promise((r) => setTimeout(r, 1100)) // out of both limiters' windows
        await emulator.resetCalls()

        const { value: results, ms } = await timed(() => run(tags.getTagsMany(accountNames("t", accountsCount))))
        const failed = [...results.values()].filter(Result.isFailure).length
        const stats = await emulator.stats()
        const log = (await emulator.calls()).filter((c) => c.command === "get_tag")
        // Only answered calls carry accounts; refused ones (60007) are retried by the client and counted below.
        const calls = log.filter((c) => !c.rateLimited).sort((a, b) => a.at - b.at)
        const k = Math.floor((calls.length - 1) / limit)
        const spanMs = calls[k * limit]!.at - calls[0]!.at
        const carried = calls.slice(0, k * limit).reduce((sum, c) => sum + c.accounts, 0)
        const sustained = carried / (spanMs / 1000)
        const throttled = stats.byErrorCode["60007"] ?? 0
        const maxInSecond = stats.maxInAnySecond["get_tag"]?.received ?? 0
        return {
          figures: [
            {
              label: "sustained accounts/s",
              value: round(sustained, 0),
              unit: "/s",
              target: `ceiling ${ceiling.toLocaleString("en-US")}`
            },
            {
              label: "sustained / ceiling",
              value: round((100 * sustained) / ceiling, 1),
              unit: "%",
              target: "≥ 95%",
              met: sustained >= 0.95 * ceiling
            },
            { label: "60007 answers", value: throttled, unit: "", target: "0", met: throttled === 0 },
            {
              label: "max calls in any second",
              value: maxInSecond,
              unit: "",
              target: `≤ ${limit}`,
              met: maxInSecond <= limit
            },
            { label: "failed accounts", value: failed, unit: "", target: "0", met: failed === 0 },
            { label: "wall time", value: round(ms, 0), unit: "ms" }
          ],
          notes:
            `${log.length} get_tag calls (${calls.length} accepted); sustained rate = accounts in the first ${
              k * limit
            } calls over the ` +
            `${spanMs} ms from the first call's arrival to call ${
              k * limit
            }'s (a sliding-second limit allows at most ` +
            `${ceiling.toLocaleString("en-US")}/s by this measure; the client's limiter adds a ${
              Duration.toMillis(RateLimit.defaults.margin)
            } ms margin per window).`
        }
      })
    })
}
