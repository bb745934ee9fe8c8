/**
 * The soak's command line: `pnpm soak [--duration 10m] [--processes 4] [--fault-rate 0.1] [--disruptions
 * redis-restart,redis-pause,worker-kill] [--out soak/results/latest] [--smoke]`. `--smoke` is the CI version:
 * 60 seconds, one Redis restart, written to `soak/results/smoke.*` (each can still be overridden).
 */

/** The disruptions the soak can schedule. */
export const disruptionKinds = ["redis-restart", "redis-pause", "worker-kill"] as const

/** One of them. */
export type DisruptionKind = typeof disruptionKinds[number]

/** What to run. */
export interface Options {
  readonly durationMillis: number
  readonly processes: number
  /** Share of calls that get a fault (split evenly between the four kinds). */
  readonly faultRate: number
  readonly disruptions: ReadonlyArray<DisruptionKind>
  /** Path of the results without extension: `<out>.json` and `<out>.svg`. */
  readonly out: string
}

const usage =
  "usage: pnpm soak [--duration 10m] [--processes 4] [--fault-rate 0.1] [--disruptions redis-restart,redis-pause,worker-kill] [--out soak/results/latest] [--smoke]"

/** `90s`, `10m`, `1h`, or a number of seconds. */
export const parseDuration = (text: string): number | undefined => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (match === null) return undefined
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? "s"]!
  const millis = Number(match[1]) * unit
  return millis > 0 ? millis : undefined
}

const fail = (message: string): never => {
  throw new Error(`${message}\n${usage}`)
}

/** The flags as given (`--name value` or `--name=value`). */
const flagsOf = (argv: ReadonlyArray<string>) => {
  const flags = new Map<string, string>()
  const args = argv.filter((a) => a !== "--")
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (!arg.startsWith("--")) fail(`unexpected argument ${JSON.stringify(arg)}`)
    const eq = arg.indexOf("=")
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1))
    else if (arg === "--smoke") flags.set("smoke", "true")
    else flags.set(arg.slice(2), args[++i] ?? fail(`${arg} needs a value`))
  }
  return flags
}

/** Parses the arguments; throws with the usage on a bad one. */
export const parse = (argv: ReadonlyArray<string>): Options => {
  const flags = flagsOf(argv)
  const known = new Set(["duration", "processes", "fault-rate", "disruptions", "out", "smoke"])
  for (const name of flags.keys()) if (!known.has(name)) fail(`unknown option --${name}`)
  const smoke = flags.has("smoke")
  const durationText = flags.get("duration") ?? (smoke ? "60s" : "10m")
  const durationMillis = parseDuration(durationText) ??
    fail(`--duration: expected e.g. 90s or 10m, got ${durationText}`)
  const processes = Number(flags.get("processes") ?? "4")
  if (!Number.isInteger(processes) || processes < 1 || processes > 16) fail("--processes: an integer from 1 to 16")
  const faultRate = Number(flags.get("fault-rate") ?? "0.1")
  if (!(faultRate >= 0 && faultRate < 1)) fail("--fault-rate: a number from 0 to below 1")
  const disruptionText = flags.get("disruptions") ?? (smoke ? "redis-restart" : disruptionKinds.join(","))
  const disruptions = disruptionText === "none" ?
    [] :
    disruptionText.split(",").map((d) =>
      (disruptionKinds as ReadonlyArray<string>).includes(d)
        ? d as DisruptionKind
        : fail(`--disruptions: ${d} is not one of ${disruptionKinds.join(", ")} (or none)`)
    )
  return {
    durationMillis,
    processes,
    faultRate,
    disruptions,
    out: flags.get("out") ?? (smoke ? "soak/results/smoke" : "soak/results/latest")
  }
}
