/**
 * The examples run as a user runs them (`pnpm example examples/<name>.ts`: tsx on the sources), each in its
 * own process against the emulator it starts itself, and say what they promise. None of them touches the
 * real service: that takes `--real`, which these runs never give; credentials in the environment alone do not.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { mkdtemp, readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const examples = dirname(dirname(fileURLToPath(import.meta.url)))
const tsx = createRequire(import.meta.url).resolve("tsx/cli")

/**
 * Credentials and an address such as a developer's shell may hold: an example run without `--real` must not
 * use them (the address is a closed loopback port, so a call to it would fail the run).
 */
const realLooking = {
  TIM_SDKAPPID: "1400000001",
  TIM_SECRET_KEY: "a-real-looking-secret-key",
  TIM_BASE_URL: "http://127.0.0.1:9",
  TIM_ACCOUNTS: "someone"
}

/**
 * Runs one example to its end and returns what it printed; the environment holds no `TIM_*` but `extraEnv`'s.
 */
const run = async (name: string, args: ReadonlyArray<string> = [], extraEnv: Record<string, string> = {}) => {
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("TIM_"))),
    ...extraEnv
  }
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [tsx, "--conditions=@timtags/source", join(examples, name), ...args],
    { env, timeout: 60_000 }
  )
  return stdout
}

describe("examples", () => {
  it("get-tags (the demo): 300 accounts, 6 deliberate failures, 3 calls", async () => {
    const out = await run("get-tags.ts")
    expect(out).toMatch(/300 accounts \(294 found, 6 failed\), 3 HTTP calls/)
    expect(out).toContain("on purpose: never imported")
  })

  it("get-tags and export-tags: TIM_* credentials in the environment alone leave them on the emulator", async () => {
    const out = await run("get-tags.ts", [], realLooking)
    expect(out).toMatch(/300 accounts \(294 found, 6 failed\), 3 HTTP calls/)
    const file = join(await mkdtemp(join(tmpdir(), "timtags-export-")), "tags.ndjson")
    await run("export-tags.ts", ["--generate", "200", file], realLooking)
    const lines = (await readFile(file, "utf8")).trim().split("\n").map((line) => JSON.parse(line))
    expect(lines.filter((line) => Array.isArray(line.tags)).length).toBe(200)
  })

  it("tag-lifecycle: every step, and a per-account outcome", async () => {
    const out = await run("tag-lifecycle.ts")
    expect(out).toMatch(/clearAllTags\(alice\)\s+alice: \[\]/)
    expect(out).toMatch(/mallory\s+TimAccountError/)
  })

  it("attributes: names, values, a refusal alone, and a type that never changes", async () => {
    const out = await run("attributes.ts")
    expect(out).toContain("8=example_city (UserID)")
    expect(out).toMatch(/timtags-example-3\s+invalid attribute name "planet"/)
    expect(out).toMatch(/timtags-example-1\s+\{"example_city":"Lisbon"\}/)
    expect(out).toContain("can never change")
  })

  it("push-by-tag: the recipients the emulator resolved, an empty condition refused, a lost answer not resent", async () => {
    const out = await run("push-by-tag.ts")
    expect(out).toContain("resolved 3 recipients: timtags-example-1, timtags-example-2, timtags-example-3")
    expect(out).toContain("an empty condition is refused")
    expect(out).toContain("TimOutcomeUnknownError, not resent (1 more push recorded)")
  })

  it("export-tags: streams generated accounts to NDJSON, one line each", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "timtags-export-")), "tags.ndjson")
    await run("export-tags.ts", ["--generate", "1000", file])
    const lines = (await readFile(file, "utf8")).trim().split("\n").map((line) => JSON.parse(line))
    expect(lines).toHaveLength(1000)
    expect(lines[0]).toMatchObject({ account: "user0" })
  })
})
