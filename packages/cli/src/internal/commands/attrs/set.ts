/** `timtags attrs set`: sets some push attributes of each account (the others keep their values). */
import * as AccountCommand from "../../accountCommand.js"
import * as AttrFlags from "../../attrFlags.js"
import * as Operations from "../../operations.js"
import * as Row from "../../row.js"

/** The `attrs set` command. */
export const command = AccountCommand.make("set", {
  description: "Set push attributes of each account, by the attributes' names (the others keep their values)",
  examples: [
    { command: "timtags attrs set --attr city=Lisbon --attr tier=gold alice", description: "Two attributes" },
    { command: "timtags attrs set --attr tier=silver --from users.txt", description: "Every account of a file" }
  ],
  flags: { attrs: AttrFlags.values },
  shape: Row.done,
  process: ({ attrs }) =>
    Operations.eachAccountAttrs((accounts, pushAttrs) =>
      pushAttrs.setAttrsMany(accounts.map((account) => ({ account, attrs })))
    )
})
