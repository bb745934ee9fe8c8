/** `timtags attrs remove`: removes some push attributes of each account. */
import * as AccountCommand from "../../accountCommand.js"
import * as AttrFlags from "../../attrFlags.js"
import * as Operations from "../../operations.js"
import * as Row from "../../row.js"

/** The `attrs remove` command. */
export const command = AccountCommand.make("remove", {
  description: "Remove push attributes from each account, by the attributes' names",
  examples: [
    { command: "timtags attrs remove --name city alice bob", description: "One attribute off two accounts" },
    { command: "timtags attrs remove --name tier --from churned.txt", description: "Every account of a file" }
  ],
  flags: { names: AttrFlags.names },
  shape: Row.done,
  process: ({ names }) =>
    Operations.eachAccountAttrs((accounts, pushAttrs) =>
      pushAttrs.removeAttrsMany(accounts.map((account) => ({ account, names })))
    )
})
