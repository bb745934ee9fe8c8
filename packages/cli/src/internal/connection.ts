/**
 * Which Chat app to talk to: the library's own configuration (`TimConfig.config`: `TIM_SDKAPPID`,
 * `TIM_SECRET_KEY` or `TIM_USERSIG`, `TIM_REGION` or `TIM_BASE_URL`, `TIM_ADMIN`, `TIM_BACKUP_BASE_URL`,
 * `TIM_TIMEOUT`), where the flags `--sdk-app-id`, `--region`, `--base-url`, `--identifier` and
 * `--secret-key-file` override the variable of the same setting. The secret key is never a flag value: it
 * comes from the environment or from the file `--secret-key-file` names.
 *
 * `layer` resolves all of it before anything is sent: a problem is a `UsageError` naming the setting (the
 * flag when it came from one, the variable otherwise) and how to fix it; the key never appears in it.
 */
import { Client, TimConfig } from "@timtags/core"
import { NodePlatform } from "@timtags/platform-node"
import type { Command } from "effect/cli"
import type * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { fileError, UsageError } from "./failures.js"
import * as MakeFlag from "./makeFlag.js"

/** The connection flags. */
export const flags = {
  sdkAppId: MakeFlag.optionalText("sdk-app-id", "ID", "The app's SDKAppID (default $TIM_SDKAPPID)"),
  region: MakeFlag.optionalText(
    "region",
    "REGION",
    "Data centre: China, Singapore, Seoul, Tokyo, Frankfurt, SiliconValley, Jakarta, Riyadh (default $TIM_REGION)"
  ),
  baseUrl: MakeFlag.optionalText(
    "base-url",
    "URL",
    "REST API base URL instead of a region, e.g. an emulator (default $TIM_BASE_URL)"
  ),
  identifier: MakeFlag.optionalText(
    "identifier",
    "ID",
    "The admin identifier that calls the API (default $TIM_ADMIN, administrator)"
  ),
  secretKeyFile: MakeFlag.optionalText(
    "secret-key-file",
    "FILE",
    "Read the SecretKey from FILE (default $TIM_SECRET_KEY)"
  )
} as const

/** The parsed connection flags. */
export type Flags = Command.Command.Config.Infer<typeof flags>

/** The command-line name of each flag. */
const flagNames: { readonly [K in keyof Flags]: string } = {
  sdkAppId: "--sdk-app-id",
  region: "--region",
  baseUrl: "--base-url",
  identifier: "--identifier",
  secretKeyFile: "--secret-key-file"
}

/** Each variable, the flag that overrides it (if any), and how to fix a problem with it. */
const settings: { readonly [variable: string]: { readonly flag?: keyof Flags; readonly fix: string } } = {
  TIM_SDKAPPID: { flag: "sdkAppId", fix: "Set TIM_SDKAPPID to the app's SDKAppID, or pass --sdk-app-id" },
  TIM_SECRET_KEY: {
    flag: "secretKeyFile",
    fix: "Set TIM_SECRET_KEY, or pass --secret-key-file with a file holding the key (never the key itself)"
  },
  TIM_REGION: {
    flag: "region",
    fix:
      "Set TIM_REGION (China, Singapore, Seoul, Tokyo, Frankfurt, SiliconValley, Jakarta, Riyadh) or TIM_BASE_URL, " +
      "or pass --region or --base-url"
  },
  TIM_BASE_URL: { flag: "baseUrl", fix: "Give an http(s) URL with TIM_BASE_URL or --base-url" },
  TIM_ADMIN: { flag: "identifier", fix: "Set TIM_ADMIN or pass --identifier" },
  TIM_BACKUP_BASE_URL: { fix: "Set TIM_BACKUP_BASE_URL to an http(s) URL, or unset it" },
  TIM_TIMEOUT: { fix: "Set TIM_TIMEOUT to a duration above 3 seconds, such as \"10 seconds\"" }
}

/** The environment the flags describe, over the process's: a flag replaces its variable. */
const overlay = (
  flags: Flags,
  secretKey: Option.Option<string>,
  env: Readonly<Record<string, string | undefined>>
): Record<string, string> => {
  const merged: Record<string, string | undefined> = { ...env }
  const set = (name: string, value: Option.Option<string>, replaces: ReadonlyArray<string> = []) => {
    if (Option.isNone(value)) return
    merged[name] = value.value
    for (const other of replaces) delete merged[other]
  }
  set("TIM_SDKAPPID", flags.sdkAppId)
  set("TIM_REGION", flags.region, ["TIM_BASE_URL", "TIM_BACKUP_BASE_URL"])
  set("TIM_BASE_URL", flags.baseUrl, ["TIM_BACKUP_BASE_URL"])
  set("TIM_ADMIN", flags.identifier)
  set("TIM_SECRET_KEY", secretKey, ["TIM_USERSIG"])
  return Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined)
  )
}

/**
 * A `ConfigError` as a usage error naming the flag or variable and the fix. The library's messages name
 * the variable (`Expected a region at TIM_REGION: …`); when a flag set it, the flag is named instead.
 */
const explain = (error: Config.ConfigError, flags: Flags): UsageError => {
  const message = error.cause.message.split("\n")[0]!
  const variable = /\bat (TIM_[A-Z_]+)/.exec(message)?.[1] ?? "configuration"
  const setting = settings[variable]
  const flag = setting?.flag
  const name = flag !== undefined && Option.isSome(flags[flag]) ? flagNames[flag] : variable
  const detail = name === variable ? message : message.replace(`at ${variable}`, `at ${name}`)
  return new UsageError({ problem: `configuration: ${name}: ${detail}`, fix: setting?.fix })
}

/** The secret key from `--secret-key-file`, without surrounding white space (a final line break). */
const readKey = (path: Option.Option<string>) =>
  Option.match(path, {
    onNone: () => Effect.succeedNone,
    onSome: (path) =>
      FileSystem.FileSystem.use((fs) => fs.readFileString(path)).pipe(
        Effect.mapError((error) => fileError("--secret-key-file", path, error)),
        Effect.flatMap((text) =>
          text.trim() === ""
            ? Effect.fail(
              new UsageError({
                problem: `--secret-key-file ${JSON.stringify(path)} is empty`,
                fix: "Put the app's SecretKey in it"
              })
            )
            : Effect.succeedSome(text.trim())
        )
      )
  })

/** The configuration, from the environment and the flags; a problem is a `UsageError`. */
export const resolve = (
  flags: Flags,
  env: Readonly<Record<string, string | undefined>> = process.env
): Effect.Effect<TimConfig.TimConfigShape, UsageError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    if (Option.isSome(flags.region) && Option.isSome(flags.baseUrl)) {
      return yield* new UsageError({ problem: "--region and --base-url both given", fix: "Pass one of them" })
    }
    const secretKey = yield* readKey(flags.secretKeyFile)
    const provider = ConfigProvider.fromEnvRecord(overlay(flags, secretKey, env))
    return yield* TimConfig.config().parse(provider).pipe(Effect.mapError((error) => explain(error, flags)))
  })

/**
 * The services `layer` provides to a command: the client's (`PushTags`, `PushAttrs`, `Push`, `TimRest`, …), the
 * configuration it resolved, and the platform's `HttpClient`.
 */
export type Services = Client.Services | TimConfig.TimConfig | HttpClient.HttpClient

/** The client for the app the flags and the environment name, with its configuration and `HttpClient`. */
export const layer = (flags: Flags): Layer.Layer<Services, UsageError, FileSystem.FileSystem> =>
  Client.layer().pipe(
    Layer.provideMerge(Layer.effect(TimConfig.TimConfig, resolve(flags))),
    Layer.provideMerge(NodePlatform.layer)
  )
