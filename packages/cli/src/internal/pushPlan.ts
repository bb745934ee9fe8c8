/**
 * What `timtags push` is asked to do, checked before anything is sent: exactly one kind of target (there is no
 * default: `--all-users` must be said), checked with the library's `Target.validate`; and a notification that
 * shows something, from `--notification FILE` with `--title`, `--text` and `--ext` over it, checked with
 * `Notification.toWire`. Every problem is a `UsageError` (exit 2).
 */
import { Notification, Target } from "@timtags/core"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as AccountInput from "./accountInput.js"
import { fileError, UsageError } from "./failures.js"
import type * as PushFlags from "./pushFlags.js"

/** Whom: one `push` call (everyone, or a condition), or the accounts of a file through `batch`. */
export type Whom =
  | { readonly _tag: "Broadcast"; readonly target: Target.Broadcast }
  | { readonly _tag: "Accounts"; readonly from: string; readonly accounts: AccountInput.Accounts }

/** A checked push. */
export interface Plan {
  readonly whom: Whom
  readonly notification: Notification.Notification
}

const refuse = (problem: string, fix?: string) => Effect.fail(new UsageError({ problem, fix }))

const targetHelp =
  "Say whom with --tags-and/--tags-or (and --tags-not), --attrs-and/--attrs-or, --accounts-from FILE, " +
  "or --all-users for everyone"

/** The target the flags name; exactly one kind. */
const whomOf = (flags: PushFlags.TargetFlags): Effect.Effect<Whom, UsageError> => {
  const tags = flags.tagsAnd.length + flags.tagsOr.length + flags.tagsNot.length > 0
  const attrs = Option.isSome(flags.attrsAnd) || Option.isSome(flags.attrsOr)
  const kinds = [
    tags && "tags",
    attrs && "attributes",
    flags.allUsers && "--all-users",
    Option.isSome(flags.accountsFrom) && "--accounts-from"
  ].filter((kind) => kind !== false)
  if (kinds.length === 0) return refuse("no target (there is no default)", targetHelp)
  if (kinds.length > 1) return refuse(`more than one kind of target: ${kinds.join(", ")}`, "Push to one at a time")
  if (Option.isSome(flags.column) && Option.isNone(flags.accountsFrom)) {
    return refuse("--column needs --accounts-from", "Add --accounts-from FILE")
  }
  if (Option.isSome(flags.accountsFrom)) {
    const from = flags.accountsFrom.value
    return Effect.succeed({ _tag: "Accounts", from, accounts: AccountInput.fromFile(from, flags.column) })
  }
  const target = flags.allUsers
    ? Target.allUsers
    : tags
    ? Target.tags({ and: flags.tagsAnd, or: flags.tagsOr, not: flags.tagsNot })
    : Target.attrs({ and: Option.getOrUndefined(flags.attrsAnd), or: Option.getOrUndefined(flags.attrsOr) })
  const valid = Target.validate(target)
  return Result.isSuccess(valid)
    ? Effect.succeed({ _tag: "Broadcast", target: valid.success })
    : refuse(`the target: ${valid.failure.message}`)
}

const parseJson = (text: string): Result.Result<unknown, string> => {
  try {
    return Result.succeed(JSON.parse(text))
  } catch (error) {
    return Result.fail(error instanceof Error ? error.message : String(error))
  }
}

/** The `OfflinePushInfo` of `--notification FILE`, or `{}`. */
const fromFile = (
  path: Option.Option<string>
): Effect.Effect<Record<string, unknown>, UsageError, FileSystem.FileSystem> =>
  Option.match(path, {
    onNone: () => Effect.succeed({}),
    onSome: (path) =>
      FileSystem.FileSystem.use((fs) => fs.readFileString(path)).pipe(
        Effect.mapError((error) => fileError("--notification", path, error)),
        Effect.flatMap((text) => {
          const parsed = parseJson(text)
          return Result.isSuccess(parsed) && typeof parsed.success === "object" && parsed.success !== null &&
              !Array.isArray(parsed.success)
            ? Effect.succeed(parsed.success as Record<string, unknown>)
            : refuse(
              `--notification ${JSON.stringify(path)} is not a JSON object${
                Result.isFailure(parsed) ? ` (${parsed.failure})` : ""
              }`,
              "Write the OfflinePushInfo as one JSON object: {\"Title\": …, \"Desc\": …, \"AndroidInfo\": {…}}"
            )
        })
      )
  })

/** The notification the flags describe, checked as the library sends it. */
const notificationOf = (
  flags: PushFlags.NotificationFlags
): Effect.Effect<Notification.Notification, UsageError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const base = yield* fromFile(flags.file)
    const ext = Option.map(flags.ext, parseJson)
    if (Option.isSome(ext) && Result.isFailure(ext.value)) {
      return yield* refuse(
        `--ext is not JSON (${ext.value.failure})`,
        "Give a JSON value: an object such as {\"deeplink\":\"app://x\"}, or a quoted string"
      )
    }
    const notification: Notification.Notification = {
      ...base,
      ...Option.match(flags.title, { onNone: () => ({}), onSome: (Title) => ({ Title }) }),
      ...Option.match(flags.text, { onNone: () => ({}), onSome: (Desc) => ({ Desc }) }),
      ...(Option.isSome(ext) && Result.isSuccess(ext.value) ? { Ext: ext.value.success } : {})
    }
    if (Object.keys(notification).length === 0) {
      return yield* refuse("nothing to show", "Give --title and --text, or --notification FILE")
    }
    const wire = Notification.toWire(notification)
    return Result.isSuccess(wire) ? notification : yield* refuse(`the notification: ${wire.failure.message}`)
  })

/** The plan the flags describe, or the first problem with them. */
export const make = (
  flags: { readonly target: PushFlags.TargetFlags; readonly notification: PushFlags.NotificationFlags }
): Effect.Effect<Plan, UsageError, FileSystem.FileSystem> =>
  Effect.all({ whom: whomOf(flags.target), notification: notificationOf(flags.notification) })
