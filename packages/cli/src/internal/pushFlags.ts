/**
 * The flags of `timtags push`: whom (`--tags-and`/`--tags-or`/`--tags-not`, `--attrs-and`/`--attrs-or`,
 * `--all-users`, `--accounts-from FILE` with `--column`), what (`--title`, `--text`, `--ext JSON`,
 * `--notification FILE` for a whole `OfflinePushInfo`), and how (`--dry-run`, `--yes`).
 */
import { type Command, Flag } from "effect/cli"
import * as AccountInput from "./accountInput.js"
import * as MakeFlag from "./makeFlag.js"

/** `--NAME TAG`, any number of times. */
const tagList = (name: string, description: string) =>
  Flag.String(name).pipe(Flag.withDescription(description), Flag.withMetavar("TAG"), Flag.atLeast(0))

/** `--NAME NAME=VALUE`, any number of times (optional). */
const attrValues = (name: string, description: string) =>
  Flag.KeyValuePair(name).pipe(Flag.withDescription(description), Flag.withMetavar("NAME=VALUE"), Flag.optional)

/** Whom the push goes to: exactly one kind. */
export const target = {
  tagsAnd: tagList("tags-and", "Users with every one of these tags; repeat for several"),
  tagsOr: tagList("tags-or", "Users with at least one of these tags; repeat for several"),
  tagsNot: tagList("tags-not", "Leave out users with every one of these tags (with --tags-and or --tags-or)"),
  attrsAnd: attrValues("attrs-and", "Users whose attributes have all these values; repeat for several"),
  attrsOr: attrValues("attrs-or", "Users whose attributes have at least one of these values; repeat for several"),
  allUsers: MakeFlag.toggle("all-users", "Every user of the app: never a default, always said"),
  accountsFrom: MakeFlag.optionalText(
    "accounts-from",
    "FILE",
    "The accounts listed in FILE (- for standard input): one per line, or a column with --column"
  ),
  column: AccountInput.flags.column
} as const

/** What the push shows. */
export const notification = {
  title: MakeFlag.optionalText("title", "TEXT", "The notification's title (Title)"),
  text: MakeFlag.optionalText("text", "TEXT", "The notification's text (Desc)"),
  ext: MakeFlag.optionalText(
    "ext",
    "JSON",
    "Data for the app (Ext): any JSON value, such as {\"deeplink\":\"app://x\"}"
  ),
  file: MakeFlag.optionalText(
    "notification",
    "FILE",
    "A JSON file with a whole OfflinePushInfo (vendor fields, badges, …); --title, --text and --ext override it"
  )
} as const

/** Whether to send. */
export const sending = {
  dryRun: MakeFlag.toggle(
    "dry-run",
    "Print the exact request body (and, against the emulator, the recipients); send nothing"
  ),
  yes: MakeFlag.toggle("yes", "Send without asking (a push off a terminal needs it)")
} as const

/** The parsed target flags. */
export type TargetFlags = Command.Command.Config.Infer<typeof target>

/** The parsed notification flags. */
export type NotificationFlags = Command.Command.Config.Infer<typeof notification>
