/**
 * On a terminal (a pseudo-terminal from util-linux `script`): a table by default, and the progress line on
 * stderr once work takes over half a second; in a pipe or with `--quiet`, no progress.
 */
import { assert, beforeEach, describe, it } from "@effect/vitest"
import { ndjson, timtags, useEmulator } from "./support/cli.js"
import { hasScript, onTerminal as onTerminalWith } from "./support/terminal.js"

const fixture = useEmulator({ seed: { alice: ["vip"], bob: ["eu"] } })
beforeEach(() => fixture.emulator.clearFaults())

const onTerminal = (args: ReadonlyArray<string>) => onTerminalWith(args, fixture.env)

/** Makes the next get_tag call take 1.5 s, so that progress has time to show. */
const slowly = () =>
  fixture.emulator.injectFault({ command: "get_tag", times: 1, fault: { _tag: "Delay", millis: 1500 } })

describe.skipIf(!hasScript)("on a terminal", () => {
  it("prints a table by default, and progress with done/total, rate and failures on stderr", async () => {
    await slowly()
    const { code, screen } = await onTerminal(["get-tag", "alice", "bob"])
    assert.strictEqual(code, 0, screen)
    assert.include(screen, "\x1b[2KACCOUNT  STATUS  TAGS  ERROR\r\nalice    ok      vip\r\nbob      ok      eu\r\n")
    assert.match(screen, /0\/2 accounts \(0%\) · 0\/s · 0 failed/)
    assert.match(screen, /2\/2 accounts \(100%\) · \d+\/s · 0 failed\r\n/)
  })

  it("shows no progress with --quiet", async () => {
    await slowly()
    const { code, screen } = await onTerminal(["get-tag", "alice", "--quiet"])
    assert.strictEqual(code, 0, screen)
    assert.notInclude(screen, "accounts (")
  })
})

describe("in a pipe", () => {
  it("prints NDJSON and no progress, however long the work takes", async () => {
    await slowly()
    const ran = await timtags(["get-tag", "alice", "bob"], { env: fixture.env })
    assert.strictEqual(ran.code, 0, ran.stderr)
    assert.strictEqual(ndjson(ran.stdout).length, 2)
    assert.strictEqual(ran.stderr, "")
  })
})
