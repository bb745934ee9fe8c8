/**
 * What users write today: the official `tls-sig-api-v2` package signing a UserSig for every call, and one
 * `fetch` per account (`To_Account` of one account), 16 at a time, against the library's `getTagsMany` for
 * the same 2,000 accounts, both against an uncapped emulator. The naive loop is also run once against the
 * emulator's 100 calls/s limit, as the real service would answer it.
 */
import * as Result from "effect/Result"
import TLSSigAPIv2 from "tls-sig-api-v2"
import { accountName, accountNames, tagsFor } from "../accounts.js"
import { withClient } from "../client.js"
import { app, type EmulatorProcess, withEmulator } from "../emulator.js"
import { type GetTagAnswer, getTagUrl } from "../raw.js"
import type { Scenario } from "../Scenario.js"
import { mapConcurrent, round, timed } from "../stats.js"

const accountsCount = 2_000
const concurrency = 16

/** One account per call, a fresh UserSig per call; resolves with the accounts whose call failed. */
const naiveLookup = async (baseUrl: string, accounts: ReadonlyArray<string>): Promise<number> => {
  const results = await mapConcurrent(accounts, concurrency, async (account) => {
    const userSig = new TLSSigAPIv2.Api(app.sdkAppId, app.secretKey).genSig(app.admin, 86400)
    const res = await fetch(getTagUrl(baseUrl, userSig), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ To_Account: [account] })
    })
    const answer = (await res.json()) as GetTagAnswer
    return answer.ErrorCode === 0 ? answer.UserTags?.[0]?.Tags ?? [] : undefined
  })
  return results.filter((r) => r === undefined).length
}

const getTagCalls = async (emulator: EmulatorProcess) => (await emulator.stats()).byCommand["get_tag"] ?? 0

export const naive: Scenario = {
  name: "naive",
  description: `tls-sig-api-v2 + one fetch per account (${concurrency} at a time) vs getTagsMany, ${
    accountsCount.toLocaleString("en-US")
  } accounts, uncapped`,
  run: () =>
    withEmulator({ rateLimit: 0 }, async (emulator) => {
      await emulator.seedRange(accountsCount, (i) => accountName("n", i), tagsFor)
      const accounts = accountNames("n", accountsCount)
      // Warm both paths up (connections, JIT) on a few accounts, then count from zero.
      await naiveLookup(emulator.baseUrl, accounts.slice(0, 100))
      return withClient(emulator.baseUrl, {}, async ({ tags, run }) => {
        await run(tags.getTagsMany(accounts.slice(0, 100)))
        await new Promise((r) => setTimeout(r, 1100)) // the warm-up call leaves the client limiter's window
        await emulator.resetCalls()

        const naiveRun = await timed(() => naiveLookup(emulator.baseUrl, accounts))
        const naiveCalls = await getTagCalls(emulator)
        await emulator.resetCalls()
        const libraryRun = await timed(() => run(tags.getTagsMany(accounts)))
        const libraryCalls = await getTagCalls(emulator)
        const libraryFailed = [...libraryRun.value.values()].filter(Result.isFailure).length

        // The naive loop against the real service's limit of 100 calls per second.
        await emulator.setRateLimit(100)
        await new Promise((r) => setTimeout(r, 1100))
        await emulator.resetCalls()
        const cappedRun = await timed(() => naiveLookup(emulator.baseUrl, accounts))
        const refused = (await emulator.stats()).byErrorCode["60007"] ?? 0

        return {
          figures: [
            { label: "naive HTTP calls", value: naiveCalls, unit: "" },
            {
              label: "library HTTP calls",
              value: libraryCalls,
              unit: "",
              target: `${accountsCount / 100}`,
              met: libraryCalls === accountsCount / 100
            },
            { label: "naive wall time", value: round(naiveRun.ms, 0), unit: "ms" },
            { label: "library wall time", value: round(libraryRun.ms, 0), unit: "ms" },
            { label: "naive / library wall time", value: round(naiveRun.ms / libraryRun.ms, 1), unit: "x" },
            { label: "naive failed, uncapped", value: naiveRun.value, unit: "" },
            { label: "library failed", value: libraryFailed, unit: "", target: "0", met: libraryFailed === 0 },
            { label: "naive refused at 100 calls/s", value: refused, unit: "" }
          ],
          notes:
            `At the real service's 100 calls/s the naive loop needs ≥ ${
              accountsCount / 100
            } s for ${accountsCount} accounts; ` +
            `run as written against the emulator's limit it got ${refused} of ${accountsCount} calls refused with 60007 ` +
            `(${round(cappedRun.ms, 0)} ms, no retries).`
        }
      })
    })
}
