/**
 * Scheduling priority of the soak's processes. On a small, shared machine the processes compete for CPU: the
 * emulator, which stamps every arrival, and Redis stand for the service and must not be the ones kept waiting
 * (a stalled emulator stamps a burst of arrivals that no client sent), so they run ahead of everything else
 * where that is permitted (as root); the workers run behind.
 */
import * as Os from "node:os"

/** Niceness of the emulator and Redis (-10: ahead), and of the workers (10: behind). */
export const niceness = { service: -10, workers: 10 } as const

/** Sets a process's niceness; whether it was permitted. */
export const set = (pid: number | undefined, nice: number): boolean => {
  try {
    if (pid !== undefined) Os.setPriority(pid, nice)
    return pid !== undefined
  } catch {
    return false
  }
}
