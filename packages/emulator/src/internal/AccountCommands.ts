/**
 * Account import, `v4/im_open_login_svc/{account_import,multiaccount_import}`: the way accounts come to
 * exist, as on the real service. Importing an account that exists already succeeds and keeps its tags.
 */
import { type Command, isObject, isStringArray, loginService } from "./Command.js"
import { ok } from "./Envelope.js"

/** `account_import`: `{UserID, ...}` creates one account. */
export const accountImport: Command = {
  service: loginService,
  name: "account_import",
  prepare: (body) => {
    if (!isObject(body) || typeof body.UserID !== "string" || body.UserID === "") return undefined
    const id = body.UserID
    return { accounts: 1, run: ({ store }) => (store.importAccounts([id]), ok()) }
  }
}

/** `multiaccount_import`: `{Accounts}` creates up to 100 accounts; empty UserIDs come back in `FailAccounts`. */
export const multiaccountImport: Command = {
  service: loginService,
  name: "multiaccount_import",
  prepare: (body) => {
    if (!isObject(body) || !isStringArray(body.Accounts)) return undefined
    const accounts = body.Accounts
    return {
      accounts: accounts.length,
      run: ({ store }) => {
        store.importAccounts(accounts.filter((id) => id !== ""))
        return ok({ FailAccounts: accounts.filter((id) => id === "") })
      }
    }
  }
}
