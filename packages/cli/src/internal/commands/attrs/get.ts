/** `timtags attrs get`: the push attributes of each account. */
import * as AccountCommand from "../../accountCommand.js"
import * as Operations from "../../operations.js"
import * as Row from "../../row.js"

/** The `attrs get` command. */
export const command = AccountCommand.make("get", {
  description: "Show the push attributes of each account",
  examples: [
    { command: "timtags attrs get alice bob", description: "Two accounts, as a table on a terminal" },
    { command: "timtags attrs get --from users.txt --format json", description: "One account per line, as JSON" }
  ],
  flags: {},
  shape: Row.attrs,
  process: () => Operations.lookupAttrs
})
