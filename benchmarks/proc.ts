/** CPU time of a process from `/proc` (Linux), to tell whether the emulator or the client is the bottleneck. */
import { readFileSync } from "node:fs"

const ticksPerSecond = 100

/** User + system CPU seconds a process has used so far; NaN where `/proc` is not available. */
export const cpuSeconds = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
  } catch {
    return Number.NaN
  }
}

/** Measures how busy a process was (100 = one core all the time) while `f` ran. */
export const busyWhile = async <A>(
  pid: number,
  f: () => Promise<A>
): Promise<{ readonly value: A; readonly busyPercent: number; readonly ms: number }> => {
  const cpu0 = cpuSeconds(pid)
  const t0 = performance.now()
  const value = await f()
  const ms = performance.now() - t0
  return { value, ms, busyPercent: ((cpuSeconds(pid) - cpu0) * 1000 * 100) / ms }
}
