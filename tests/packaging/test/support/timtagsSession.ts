/**
 * The `timtags` session the packaging test runs with the installed bin against a separately started emulator:
 * each command of `@timtags/cli` once, in an order where each step sees what the earlier ones did, with the exit
 * code and what its output must show. Files the steps read are written first (`files`).
 */

/** One run of `timtags args…`: its expected exit code, and a check of its stdout (throws on a mismatch). */
export interface Step {
  readonly args: ReadonlyArray<string>
  readonly code: number
  readonly check: (stdout: string) => void
}

/** The emulator's seed: accounts and their tags. */
export const seed = { alice: ["vip"], bob: [], carol: ["eu"] }

/** The files the steps read, by name (in the app's folder). */
export const files: Readonly<Record<string, string>> = {
  "cli-accounts.txt": "alice\nbob\ncarol\n",
  "cli-tags.csv": "account,tags\ncarol,gold;beta\n",
  "cli-note.json": JSON.stringify({ Title: "Hello", AndroidInfo: { HuaWeiCategory: "MARKETING" } })
}

const objects = (text: string): Array<any> =>
  text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line))

const same = (actual: unknown, expected: unknown, what: string) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

/** Rows as `[account, status, field]`. */
const rows = (stdout: string, field: string) =>
  objects(stdout).map((row) => [row.account, row.status, row[field] ?? row.error?.code])

/** The steps, in order. */
export const steps: ReadonlyArray<Step> = [
  {
    args: ["get-tag", "alice", "bob", "nobody"],
    code: 1,
    check: (out) =>
      same(rows(out, "tags"), [["alice", "ok", ["vip"]], ["bob", "ok", []], ["nobody", "failed", 70107]], "get-tag")
  },
  {
    args: ["add-tag", "--tag", "beta", "alice", "bob"],
    code: 0,
    check: (out) => same(objects(out).length, 2, "add-tag")
  },
  { args: ["remove-tag", "--tag", "vip", "alice"], code: 0, check: () => {} },
  { args: ["clear-tags", "bob"], code: 0, check: () => {} },
  { args: ["import", "cli-tags.csv"], code: 0, check: (out) => same(objects(out)[0].ok, 1, "import: ok") },
  {
    args: ["export", "--from", "cli-accounts.txt", "--out", "cli-export.ndjson"],
    code: 0,
    check: (out) => same([objects(out)[0].accounts, objects(out)[0].failed], [3, 0], "export summary")
  },
  {
    args: ["get-tag", "--from", "cli-accounts.txt"],
    code: 0,
    check: (out) =>
      same(
        rows(out, "tags"),
        [["alice", "ok", ["beta"]], ["bob", "ok", []], ["carol", "ok", ["eu", "gold", "beta"]]],
        "tags"
      )
  },
  {
    args: ["attrs", "names", "--set", "0=city"],
    code: 0,
    check: (out) => same(objects(out), [{ slot: 0, name: "city", accountType: "UserID" }], "attrs names")
  },
  { args: ["attrs", "set", "--attr", "city=Lisbon", "alice", "carol"], code: 0, check: () => {} },
  { args: ["attrs", "remove", "--name", "city", "carol"], code: 0, check: () => {} },
  {
    args: ["attrs", "get", "alice", "carol"],
    code: 0,
    check: (out) => same(rows(out, "attrs"), [["alice", "ok", { city: "Lisbon" }], ["carol", "ok", {}]], "attrs get")
  },
  {
    args: ["push", "--attrs-and", "city=Lisbon", "--notification", "cli-note.json", "--dry-run"],
    code: 0,
    check: (out) => {
      const [request] = JSON.parse(out).requests
      same(request.body.Condition, { AttrsAnd: { city: "Lisbon" } }, "push --dry-run: the condition")
      same(request.body.OfflinePushInfo, JSON.parse(files["cli-note.json"]!), "push --dry-run: the notification")
      same(request.recipients, ["alice"], "push --dry-run: the recipients")
    }
  },
  {
    args: ["push", "--tags-and", "beta", "--title", "Hi"],
    code: 2,
    check: (out) => same(out, "", "push without --yes")
  },
  {
    args: ["push", "--tags-and", "beta", "--title", "Hi", "--yes"],
    code: 0,
    check: (out) => same(objects(out)[0].status, "sent", "push --yes")
  },
  {
    args: ["push", "--accounts-from", "cli-accounts.txt", "--title", "Hi", "--yes"],
    code: 0,
    check: (out) => same(objects(out).map((row) => row.status), ["ok", "ok", "ok"], "push --accounts-from")
  },
  {
    args: ["emulator", "--help"],
    code: 0,
    check: (out) => {
      if (!out.includes("timtags emulator [flags]")) throw new Error(`emulator --help: ${out}`)
    }
  }
]

/** The recipients of the pushes the session makes, as the emulator records them. */
export const expectedPushes = [["alice", "carol"], ["alice", "bob", "carol"]]
