/** `timtags remove-tag`: removes some tags of each account. */
import * as AccountCommand from "../accountCommand.js"
import * as Operations from "../operations.js"
import * as Row from "../row.js"
import * as TagFlags from "../tagFlags.js"

/** The `remove-tag` command. */
export const command = AccountCommand.make("remove-tag", {
  description: "Remove push tags from each account",
  examples: [
    { command: "timtags remove-tag --tag beta alice bob", description: "One tag off two accounts" },
    { command: "timtags remove-tag --tag trial --from expired.txt", description: "Every account of a file" }
  ],
  flags: { tags: TagFlags.tags },
  shape: Row.done,
  process: ({ tags }) =>
    Operations.eachAccountTags((accounts, pushTags) =>
      pushTags.removeTagsMany(accounts.map((account) => ({ account, tags })))
    )
})
