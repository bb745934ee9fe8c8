/** Every REST command the emulator serves, looked up by request path (`/v4/{service}/{command}`). */
import { accountImport, multiaccountImport } from "./AccountCommands.js"
import type { Command } from "./Command.js"
import { addTag, clearAllTags, getTag, removeTag } from "./TagCommands.js"

const commands: ReadonlyMap<string, Command> = new Map(
  [getTag, addTag, removeTag, clearAllTags, accountImport, multiaccountImport].map((c) => [
    `/v4/${c.service.name}/${c.name}`,
    c
  ])
)

/** The command served at this path, if any. */
export const lookup = (path: string): Command | undefined => commands.get(path)
