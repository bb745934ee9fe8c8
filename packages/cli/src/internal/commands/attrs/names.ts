/**
 * `timtags attrs names`: the app's attribute names (slot, name, account type), or with `--set SLOT=NAME` (and
 * `--type SLOT=UserID|RegistrationID` for a new slot) names slots and prints the names as they are then. An
 * attribute's account type can never change: the library refuses the change before any call, and the command
 * shows its error (exit 2, nothing sent).
 */
import { type Attr, PushAttrs } from "@timtags/core"
import { Command, Flag } from "effect/cli"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Connection from "../../connection.js"
import { ofTimError, UsageError } from "../../failures.js"
import * as Output from "../../output.js"
import * as Summary from "../../summary.js"

const accountTypes: ReadonlyArray<Attr.AccountType> = ["UserID", "RegistrationID"]

/** The slot of `--set SLOT=NAME` or `--type SLOT=TYPE` as a number (the library checks its range). */
const slotOf = (flag: string, slot: string): Effect.Effect<number, UsageError> =>
  /^\d+$/.test(slot) ? Effect.succeed(Number(slot)) : Effect.fail(
    new UsageError({ problem: `${flag} ${slot}=…: the slot must be a number`, fix: "Number slots 0 to 9" })
  )

const typeOf = (slot: string, text: string): Effect.Effect<Attr.AccountType, UsageError> => {
  const found = accountTypes.find((type) => type.toLowerCase() === text.toLowerCase())
  return found !== undefined ? Effect.succeed(found) : Effect.fail(
    new UsageError({ problem: `--type ${slot}=${text}: not an account type`, fix: "Say UserID or RegistrationID" })
  )
}

/** The definitions `--set` and `--type` ask for; a `--type` needs a `--set` of its slot. */
const changesOf = (
  set: Readonly<Record<string, string>>,
  types: Readonly<Record<string, string>>
): Effect.Effect<ReadonlyArray<Attr.NewDefinition>, UsageError> =>
  Effect.gen(function*() {
    const orphan = Object.keys(types).find((slot) => !(slot in set))
    if (orphan !== undefined) {
      return yield* new UsageError({
        problem: `--type ${orphan}=… without --set ${orphan}=NAME`,
        fix: "A type is given with the slot's name, when the slot is first named (it can never change)"
      })
    }
    return yield* Effect.forEach(Object.entries(set), ([slot, name]) =>
      Effect.gen(function*() {
        const type = types[slot]
        return {
          slot: yield* slotOf("--set", slot),
          name,
          ...(type === undefined ? {} : { accountType: yield* typeOf(slot, type) })
        }
      }))
  })

const pairs = (name: string, description: string, metavar: string) =>
  Flag.KeyValuePair(name).pipe(Flag.withDescription(description), Flag.withMetavar(metavar), Flag.optional)

/** The `attrs names` command. */
export const command = Command.make("names", {
  set: pairs("set", "Name an attribute slot (0-9); repeat for several (--set 0=city --set 1=tier)", "SLOT=NAME"),
  type: pairs(
    "type",
    "With --set: the account type a new slot applies to, UserID (default) or RegistrationID; it can never change",
    "SLOT=TYPE"
  ),
  output: Output.flags,
  connection: Connection.flags
}, (input) =>
  Effect.gen(function*() {
    const set = Option.getOrElse(input.set, () => ({}))
    const changes = yield* changesOf(set, Option.getOrElse(input.type, () => ({})))
    const pushAttrs = yield* PushAttrs.PushAttrs
    const definitions = yield* (changes.length === 0 ? pushAttrs.getAttrNames : pushAttrs.setAttrNames(changes)).pipe(
      Effect.mapError((error) =>
        ofTimError(changes.length === 0 ? "reading the attribute names" : "naming the attribute slots", error)
      )
    )
    yield* Summary.printAll(
      ["slot", "name", "accountType"],
      definitions.map(({ accountType, name, slot }) => [["slot", slot], ["name", name], ["accountType", accountType]]),
      input.output
    )
  }).pipe(Effect.provide(Connection.layer(input.connection)))).pipe(
    Command.withDescription("List the app's attribute names, or name attribute slots with --set"),
    Command.withExamples([
      { command: "timtags attrs names", description: "Slot, name and account type of each attribute" },
      { command: "timtags attrs names --set 0=city --set 1=tier", description: "Name two slots (UserID accounts)" },
      {
        command: "timtags attrs names --set 2=os --type 2=RegistrationID",
        description: "A slot for RegistrationIDs; its type can never change"
      }
    ])
  )
