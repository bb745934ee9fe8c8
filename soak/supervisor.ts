/**
 * The soak's worker processes: started (the bundled `worker/main.ts` on plain Node, behind the emulator and Redis
 * in priority: `priority.ts`), told "go" and "stop", killed and
 * restarted; everything they send is kept per process ("incarnation"), and the answers they report go to
 * `onAnswers`.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as Priority from "./priority.js"
import type { Report, RunnerMessage, Sample, WorkerMessage, WorkerSpec } from "./protocol.js"
import { specVariable } from "./protocol.js"

/** One worker process and what it sent. */
export interface Incarnation {
  readonly slot: number
  readonly incarnation: number
  readonly pid: number
  /** Epoch ms. */
  readonly startedAt: number
  readyAt?: number
  /** The last write round it started (-1: none). */
  lastRoundStarted: number
  readonly samples: Array<Omit<Sample, "answers">>
  report?: Report
  /** Set when it exited: `killed` if the runner killed it. */
  exit?: { readonly code: number | null; readonly signal: string | null; readonly killed: boolean }
  /** The end of its stdout and stderr. */
  output: string
}

/** What every worker shares. */
export interface SupervisorOptions {
  readonly script: string
  /** The client's settings (`TIM_*`). */
  readonly env: Readonly<Record<string, string>>
  readonly onAnswers: (slot: number, answers: Readonly<Record<string, string>>) => void
  /** Echo the workers' stderr (warnings the client logs). */
  readonly echo: boolean
}

/** The workers. */
export const make = (options: SupervisorOptions) => {
  const all: Array<Incarnation> = []
  const children = new Map<Incarnation, ChildProcess>()
  const waiters = new Set<() => void>()
  const changed = () => {
    for (const waiter of waiters) waiter()
  }
  /** Resolves once `state()` is `true`, rejects when it is an error or after `timeoutMillis`. */
  const until = (what: string, state: () => boolean | Error, timeoutMillis: number) =>
    new Promise<void>((resolve, reject) => {
      const settle = (outcome: true | Error) => {
        waiters.delete(check)
        clearTimeout(timer)
        if (outcome === true) resolve()
        else reject(outcome)
      }
      const check = () => {
        const now = state()
        if (now !== false) settle(now)
      }
      const timer = setTimeout(() => settle(new Error(`${what}: not within ${timeoutMillis / 1000} s`)), timeoutMillis)
      waiters.add(check)
      check()
    })
  const onMessage = (record: Incarnation) => (message: WorkerMessage) => {
    if (message.type === "ready") record.readyAt = Date.now()
    else if (message.type === "round") record.lastRoundStarted = message.round
    else {
      const { answers, ...sample } = message.sample
      record.samples.push(sample)
      options.onAnswers(record.slot, answers)
      if (message.type === "done") record.report = message.report
    }
    changed()
  }
  const start = (spec: WorkerSpec): Incarnation => {
    const child = spawn(process.execPath, [options.script], {
      env: { ...withoutTim(process.env), ...options.env, [specVariable]: JSON.stringify(spec) },
      stdio: ["ignore", "pipe", "pipe", "ipc"]
    })
    Priority.set(child.pid, Priority.niceness.workers)
    const record: Incarnation = {
      slot: spec.id,
      incarnation: spec.incarnation,
      pid: child.pid ?? -1,
      startedAt: Date.now(),
      lastRoundStarted: spec.firstRound - 1,
      samples: [],
      output: ""
    }
    const collect = (chunk: Buffer) => {
      record.output = (record.output + chunk.toString()).slice(-4000)
      if (options.echo) process.stderr.write(chunk)
    }
    child.stdout?.on("data", collect)
    child.stderr?.on("data", collect)
    child.on("message", onMessage(record))
    child.on("exit", (code, signal) => {
      record.exit = { code, signal, killed: record.exit?.killed ?? false }
      children.delete(record)
      changed()
    })
    all.push(record)
    children.set(record, child)
    return record
  }
  const tell = (record: Incarnation, message: RunnerMessage) => children.get(record)?.send(message)
  const live = () => all.filter((r) => r.exit === undefined)
  return {
    all: (): ReadonlyArray<Incarnation> => all,
    start,
    tell,
    /** Tells every live worker. */
    tellAll: (message: RunnerMessage) => live().forEach((r) => tell(r, message)),
    /** Resolves once these workers are ready; rejects if one exits first. */
    ready: (records: ReadonlyArray<Incarnation>, timeoutMillis: number) =>
      until("workers ready", () => {
        const gone = records.find((r) => r.exit !== undefined)
        if (gone !== undefined) return new Error(`worker ${gone.slot} exited before it was ready:\n${gone.output}`)
        return records.every((r) => r.readyAt !== undefined)
      }, timeoutMillis),
    /** SIGKILL. */
    kill: (record: Incarnation) => {
      record.exit = { code: null, signal: "SIGKILL", killed: true }
      children.get(record)?.kill("SIGKILL")
    },
    /** Resolves once every live worker has reported or exited. */
    finished: (timeoutMillis: number) =>
      until("workers' reports", () => all.every((r) => r.report !== undefined || r.exit !== undefined), timeoutMillis),
    /** Kills whatever still runs. */
    killAll: () => children.forEach((child) => child.kill("SIGKILL"))
  }
}

/** The supervisor. */
export type Supervisor = ReturnType<typeof make>

/** The environment without `TIM_*`: the workers get only the settings the soak gives them. */
const withoutTim = (env: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("TIM_")))
