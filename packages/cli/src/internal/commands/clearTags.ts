/** `timtags clear-tags`: removes every tag of each account. */
import * as AccountCommand from "../accountCommand.js"
import * as Operations from "../operations.js"
import * as Row from "../row.js"

/** The `clear-tags` command. */
export const command = AccountCommand.make("clear-tags", {
  description: "Remove every push tag of each account",
  examples: [
    { command: "timtags clear-tags alice", description: "One account" },
    { command: "timtags clear-tags --from leavers.txt --format csv", description: "Every account of a file" }
  ],
  flags: {},
  shape: Row.done,
  process: () => Operations.eachAccountTags((accounts, pushTags) => pushTags.clearAllTagsMany(accounts))
})
