/**
 * The disruptions, on a schedule: at one third of the run Redis is killed (SIGKILL), stays down
 * `redisDownMillis` and is started again, empty; at one half the last worker is killed (SIGKILL) and a new
 * process takes its place, redoing the write round it was in; at two thirds Redis stops answering for
 * `redisPauseMillis` (SIGSTOP, then SIGCONT: connections stay open). Each records when it began and ended (ms
 * from "go").
 */
import type { DisruptionKind } from "./options.js"
import type { SoakRedis } from "./redis.js"
import type { Supervisor } from "./supervisor.js"

/** How long Redis stays down after it is killed. */
export const redisDownMillis = 5_000

/** How long Redis is paused. */
export const redisPauseMillis = 10_000

/** One disruption as it happened. */
export interface Disruption {
  readonly kind: DisruptionKind
  readonly label: string
  /** ms from "go". */
  readonly from: number
  readonly to: number
}

/** When each disruption starts, as a share of the run. */
const at: Record<DisruptionKind, number> = { "redis-restart": 1 / 3, "worker-kill": 1 / 2, "redis-pause": 2 / 3 }

/** What a disruption acts on. */
export interface Targets {
  readonly redis: SoakRedis
  readonly workers: Supervisor
  /** Starts the worker of `slot` again, redoing round `firstRound`; resolves once it runs. */
  readonly restartWorker: (slot: number, firstRound: number) => Promise<void>
  readonly slots: number
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

/** Does one disruption; what it did. */
const perform = async (kind: DisruptionKind, targets: Targets, since: () => number): Promise<Disruption> => {
  const from = since()
  if (kind === "redis-restart") {
    await targets.redis.kill()
    await sleep(redisDownMillis)
    await targets.redis.restart()
    return { kind, label: `Redis killed, restarted after ${redisDownMillis / 1000} s`, from, to: since() }
  }
  if (kind === "redis-pause") {
    targets.redis.pause()
    await sleep(redisPauseMillis)
    targets.redis.resume()
    return { kind, label: `Redis paused ${redisPauseMillis / 1000} s`, from, to: since() }
  }
  const slot = targets.slots - 1
  const victim = targets.workers.all().find((r) => r.slot === slot && r.exit === undefined)
  if (victim === undefined) throw new Error(`worker ${slot} is not running`)
  targets.workers.kill(victim)
  const round = Math.max(0, victim.lastRoundStarted)
  await targets.restartWorker(slot, round)
  return { kind, label: `worker ${slot} killed, restarted (redoes round ${round})`, from, to: since() }
}

/** Runs the chosen disruptions at their times in a run of `durationMillis`; resolves with what happened. */
export const run = (
  kinds: ReadonlyArray<DisruptionKind>,
  durationMillis: number,
  targets: Targets,
  since: () => number
): Promise<Array<Disruption>> =>
  Promise.all(kinds.map(async (kind) => {
    await sleep(Math.max(0, at[kind] * durationMillis - since()))
    return perform(kind, targets, since)
  })).then((done) => done.sort((a, b) => a.from - b.from))
