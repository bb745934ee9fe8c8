/** `timtags add-tag`: adds tags to each account, or with `--replace` sets them. */
import * as AccountCommand from "../accountCommand.js"
import * as Operations from "../operations.js"
import * as Row from "../row.js"
import * as TagFlags from "../tagFlags.js"

/** The `add-tag` command. */
export const command = AccountCommand.make("add-tag", {
  description: "Add push tags to each account (with --replace, make them its only tags)",
  examples: [
    { command: "timtags add-tag --tag vip --tag beta alice bob", description: "Two tags for two accounts" },
    { command: "timtags add-tag --tag eu --from users.txt", description: "One tag for every account of a file" },
    { command: "timtags add-tag --replace --tag gold alice", description: "alice's only tag becomes gold" }
  ],
  flags: { tags: TagFlags.tags, replace: TagFlags.replace },
  shape: Row.done,
  process: ({ replace, tags }) =>
    Operations.eachAccountTags((accounts, pushTags) =>
      pushTags.addTagsMany(accounts.map((account) => ({ account, tags })), { replace })
    )
})
