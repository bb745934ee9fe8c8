/**
 * Every REST command the emulator serves, looked up by request path (`/v4/{service}/{command}`), and the
 * per-command rate limits Tencent documents for the lowest edition (the others take the general limit).
 */
import { accountImport, multiaccountImport } from "./AccountCommands.js"
import { getAttr, getAttrName, removeAttr, setAttr, setAttrName } from "./AttrCommands.js"
import type { Command } from "./Command.js"
import { batch, push, revoke } from "./PushCommands.js"
import { addSchedTask, deleteSchedTask, modifySchedTask } from "./SchedCommands.js"
import { getSchedTask, listSchedTask } from "./SchedQueries.js"
import {
  allMemberPushLoss,
  allMemberPushStatistics,
  allMemberPushTrace,
  normalPushLoss,
  normalPushStatistics,
  normalPushTrace
} from "./StatsCommands.js"
import { addTag, clearAllTags, getTag, removeTag } from "./TagCommands.js"

const all: ReadonlyArray<Command> = [
  getTag,
  addTag,
  removeTag,
  clearAllTags,
  setAttrName,
  getAttrName,
  setAttr,
  getAttr,
  removeAttr,
  push,
  batch,
  revoke,
  addSchedTask,
  modifySchedTask,
  deleteSchedTask,
  getSchedTask,
  listSchedTask,
  allMemberPushStatistics,
  allMemberPushLoss,
  allMemberPushTrace,
  normalPushStatistics,
  normalPushLoss,
  normalPushTrace,
  accountImport,
  multiaccountImport
]

const commands: ReadonlyMap<string, Command> = new Map(all.map((c) => [`/v4/${c.service.name}/${c.name}`, c]))

/** The command served at this path, if any. */
export const lookup = (path: string): Command | undefined => commands.get(path)

/** Calls per second of each command whose documented limit is not the general one. */
export const documentedLimits: Readonly<Record<string, number>> = Object.fromEntries(
  all.flatMap((c) => (c.rateLimit === undefined ? [] : [[c.name, c.rateLimit]]))
)
