/**
 * Account import, `v4/im_open_login_svc/{account_import,multiaccount_import}`: the way UserID accounts come to
 * exist, as on the real service. Importing an account that exists already succeeds and keeps its tags.
 */
import { type Command, declare, isObject, isStringArray, loginService } from "./Command.js"
import { ok } from "./Envelope.js"

/** `account_import`: `{UserID, ...}` creates one account. */
export const accountImport: Command = declare({
  name: "account_import",
  service: loginService,
  parse: (body) => isObject(body) && typeof body.UserID === "string" && body.UserID !== "" ? body.UserID : undefined,
  accounts: () => 1,
  run: (id, { store }) => (store.importAccounts([id]), ok())
})

/** `multiaccount_import`: `{Accounts}` creates up to 100 accounts; empty UserIDs come back in `FailAccounts`. */
export const multiaccountImport: Command = declare({
  name: "multiaccount_import",
  service: loginService,
  parse: (body) => isObject(body) && isStringArray(body.Accounts) ? body.Accounts : undefined,
  accounts: (accounts) => accounts.length,
  run: (accounts, { store }) => {
    store.importAccounts(accounts.filter((id) => id !== ""))
    return ok({ FailAccounts: accounts.filter((id) => id === "") })
  }
})
