/**
 * Where a lookup's allocations come from: runs `getTagsStream` (or `getTagsMany`) over COUNT accounts
 * against a fresh uncapped emulator, in a child (bundled, plain `node`, built packages; `--root DIR` for
 * another checkout such as v0.2.0's), with V8's sampling heap profiler recording every allocation, garbage
 * included (`HeapProfiler.startSampling` with `includeObjectsCollectedByMajorGC/MinorGC`), and prints the
 * bytes per account by function and by package. With `--promoted`, objects that die young (in a
 * scavenge) are left out: what is left is what lived long enough to be promoted to the old generation,
 * or is still alive at the end. Writes the raw profile (`.heapprofile`, loadable in DevTools) to
 * `benchmarks/.tmp/`.
 *
 * `tsx benchmarks/tools/alloc-profile.ts [stream|many] [COUNT] [--promoted] [--root DIR]`. A tool, not a
 * scenario.
 */
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { accountName, accountNames } from "../accounts.js"
import { childMain, isMain, runChild } from "../child.js"
import { withEmulator } from "../emulator.js"
import { makePortableClient } from "../portable.js"
import { frameName, packageOf, rootOption, seededTags } from "./scripts.js"

interface ProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly selfSize: number
  readonly children: ReadonlyArray<ProfileNode>
}

/** Self sizes by `key(node)`, largest first. */
const totals = (root: ProfileNode, key: (node: ProfileNode) => string) => {
  const sums = new Map<string, number>()
  const visit = (node: ProfileNode) => {
    if (node.selfSize > 0) sums.set(key(node), (sums.get(key(node)) ?? 0) + node.selfSize)
    node.children.forEach(visit)
  }
  visit(root)
  return [...sums].sort((a, b) => b[1] - a[1])
}

const child = async ([baseUrl, kind, countText, promoted]: ReadonlyArray<string>) => {
  const count = Number(countText)
  const client = await makePortableClient(baseUrl!, false)
  await client.run(client.tags.getTagsMany(accountNames("p", 1_000))) // connection, UserSig, JIT
  const names = kind === "many" ? accountNames("p", count) : []
  const session = new Session()
  session.connect()
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: promoted !== "promoted"
  })
  if (kind === "many") {
    const results = await client.run(client.tags.getTagsMany(names))
    if ([...results.values()].some(Result.isFailure)) throw new Error("some lookups failed")
  } else {
    await client.run(Stream.runDrain(
      client.tags.getTagsStream(Stream.range(0, count - 1).pipe(Stream.map((i) => accountName("p", i))))
    ))
  }
  const { profile } = await session.post("HeapProfiler.stopSampling") as unknown as {
    profile: { head: ProfileNode }
  }
  session.disconnect()
  await client.dispose()
  const file = join(fileURLToPath(new URL("../.tmp/", import.meta.url)), `alloc-${kind}-${process.pid}.heapprofile`)
  writeFileSync(file, JSON.stringify(profile))
  const perAccount = (entries: Array<[string, number]>) =>
    entries.slice(0, 25).map(([name, bytes]) => ({ name, bytesPerAccount: Math.round((bytes / count) * 10) / 10 }))
  return {
    file,
    total: Math.round(totals(profile.head, () => "all")[0]![1] / count),
    byPackage: perAccount(totals(profile.head, (n) => packageOf(n.callFrame.url))),
    byFunction: perAccount(totals(profile.head, (n) => frameName(n.callFrame)))
  }
}

const main = async () => {
  const args = process.argv.slice(2)
  const { rest, root } = rootOption(args)
  const promoted = rest.includes("--promoted")
  const [kind = "stream", countText = "200000"] = rest.filter((a) => a !== "--promoted")
  const count = Number(countText)
  await withEmulator({ rateLimit: 0 }, async (emulator) => {
    await emulator.seedRange(count, (i) => accountName("p", i), seededTags, 50_000)
    const r = await runChild<Awaited<ReturnType<typeof child>>>(import.meta.url, [
      emulator.baseUrl,
      kind,
      String(count),
      promoted ? "promoted" : "all"
    ], {
      compiled: true,
      root
    })
    console.log(
      `${kind} of ${count} accounts: ~${r.total} B ${
        promoted ? "promoted or kept" : "allocated"
      } per account (sampled); profile ${r.file}`
    )
    console.log("\nby package (B per account):")
    for (const e of r.byPackage) console.log(`${String(e.bytesPerAccount).padStart(10)}  ${e.name}`)
    console.log("\nby function (B per account):")
    for (const e of r.byFunction) console.log(`${String(e.bytesPerAccount).padStart(10)}  ${e.name}`)
  })
}

if (isMain(import.meta.url)) {
  if (process.argv.length > 2 && process.argv[2]!.startsWith("http")) childMain(child)
  else {main().catch((error) => {
      console.error(error)
      process.exit(1)
    })}
}
