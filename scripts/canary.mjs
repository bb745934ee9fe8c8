#!/usr/bin/env node
// `pnpm canary`: does timtags still work with the newest releases of its peers (effect, @effect/platform-node)?
//
// `pnpm test` installs the versions the packages' peer ranges allow (e.g. effect@~4.1.0), so it passes on any
// day. This canary installs `latest` instead, even outside those ranges, and runs the packaging tests
// (tests/packaging: the packed tarballs in a fresh npm app, type-checked and run against the emulator). It ends
// with a plain summary: which latest versions it tried, whether they are inside the ranges a user installs
// with, and which tests broke, with the first line of each failure. Exit code 0 only when latest is inside
// the ranges and every test passed. It needs the npm registry, and builds first.
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const repo = resolve(fileURLToPath(new URL("..", import.meta.url)))
const bin = (name) => join(repo, "node_modules", ".bin", name)

/** The peer ranges of the published packages, other than our own: `{ effect: "~4.1.0", ... }`. */
const peerRanges = () => {
  const ranges = {}
  for (const name of readdirSync(join(repo, "packages"))) {
    const file = join(repo, "packages", name, "package.json")
    if (!existsSync(file)) continue
    const manifest = JSON.parse(readFileSync(file, "utf8"))
    if (manifest.private === true) continue
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (!peer.startsWith("@timtags/")) ranges[peer] = range
    }
  }
  return ranges
}

/** npm's environment without the settings pnpm passes its scripts (npm warns about each it does not know). */
const npmEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) =>
    !/^npm_config_/i.test(name) ||
    /^npm_config_(registry|cache|userconfig|proxy|https_proxy|noproxy|strict_ssl|cafile)$/i.test(name)
  )
)

const npmView = (spec) =>
  JSON.parse(execFileSync("npm", ["view", spec, "version", "--json"], { encoding: "utf8", env: npmEnv }))

const peers = Object.entries(peerRanges()).map(([name, range]) => {
  const latest = npmView(`${name}@latest`)
  const allowed = [npmView(`${name}@${range}`)].flat()
  return { name, range, latest, inside: allowed.includes(latest) }
})

console.log("canary: the peers' latest releases against the packages' peer ranges")
for (const { inside, latest, name, range } of peers) {
  console.log(`  ${name}@${latest} (latest): ${inside ? "inside" : "OUTSIDE"} the peer range ${range}`)
}

console.log("\ncanary: building, then running tests/packaging with the latest peers\n")
const build = spawnSync(bin("tsc"), ["-b", "tsconfig.build.json"], { cwd: repo, stdio: "inherit" })
if (build.status !== 0) {
  console.error("canary: the build failed (see above); nothing was tested")
  process.exit(1)
}
// The root vitest config writes its JSON report to test-results.json.
const report = join(repo, "test-results.json")
rmSync(report, { force: true })
spawnSync(bin("vitest"), ["run", "--project", "packaging"], {
  cwd: repo,
  stdio: "inherit",
  env: { ...process.env, TIMTAGS_PACKAGING_PEERS: "latest" }
})

const results = existsSync(report) ? JSON.parse(readFileSync(report, "utf8")) : undefined
const tests = (results?.testResults ?? []).flatMap((file) => file.assertionResults ?? [])
const failed = tests.filter((test) => test.status === "failed")
const tried = peers.map(({ latest, name }) => `${name}@${latest}`).join(", ")
const outside = peers.filter(({ inside }) => !inside)

console.log(`\ncanary summary (${tried}):`)
if (outside.length > 0) {
  console.log(
    `- ${outside.map(({ latest, name, range }) => `${name} ${latest} is outside ${range}`).join("; ")}: an app ` +
      "installing the latest release next to timtags gets a peer-dependency conflict (npm ERESOLVE) until the " +
      "ranges are widened; widen them once the tests below pass."
  )
}
if (results === undefined) {
  console.log("- the packaging tests did not run to the end (no report; see the output above)")
} else if (failed.length === 0) {
  console.log(`- all ${tests.length} packaging tests pass with the latest peers`)
} else {
  console.log(`- ${failed.length} of ${tests.length} packaging tests broke with the latest peers:`)
  for (const test of failed) {
    const first = (test.failureMessages?.[0] ?? "").split("\n").find((line) => line.trim() !== "") ?? ""
    console.log(`  - ${test.fullName}: ${first.slice(0, 300)}`)
  }
}
process.exit(outside.length === 0 && results !== undefined && failed.length === 0 ? 0 : 1)
