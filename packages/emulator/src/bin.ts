/**
 * The `timtags-emulator` command: starts an emulator, prints `timtags-emulator listening on <baseUrl>` once
 * it listens, and runs until SIGINT/SIGTERM. `TIM_SDKAPPID` and `TIM_SECRET_KEY` supply defaults for
 * `--sdkappid` and `--key`. The key is never printed.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Runtime from "effect/Runtime"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"
import { parseArgs } from "node:util"
import * as Emulator from "./Emulator.js"
import { SeedRecord } from "./Store.js"

const usage = `usage: timtags-emulator --sdkappid N --key SECRET [--port 0] [--host 127.0.0.1] [--admin administrator]
                        [--rate-limit 100|Infinity] [--[no-]stamp-at-arrival] [--[no-]count-refused]
                        [--arrival-jitter 0] [--seed seed.json] [--omit-empty-tags] [--shuffle-response]
  --sdkappid and --key default to $TIM_SDKAPPID and $TIM_SECRET_KEY.
  --stamp-at-arrival and --count-refused are on by default (the strict limiter); --no-stamp-at-arrival
  --no-count-refused is the lenient one. --arrival-jitter N holds each call a random 0..N ms (N whole) before
  it is counted.`

const flags = {
  port: { type: "string", default: "0" },
  host: { type: "string" },
  sdkappid: { type: "string" },
  key: { type: "string" },
  admin: { type: "string" },
  "rate-limit": { type: "string" },
  "stamp-at-arrival": { type: "boolean" },
  "count-refused": { type: "boolean" },
  "arrival-jitter": { type: "string" },
  seed: { type: "string" },
  "omit-empty-tags": { type: "boolean", default: false },
  "shuffle-response": { type: "boolean", default: false },
  help: { type: "boolean", default: false }
} as const

type Flags = ReturnType<typeof parseArgs<{ options: typeof flags }>>["values"]

const invalid = (message: string): never => {
  throw new Error(message)
}

/** The emulator options the flags describe; throws a message saying what is wrong. */
const toOptions = (values: Flags, env: NodeJS.ProcessEnv): Emulator.EmulatorOptions => {
  const sdkAppId = Number(values.sdkappid ?? env.TIM_SDKAPPID)
  const secretKey = values.key ?? env.TIM_SECRET_KEY ?? ""
  const port = Number(values.port)
  const rateLimit = values["rate-limit"] === undefined ? undefined : Number(values["rate-limit"])
  const arrivalJitter = values["arrival-jitter"]
  if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) {
    invalid("--sdkappid (or TIM_SDKAPPID) must be a positive integer")
  }
  if (secretKey === "") invalid("--key (or TIM_SECRET_KEY) is required")
  if (!Number.isInteger(port) || port < 0 || port > 65535) invalid("--port must be an integer in 0..65535")
  if (rateLimit !== undefined && !(rateLimit >= 0)) invalid("--rate-limit must be a number >= 0, or Infinity")
  if (arrivalJitter !== undefined && !/^\d{1,9}$/.test(arrivalJitter)) {
    invalid("--arrival-jitter must be a whole number of milliseconds >= 0")
  }
  return {
    sdkAppId,
    secretKey,
    port,
    omitEmptyTags: values["omit-empty-tags"],
    shuffleResponse: values["shuffle-response"],
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.admin === undefined ? {} : { admin: values.admin }),
    ...(rateLimit === undefined ? {} : { rateLimit }),
    ...(values["stamp-at-arrival"] === undefined ? {} : { stampAtArrival: values["stamp-at-arrival"] }),
    ...(values["count-refused"] === undefined ? {} : { countRefused: values["count-refused"] }),
    ...(arrivalJitter === undefined ? {} : { arrivalJitter: Number(arrivalJitter) }),
    ...(values.seed === undefined
      ? {}
      : { seed: Schema.decodeUnknownSync(SeedRecord)(JSON.parse(readFileSync(values.seed, "utf8"))) })
  }
}

/** Starts the emulator, prints the listening line, and serves until interrupted. */
const serve = (options: Emulator.EmulatorOptions) =>
  Effect.flatMap(
    Emulator.Emulator,
    ({ baseUrl }) =>
      Effect.sync(() => process.stdout.write(`timtags-emulator listening on ${baseUrl}\n`)).pipe(
        Effect.andThen(Effect.never)
      )
  ).pipe(Effect.provide(Emulator.layer(options)))

/** SIGINT and SIGTERM interrupt the server: a normal stop, exit code 0 (Effect's default teardown says 130). */
const teardown: Runtime.Teardown = (exit, onExit) =>
  Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) ? onExit(0) : Runtime.defaultTeardown(exit, onExit)

try {
  const { values } = parseArgs({ args: process.argv.slice(2), options: flags, allowNegative: true })
  if (values.help) process.stdout.write(`${usage}\n`)
  else NodeRuntime.runMain(serve(toOptions(values, process.env)), { teardown })
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`)
  process.exitCode = 2
}
