/** `timtags get-tag`: the tags of each account. */
import * as AccountCommand from "../accountCommand.js"
import * as Operations from "../operations.js"
import * as Row from "../row.js"

/** The `get-tag` command. */
export const command = AccountCommand.make("get-tag", {
  description: "Show the push tags of each account",
  examples: [
    { command: "timtags get-tag alice bob", description: "Two accounts, as a table on a terminal" },
    { command: "timtags get-tag --from users.txt --format csv > tags.csv", description: "One account per line" },
    {
      command: "timtags get-tag --from export.csv --column user_id | jq -r 'select(.status == \"failed\")'",
      description: "A CSV column; NDJSON in a pipe"
    }
  ],
  flags: {},
  shape: Row.tags,
  process: () => Operations.lookup
})
