/** The machine a run happened on, for `results/latest.json` and the README. */
import { execFileSync } from "node:child_process"
import * as os from "node:os"

export interface Machine {
  readonly cpuModel: string
  readonly cores: number
  readonly memoryGiB: number
  readonly os: string
  readonly node: string
  readonly date: string
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  readonly loadAverage: number
  /** The commit measured, with `-dirty` when the work tree had changes. */
  readonly revision: string
}

const git = (...args: Array<string>): string => {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()
  } catch {
    return ""
  }
}

export const machine = (): Machine => ({
  cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
  cores: os.cpus().length,
  memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  date: new Date().toISOString(),
  loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
  revision: `${git("rev-parse", "--short", "HEAD") || "unknown"}${
    git("status", "--porcelain", "--", "packages").length > 0 ? "-dirty" : ""
  }`
})
