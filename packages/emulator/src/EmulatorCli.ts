/**
 * The emulator's command line, on `effect/cli`: its flags, and a handler that starts the emulator, prints
 * `timtags-emulator listening on <baseUrl>` and serves until interrupted. The `timtags-emulator` bin runs it
 * (`make("timtags-emulator")`), and `@timtags/cli` mounts `command` as `timtags emulator`.
 *
 * `--sdkappid` and `--key` fall back to `TIM_SDKAPPID` and `TIM_SECRET_KEY`; the key is never printed. Bound
 * beyond loopback, it warns on stderr (its control endpoints are unauthenticated). `--log` prints one line per
 * REST call (`EmulatorOptions.requestLog`).
 *
 * @since 0.3.0
 */
import * as Cause from "effect/Cause"
import * as CliError from "effect/cli/CliError"
import * as CliOutput from "effect/cli/CliOutput"
import * as Command from "effect/cli/Command"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type { ServeError } from "effect/http/HttpServerError"
import type * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Runtime from "effect/Runtime"
import * as Emulator from "./Emulator.js"
import * as CliFlags from "./internal/CliFlags.js"
import type { SeedRecord } from "./Store.js"

/**
 * What the flags parse into.
 *
 * @since 0.3.0
 * @category models
 */
export interface Input {
  readonly sdkAppId: number
  /** `--key`, or `TIM_SECRET_KEY`. */
  readonly key: Redacted.Redacted<string>
  readonly host: string
  readonly port: number
  readonly admin: string
  /** Calls per command in any sliding second; `0` or `Infinity`: unlimited. */
  readonly rateLimit: number
  readonly stampAtArrival: boolean
  readonly countRefused: boolean
  readonly arrivalJitter: number
  /** The seed file's accounts and tags, read and decoded. */
  readonly seed: SeedRecord | undefined
  readonly omitEmptyTags: boolean
  readonly shuffleResponse: boolean
  /** `--log`: one line per REST call on stdout. */
  readonly log: boolean
}

/** The emulator's options for the parsed flags; `write` receives the request log's lines when `--log` is on. */
const toOptions = (input: Input, write: (line: string) => void): Emulator.EmulatorOptions => ({
  sdkAppId: input.sdkAppId,
  secretKey: Redacted.value(input.key),
  host: input.host,
  port: input.port,
  admin: input.admin,
  rateLimit: input.rateLimit,
  stampAtArrival: input.stampAtArrival,
  countRefused: input.countRefused,
  arrivalJitter: input.arrivalJitter,
  omitEmptyTags: input.omitEmptyTags,
  shuffleResponse: input.shuffleResponse,
  ...(input.seed === undefined ? {} : { seed: input.seed }),
  ...(input.log ? { requestLog: write } : {})
})

const loopback = /^(127(\.\d{1,3}){3}|::1|localhost|::ffff:127(\.\d{1,3}){3})$/i

/**
 * The warning for a host beyond loopback, or `undefined` on loopback.
 *
 * @since 0.3.0
 * @category utils
 */
export const exposureWarning = (host: string): string | undefined =>
  loopback.test(host) ? undefined : [
    `timtags-emulator: warning: listening on ${host}, beyond loopback. Its control endpoints (/__emulator/seed,`,
    "faults, rate-limit, calls) need no credentials: anyone who can reach this address can change its accounts",
    "and read its call log. It is a test server; bind it to 127.0.0.1 unless other machines must reach it."
  ].join("\n")

/** The port taken, the host unknown, ...: said in one line (exit code 1). */
const cannotListen = (input: Input) => (error: ServeError) =>
  new CliError.UserError({
    cause: error,
    userMessage: `timtags-emulator: cannot listen on ${input.host}:${input.port}: ${
      error.cause instanceof Error ? error.cause.message : String(error.cause)
    }`
  })

/** Starts the emulator, prints where it listens (and a warning off loopback), and serves until interrupted. */
const serve = (input: Input) =>
  Console.consoleWith((console) => {
    const warning = exposureWarning(input.host)
    if (warning !== undefined) console.error(warning)
    const listening = Effect.flatMap(Emulator.Emulator, ({ baseUrl }) =>
      Effect.sync(() =>
        console.log(`timtags-emulator listening on ${baseUrl}`)
      ).pipe(Effect.andThen(Effect.never)))
    return listening.pipe(
      Effect.provide(Emulator.layer(toOptions(input, (line) => console.log(line)))),
      Effect.mapError(cannotListen(input))
    )
  })

/**
 * The emulator command under a name of your choice (`timtags-emulator` for its bin, `emulator` inside `timtags`).
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = <const Name extends string>(
  name: Name
): Command.Command<Name, Input, Record<never, never>, CliError.UserError> =>
  Command.make(name, CliFlags.flags, serve).pipe(
    Command.withDescription(
      "Starts a local server that behaves like Tencent Cloud Chat's push REST API, and serves until interrupted."
    ),
    Command.withExamples([
      { command: `${name} --port 8080 --sdkappid 1400000000 --key test-key`, description: "on a fixed port" },
      {
        command: `TIM_SDKAPPID=1400000000 TIM_SECRET_KEY=test-key ${name} --seed seed.json --log`,
        description: "seeded, logging each call"
      }
    ])
  )

/**
 * The emulator command, named `emulator`, to mount under another command (`timtags emulator`).
 *
 * @since 0.3.0
 * @category commands
 */
export const command = make("emulator")

/**
 * The exit code of a command-line run: 0 for success or an interrupt (SIGINT, SIGTERM), 2 for a usage error
 * (a flag missing or invalid, an unreadable seed file: nothing was started), 1 for anything else (e.g. the port
 * is taken).
 *
 * @since 0.3.0
 * @category running
 */
export const exitCode = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit) || Cause.hasInterruptsOnly(exit.cause)) return 0
  const usage = exit.cause.reasons.some((reason) => Cause.isFailReason(reason) && CliFlags.isUsageError(reason.error))
  return usage ? 2 : 1
}

/**
 * A `Runtime.Teardown` for `NodeRuntime.runMain` that exits with `exitCode`.
 *
 * @since 0.3.0
 * @category running
 */
export const teardown: Runtime.Teardown = (exit, onExit) => onExit(exitCode(exit))

/**
 * Help and errors of a bad invocation go to stderr, so that stdout carries only what the command prints (the
 * emulator's listening line and log; the `timtags` command's results), and a pipe reading it gets nothing else.
 *
 * @since 0.3.0
 * @category layers
 */
export const usageOnStderr: Layer.Layer<never> = CliOutput.layerPresenter({
  present: (event) =>
    event._tag === "InvalidInvocation"
      ? Console.consoleWith((console) =>
        CliOutput.defaultPresenter.present(event).pipe(
          Effect.provideService(Console.Console, { ...console, log: (...args) => console.error(...args) })
        )
      )
      : CliOutput.defaultPresenter.present(event)
})
