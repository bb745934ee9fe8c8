/**
 * Setting the app up outside the REST API (the emulator's options and control methods): RegistrationID
 * accounts, accounts with tags, attribute names and values. Attributes keep every rule the REST commands
 * keep, but a broken rule throws (a defect in the control methods) instead of being answered.
 */
import type { EmulatorOptions } from "../Emulator.js"
import { info } from "../ErrorCodes.js"
import type { Attributes } from "./Attributes.js"
import type { CommandContext } from "./Command.js"

/** Names attribute slots and fixes their types, as `set_attr_name` does; throws on a rule break. */
export const setAttrNames = (
  attrs: Attributes,
  names: Readonly<Record<string, string>>,
  types: Readonly<Record<string, number>> = {}
): void => {
  const refused = attrs.setNames(names, types)
  if (refused !== undefined) throw new Error(`setAttrNames refused (${refused.code}): ${refused.info}`)
}

/**
 * Creates each missing account (a RegistrationID when every attribute it is given serves RegistrationIDs,
 * otherwise a UserID) and sets its values by attribute name, as `set_attr` does; throws on a rule break.
 */
export const seedAttrs = (
  { attrs, store }: Pick<CommandContext, "attrs" | "store">,
  record: Readonly<Record<string, Readonly<Record<string, string>>>>
): void => {
  for (const [account, values] of Object.entries(record)) {
    const names = Object.keys(values)
    const devices = names.length > 0 && names.every((name) => attrs.kindOf(name) === "RegistrationID")
    if (devices) store.registerDevices([account])
    else store.importAccounts([account])
    const code = attrs.set(account, values)
    if (code !== undefined) throw new Error(`seedAttrs refused ${account} (${code}): ${info(code)}`)
  }
}

/** Sets the app up as the options say: devices, then accounts with tags, then attribute names and values. */
export const fromOptions = (app: CommandContext, options: EmulatorOptions): void => {
  if (options.devices !== undefined) app.store.registerDevices(options.devices)
  if (options.seed !== undefined) app.store.seed(options.seed)
  if (options.attrs !== undefined) {
    setAttrNames(app.attrs, options.attrs.names, options.attrs.types)
    if (options.attrs.values !== undefined) seedAttrs(app, options.attrs.values)
  }
}
