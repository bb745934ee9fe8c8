/**
 * The book of accepted pushes, in order: each push's public record, plus what the statistics need (the listed
 * accounts that did not exist) and whether `revoke` may take it back (all-user, tag and attribute pushes;
 * not `batch`, whose revocability the sources dispute).
 */
import type { PushRecord } from "../Pushes.js"
import * as TaskIds from "./TaskIds.js"

/** One accepted push as the book keeps it. */
export interface Entry {
  readonly record: PushRecord
  /** Accounts the call listed that did not exist (`batch` and scheduled `User` tasks). */
  readonly missing: ReadonlyArray<string>
  readonly revocable: boolean
}

/** What a new push is; the book mints its TaskId (a `batch_` one when `batchId`). */
export interface NewPush extends Omit<PushRecord, "taskId" | "revoked"> {
  readonly batchId: boolean
  readonly missing: ReadonlyArray<string>
  readonly revocable: boolean
}

/** The book. */
export interface PushBook {
  readonly add: (push: NewPush) => PushRecord
  readonly find: (taskId: string) => Entry | undefined
  readonly revoke: (taskId: string) => void
  readonly entries: () => ReadonlyArray<Entry>
  readonly records: () => ReadonlyArray<PushRecord>
}

/** An empty book for the app. */
export const make = (sdkAppId: number): PushBook => {
  const ids = TaskIds.make(sdkAppId)
  const entries: Array<Entry> = []
  const byTaskId = new Map<string, number>()
  return {
    add: ({ batchId, missing, revocable, ...fields }) => {
      const taskId = (batchId ? ids.batch : ids.push)(fields.at, fields.msgRandom)
      const record: PushRecord = { taskId, ...fields, revoked: false }
      byTaskId.set(taskId, entries.push({ record, missing, revocable }) - 1)
      return record
    },
    find: (taskId) => {
      const index = byTaskId.get(taskId)
      return index === undefined ? undefined : entries[index]
    },
    revoke: (taskId) => {
      const index = byTaskId.get(taskId)!
      const entry = entries[index]!
      entries[index] = { ...entry, record: { ...entry.record, revoked: true } }
    },
    entries: () => entries.slice(),
    records: () => entries.map((entry) => entry.record)
  }
}
