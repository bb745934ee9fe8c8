/**
 * The flags of the emulator's command line, each validated where it is parsed, so that a bad value is a usage
 * error (exit code 2) that names the flag, and nothing is started. The seed file is read and decoded here too,
 * and its errors name the file and what is wrong with it.
 */
import * as CliError from "effect/cli/CliError"
import * as Flag from "effect/cli/Flag"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Option from "effect/Option"
import type * as PlatformError from "effect/PlatformError"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { SeedRecord } from "../Store.js"

/** A number of calls per second ≥ 0, or `Infinity`. */
const parseRateLimit = (text: string): Option.Option<number> => {
  const limit = text === "Infinity" ? Infinity : /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN
  return limit >= 0 ? Option.some(limit) : Option.none()
}

/** A usage error with a message of our own (CliError's `InvalidValue` would say `Expected: …` after it). */
const invalid = (message: string) => new CliError.ValidationError({ message })

const seedFormat = `a JSON object of accounts to arrays of tags, such as {"alice": ["vip"], "bob": []}`

/** Why a file could not be read, in a word or two (`no such file`, `permission denied`). */
const unreadable = (error: PlatformError.PlatformError) =>
  error.reason._tag === "NotFound"
    ? "no such file"
    : error.reason._tag === "PermissionDenied"
    ? "permission denied"
    : error.reason._tag === "BadResource"
    ? "not a readable file"
    : error.message

const oneLine = (text: unknown) => String(text).replace(/\s*\n\s*/g, " ")

const decodeSeed = Schema.decodeUnknownEffect(SeedRecord)

/** Reads and decodes a seed file; every failure names the file and says what is wrong with it. */
const readSeed = (file: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(file).pipe(
      Effect.mapError((error) => invalid(`--seed ${file}: cannot read the seed file (${unreadable(error)})`))
    )
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: (error) =>
        invalid(
          `--seed ${file}: the seed file is not JSON (${oneLine(error instanceof Error ? error.message : error)})`
        )
    })
    return yield* decodeSeed(json).pipe(
      Effect.mapError((error) =>
        invalid(`--seed ${file}: the seed file must be ${seedFormat}; ${oneLine(error.message)}`)
      )
    )
  })

/** A flag that falls back to the environment variable `variable`, read as a string whatever it holds. */
const withEnv = (variable: string) => Flag.withFallbackConfig(Config.String(variable))

/** The flags, as `Command.make` takes them. */
export const flags = {
  sdkAppId: Flag.String("sdkappid").pipe(
    Flag.withMetavar("N"),
    Flag.withDescription("The app's SDKAppID; other SDKAppIDs get 70020 (default: $TIM_SDKAPPID)"),
    withEnv("TIM_SDKAPPID"),
    Flag.mapEffect((text) =>
      /^[1-9]\d{0,15}$/.test(text) && Number.isSafeInteger(Number(text))
        ? Effect.succeed(Number(text))
        : Effect.fail(invalid(`--sdkappid (or TIM_SDKAPPID) must be a positive integer, got ${JSON.stringify(text)}`))
    )
  ),
  key: Flag.String("key").pipe(
    Flag.withMetavar("KEY"),
    Flag.withDescription("The secret key UserSigs must be signed with (default: $TIM_SECRET_KEY); never printed"),
    withEnv("TIM_SECRET_KEY"),
    Flag.mapEffect((key) =>
      key === ""
        ? Effect.fail(invalid("--key (or TIM_SECRET_KEY) must not be empty"))
        : Effect.succeed(Redacted.make(key, { label: "TIM_SECRET_KEY" }))
    )
  ),
  host: Flag.String("host").pipe(
    Flag.withMetavar("HOST"),
    Flag.withDescription(
      "Listen address (default 127.0.0.1); beyond loopback it warns: the control endpoints are unauthenticated"
    ),
    Flag.withDefault("127.0.0.1")
  ),
  port: Flag.Int("port").pipe(
    Flag.withMetavar("PORT"),
    Flag.withDescription("Listen port (default 0: a free one)"),
    Flag.withDefault(0),
    Flag.filter((port) => port >= 0 && port <= 65535, () => "a port number in 0..65535")
  ),
  admin: Flag.String("admin").pipe(
    Flag.withMetavar("ID"),
    Flag.withDescription("The only identifier allowed to call (default administrator)"),
    Flag.withDefault("administrator")
  ),
  rateLimit: Flag.String("rate-limit").pipe(
    Flag.withMetavar("N|Infinity"),
    Flag.withDescription("Calls accepted per command in any sliding second (default 100); 0 or Infinity: unlimited"),
    Flag.withDefault("100"),
    Flag.filterMap(parseRateLimit, () => "a number of calls per second >= 0, or Infinity")
  ),
  stampAtArrival: Flag.Boolean("stamp-at-arrival").pipe(
    Flag.withDescription(
      "Count a call as it arrives, before its body is read (default; --no-stamp-at-arrival: once it is read)"
    ),
    Flag.withDefault(true)
  ),
  countRefused: Flag.Boolean("count-refused").pipe(
    Flag.withDescription(
      "Count refused calls too, so a client that keeps retrying stays refused (default; --no-count-refused: not)"
    ),
    Flag.withDefault(true)
  ),
  arrivalJitter: Flag.Int("arrival-jitter").pipe(
    Flag.withMetavar("MS"),
    Flag.withDescription("Hold each call a random 0..N whole milliseconds before it is counted (default 0)"),
    Flag.withDefault(0),
    Flag.filter((millis) => millis >= 0, () => "a whole number of milliseconds >= 0")
  ),
  seed: Flag.String("seed").pipe(
    Flag.withMetavar("FILE"),
    Flag.withDescription(`A JSON file of accounts to create, with their tags: {"alice": ["vip"], "bob": []}`),
    Flag.optional,
    Flag.mapEffect(Option.match({ onNone: () => Effect.succeed(undefined), onSome: readSeed }))
  ),
  omitEmptyTags: Flag.Boolean("omit-empty-tags").pipe(
    Flag.withDescription("get_tag leaves Tags out for accounts without tags"),
    Flag.withDefault(false)
  ),
  shuffleResponse: Flag.Boolean("shuffle-response").pipe(
    Flag.withDescription("get_tag returns UserTags out of request order"),
    Flag.withDefault(false)
  ),
  log: Flag.Boolean("log").pipe(
    Flag.withDescription("Print one line per REST call: time, command, accounts, error code, HTTP status, duration"),
    Flag.withDefault(false)
  )
}

/** Whether `error` is the command line's own (bad or missing flags, help shown for an error): exit code 2. */
export const isUsageError = (error: unknown): boolean => CliError.isCliError(error) && error._tag !== "UserError"
