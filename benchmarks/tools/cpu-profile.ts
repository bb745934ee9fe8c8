/**
 * Where a lookup's CPU time goes: runs `getTagsMany` over COUNT accounts (uncapped emulator, client
 * limiter off, as the `overhead` scenario) RUNS times in a child (bundled, plain `node`, built packages;
 * `--root DIR` for another checkout such as v0.2.0's) after as many warm-ups, with V8's CPU profiler on
 * during the measured runs, and prints self time per account by package and by function. Writes the
 * `.cpuprofile` (loadable in DevTools) to `benchmarks/.tmp/`.
 *
 * `tsx benchmarks/tools/cpu-profile.ts [COUNT] [RUNS] [--root DIR]`. A tool, not a scenario.
 */
import * as Result from "effect/Result"
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { accountName, accountNames } from "../accounts.js"
import { childMain, isMain, runChild } from "../child.js"
import { withEmulator } from "../emulator.js"
import { makePortableClient } from "../portable.js"
import { type CallFrame, frameName, packageOf, rootOption, seededTags } from "./scripts.js"

interface ProfileNode {
  readonly id: number
  readonly callFrame: CallFrame
  readonly hitCount?: number
}

interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly startTime: number
  readonly endTime: number
  readonly samples: ReadonlyArray<number>
}

/** Self time (µs) per `key`, largest first. */
const selfTimes = (profile: Profile, key: (node: ProfileNode) => string) => {
  const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length)
  const sums = new Map<string, number>()
  for (const node of profile.nodes) {
    if ((node.hitCount ?? 0) > 0) sums.set(key(node), (sums.get(key(node)) ?? 0) + node.hitCount! * interval)
  }
  return [...sums].sort((a, b) => b[1] - a[1])
}

const child = async ([baseUrl, countText, runsText]: ReadonlyArray<string>) => {
  const count = Number(countText)
  const runs = Number(runsText)
  const client = await makePortableClient(baseUrl!, false)
  const names = accountNames("c", count)
  const once = async () => {
    const results = await client.run(client.tags.getTagsMany(names))
    if ([...results.values()].some(Result.isFailure)) throw new Error("some lookups failed")
  }
  for (let i = 0; i < runs; i++) await once()
  const session = new Session()
  session.connect()
  await session.post("Profiler.enable")
  await session.post("Profiler.setSamplingInterval", { interval: 100 })
  await session.post("Profiler.start")
  const cpu = process.cpuUsage()
  for (let i = 0; i < runs; i++) await once()
  const used = process.cpuUsage(cpu)
  const { profile } = await session.post("Profiler.stop") as unknown as { profile: Profile }
  session.disconnect()
  await client.dispose()
  const file = join(fileURLToPath(new URL("../.tmp/", import.meta.url)), `cpu-${process.pid}.cpuprofile`)
  writeFileSync(file, JSON.stringify(profile))
  const accounts = count * runs
  const perAccount = (entries: Array<[string, number]>) =>
    entries.slice(0, 30).map(([name, micros]) => ({ name, micros: Math.round((micros / accounts) * 1000) / 1000 }))
  return {
    file,
    cpuMicrosPerAccount: (used.user + used.system) / accounts,
    byPackage: perAccount(selfTimes(profile, (n) => packageOf(n.callFrame.url))),
    byFunction: perAccount(selfTimes(profile, (n) => frameName(n.callFrame)))
  }
}

const main = async () => {
  const args = process.argv.slice(2)
  const { rest, root } = rootOption(args)
  const [countText = "50000", runsText = "5"] = rest
  const count = Number(countText)
  await withEmulator({ rateLimit: 0 }, async (emulator) => {
    await emulator.seedRange(count, (i) => accountName("c", i), seededTags, 50_000)
    const r = await runChild<Awaited<ReturnType<typeof child>>>(import.meta.url, [
      emulator.baseUrl,
      countText,
      runsText
    ], {
      compiled: true,
      root
    })
    console.log(
      `getTagsMany of ${count} × ${runsText}: ${r.cpuMicrosPerAccount.toFixed(2)} µs CPU per account; profile ${r.file}`
    )
    console.log("\nself time by package (µs per account):")
    for (const e of r.byPackage) console.log(`${e.micros.toFixed(3).padStart(8)}  ${e.name}`)
    console.log("\nself time by function (µs per account):")
    for (const e of r.byFunction) console.log(`${e.micros.toFixed(3).padStart(8)}  ${e.name}`)
  })
}

if (isMain(import.meta.url)) {
  if (process.argv.length > 2 && process.argv[2]!.startsWith("http")) childMain(child)
  else {
    main().catch((error) => {
      console.error(error)
      process.exit(1)
    })
  }
}
