/**
 * The push-attribute commands, `v4/timpush/{set_attr_name,get_attr_name,set_attr,get_attr,remove_attr}`:
 * body shapes and answers. The rules live in `Attributes`: names before values, types fixed once set, values
 * of 1 to 50 bytes, per-account refusals in `ErrorList` (70107, 90033, 90035, 90030).
 */
import { accountCount, accountList, accountOfEntry, entryCount, entryList } from "./Bodies.js"
import { type Command, declare, isObject, isStringArray, isStringRecord } from "./Command.js"
import { fail, lookupEach, ok, partial, perAccount } from "./Envelope.js"

/** `set_attr_name`: `{AttrNames: {"0": "city"}, AttrTypes?: {"0": 0}}`; refuses the whole call on a rule break. */
export const setAttrName: Command = declare({
  name: "set_attr_name",
  parse: (body) =>
    isObject(body) && isStringRecord(body.AttrNames) && (body.AttrTypes === undefined || isObject(body.AttrTypes))
      ? { names: body.AttrNames, types: body.AttrTypes ?? {} }
      : undefined,
  run: ({ names, types }, { attrs }) => {
    const refused = attrs.setNames(names, types)
    return refused === undefined ? ok() : fail(refused.code, refused.info)
  }
})

/** `get_attr_name`: `{}` → `AttrNames` and `AttrTypes` by slot. */
export const getAttrName: Command = declare({
  name: "get_attr_name",
  parse: (body) => (isObject(body) ? body : undefined),
  run: (_, { attrs }) => {
    const { names, types } = attrs.names()
    return ok({ AttrNames: names, AttrTypes: types })
  }
})

interface UserAttrs {
  readonly To_Account: string
  readonly Attrs: Readonly<Record<string, string>>
}

/** `set_attr`: `{UserAttrs: [{To_Account, Attrs: {name: value}}]}`; each account changes fully or not at all. */
export const setAttr: Command = declare({
  name: "set_attr",
  parse: entryList<UserAttrs>("UserAttrs", (entry) => isStringRecord(entry.Attrs)),
  accounts: entryCount,
  run: (entries, { attrs }) => perAccount(entries, accountOfEntry, (e) => attrs.set(e.To_Account, e.Attrs))
})

/** `get_attr`: `{To_Account}` → `UserAttrs: [{To_Account, Attrs}]` for existing accounts, 70107 for others. */
export const getAttr: Command = declare({
  name: "get_attr",
  parse: accountList,
  accounts: accountCount,
  run: (accounts, { attrs }) => {
    const { entries, errors } = lookupEach(accounts, (account) => {
      const values = attrs.valuesOf(account)
      return values === undefined ? undefined : { To_Account: account, Attrs: values }
    })
    return partial({ UserAttrs: entries }, errors)
  }
})

interface AttrRemoval {
  readonly To_Account: string
  readonly Attrs: ReadonlyArray<string>
}

/** `remove_attr`: `{UserAttrs: [{To_Account, Attrs: [name]}]}`; attribute names only, no values. */
export const removeAttr: Command = declare({
  name: "remove_attr",
  parse: entryList<AttrRemoval>("UserAttrs", (entry) => isStringArray(entry.Attrs)),
  accounts: entryCount,
  run: (entries, { attrs }) => perAccount(entries, accountOfEntry, (e) => attrs.remove(e.To_Account, e.Attrs))
})
