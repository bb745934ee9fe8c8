/**
 * `pnpm soak`: worker processes sharing the Redis limiter run mixed traffic at the limit against one emulator
 * (its own process; strict rate limit, arrival jitter, answers out of order, faults on a share of calls) for
 * minutes, through a Redis restart, a Redis pause and a killed worker; then every guarantee is checked and
 * printed as one table, and written as `<out>.json` and `<out>.svg`. Exits 1 if a check fails.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import * as Os from "node:os"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { compile } from "../benchmarks/child.js"
import { app, type EmulatorProcess, startEmulator } from "../benchmarks/emulator.js"
import { machine } from "../benchmarks/machine.js"
import * as AnswerBook from "./answerBook.js"
import * as Arrivals from "./checks/arrivals.js"
import type { Row, RunData } from "./checks/data.js"
import * as Checks from "./checks/index.js"
import * as Disruptions from "./disruptions.js"
import * as Faults from "./faults.js"
import * as Options from "./options.js"
import { attrAccount, ghostAccount, lookupAccount, ownedAccount, type Population } from "./plan.js"
import * as Plot from "./plot.js"
import * as Priority from "./priority.js"
import * as Progress from "./progress.js"
import type { WorkerSpec } from "./protocol.js"
import * as Redis from "./redis.js"
import { seed } from "./seed.js"
import * as Supervisor from "./supervisor.js"

/** How late the delayed answers come: above the client's timeout. */
const delayMillis = 6_000

/** The fixed settings of every run. */
export const settings = {
  population: { lookups: 20_000, attrs: 5_000, ghosts: 100, perWorker: 5_000 } satisfies Population,
  /** The client's timeout per attempt (`TIM_TIMEOUT`). */
  timeoutMillis: 5_000,
  delayMillis,
  /**
   * The shortest write round: longer than a late write can take to land (the delay, the jitter, a busy
   * machine); also how long the runner waits for the last late writes before it reads the store.
   */
  settleMillis: delayMillis + 3_000,
  lookupFibers: 200,
  manySize: 5_000,
  attrsManySize: 1_000,
  sampleMillis: 5_000,
  arrivalJitter: 30,
  limit: 100
} as const

const sleep = (millis: number) => new Promise((done) => setTimeout(done, millis))

const here = dirname(fileURLToPath(import.meta.url))

/** Reads what the store holds for every account the soak knows, 5,000 at a time. */
const readStore = async (emulator: EmulatorProcess, population: Population, processes: number) => {
  const names = [
    ...Array.from({ length: population.lookups }, (_, i) => lookupAccount(i)),
    ...Array.from({ length: population.attrs }, (_, i) => attrAccount(i)),
    ...Array.from({ length: population.ghosts }, (_, i) => ghostAccount(i)),
    ...Array.from(
      { length: processes * population.perWorker },
      (_, k) => ownedAccount(Math.floor(k / population.perWorker), k % population.perWorker)
    )
  ]
  const store: RunData["store"] = {}
  for (let i = 0; i < names.length; i += 5_000) {
    Object.assign(store, await emulator.readAccounts(names.slice(i, i + 5_000)))
  }
  return store
}

const uptime = () => `load average ${Os.loadavg().map((l) => l.toFixed(2)).join(", ")}`

/** Runs the soak; the data the checks read. */
const soak = async (options: Options.Options, emulator: EmulatorProcess, redis: Redis.SoakRedis) => {
  const { population } = settings
  await seed(emulator, population, options.processes)
  const book = AnswerBook.make()
  const workers = Supervisor.make({
    script: await compile(new URL("./worker/main.ts", import.meta.url).href, resolve(here, ".tmp")),
    env: {
      TIM_SDKAPPID: String(app.sdkAppId),
      TIM_SECRET_KEY: app.secretKey,
      TIM_ADMIN: app.admin,
      TIM_BASE_URL: emulator.baseUrl,
      TIM_TIMEOUT: `${settings.timeoutMillis} millis`
    },
    onAnswers: (_, answers) => Object.entries(answers).forEach(([key, answer]) => book.add(key, answer)),
    echo: process.env.SOAK_VERBOSE === "1"
  })
  try {
    const redisPrefix = `soak:${Date.now()}:`
    const spec = (id: number, incarnation: number, firstRound: number): WorkerSpec => ({
      id,
      incarnation,
      redisUrl: redis.url,
      redisPrefix,
      population,
      firstRound,
      settleMillis: settings.settleMillis,
      lookupFibers: settings.lookupFibers,
      manySize: settings.manySize,
      attrsManySize: settings.attrsManySize,
      sampleMillis: settings.sampleMillis,
      warmUp: incarnation === 0
    })
    const first = Array.from({ length: options.processes }, (_, id) => workers.start(spec(id, 0, 0)))
    await workers.ready(first, 180_000)
    await emulator.resetCalls()
    await Faults.inject(emulator, options.faultRate, settings.delayMillis)
    const goAt = Date.now()
    const since = () => Date.now() - goAt
    workers.tellAll({ type: "go" })
    console.log(`go: ${options.processes} workers, ${uptime()}`)
    const stopProgress = Progress.start(workers, since)
    const disruptions = Disruptions.run(options.disruptions, options.durationMillis, {
      redis,
      workers,
      slots: options.processes,
      restartWorker: async (slot, firstRound) => {
        const incarnation = workers.all().filter((w) => w.slot === slot).length
        const record = workers.start(spec(slot, incarnation, firstRound))
        await workers.ready([record], 120_000)
        workers.tell(record, { type: "go" })
      }
    }, since)
    await sleep(options.durationMillis - since())
    const happened = await disruptions
    workers.tellAll({ type: "stop" })
    const stoppedAt = since()
    await workers.finished(240_000).catch((error) => console.error(String(error)))
    stopProgress()
    const endedAt = since()
    console.log(`stopped at ${Math.round(stoppedAt / 1000)} s, every worker done at ${Math.round(endedAt / 1000)} s`)
    await emulator.clearFaults()
    // Late copies of the last rounds' writes (a delayed call runs anyway) land before the store is read.
    await sleep(settings.settleMillis)
    return {
      options,
      population,
      limit: settings.limit,
      goAt,
      stoppedAt,
      endedAt,
      disruptions: happened,
      calls: await emulator.calls(),
      workers: workers.all(),
      answers: book.answers,
      crossContradictions: book.contradictions(),
      crossContradictionCount: book.contradictionCount(),
      store: await readStore(emulator, population, options.processes)
    } satisfies RunData
  } finally {
    workers.killAll()
  }
}

/** Writes `<out>.json` and `<out>.svg`. */
const write = (data: RunData, rows: ReadonlyArray<Row>, host: ReturnType<typeof machine>, load: string) => {
  const out = resolve(data.options.out)
  mkdirSync(dirname(out), { recursive: true })
  const caption = `${
    host.date.slice(0, 10)
  }, ${host.cpuModel} (${host.cores} cores), Node ${host.node}, ${data.options.processes} workers, ${
    Math.round(data.options.durationMillis / 1000)
  } s, faults on ${data.options.faultRate * 100} % of calls`
  writeFileSync(`${out}.svg`, Plot.render(data, caption))
  const json = {
    machine: host,
    loadAtEnd: load,
    options: data.options,
    settings,
    disruptions: data.disruptions,
    verdict: rows.some((r) => r.verdict === "FAIL") ? "FAIL" : "pass",
    table: rows,
    arrivalsPerSecond: Arrivals.series(data),
    /** Every refused call (60007): command and ms from "go". */
    refusals: data.calls.filter((c) => c.rateLimited).map((c) => ({ command: c.command, at: c.at - data.goAt })),
    workers: data.workers.map(({ output: _, samples, ...w }) => ({
      ...w,
      samples: samples.map(({ tally: _t, ...s }) => s),
      tally: samples.at(-1)?.tally
    }))
  }
  writeFileSync(`${out}.json`, `${JSON.stringify(json, null, 1)}\n`)
  return out
}

const main = async () => {
  const options = Options.parse(process.argv.slice(2))
  const host = machine()
  console.log(
    `timtags soak at ${host.revision} on ${host.cpuModel} (${host.cores} cores, ${host.memoryGiB} GiB), Node ${host.node}, ${uptime()}`
  )
  console.log(
    `${options.processes} workers for ${options.durationMillis / 1000} s, faults on ${
      options.faultRate * 100
    } % of calls, disruptions: ${options.disruptions.join(", ") || "none"}`
  )
  const redis = await Redis.start()
  const emulator = await startEmulator({ arrivalJitter: settings.arrivalJitter, shuffleResponse: true })
  if (!Priority.set(emulator.pid, Priority.niceness.service)) {
    console.log("note: could not raise the emulator's priority (not root): on a busy machine it may stamp bursts")
  }
  try {
    const data = await soak(options, emulator, redis)
    const load = uptime()
    const rows = Checks.all(data)
    console.log(`\n${Checks.table(rows)}\n`)
    const out = write(data, rows, host, load)
    console.log(`wrote ${out}.json and ${out}.svg; ${load}`)
    return rows.some((r) => r.verdict === "FAIL") ? 1 : 0
  } finally {
    await emulator.close()
    await redis.stop()
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : String(error))
    process.exit(2)
  }
)
