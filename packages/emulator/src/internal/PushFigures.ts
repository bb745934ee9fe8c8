/**
 * Statistics, loss and trace figures from the emulator's own pushes, shaped as Tencent's statistics API names
 * them (spec beyond-tags §3.5). The emulator delivers every push at once and online, to every recipient, and
 * nobody clicks: a push's total is the accounts it named (for a `batch`, the listed ones, existing or not),
 * sent and delivered are its recipients, clicks are 0. The listed accounts that did not exist are its only
 * loss, before sending, with the String `ErrCode` "70107". Platform rows use `EventType` 2 (online) and
 * `PushPlatform` 0, as Tencent's callback sample does for an online event; the rest of a trace are plausible
 * placeholders.
 */
import type { Entry } from "./PushBook.js"

/** The counts of one statistics row. */
export interface Counts {
  readonly TotalCount: number
  readonly SentCount: number
  readonly DeliveredCount: number
  readonly ClickCount: number
}

const online = { EventType: 2, PushPlatform: 0 } as const

/** The counts of the pushes, and their one platform row. */
export const statistics = (entries: ReadonlyArray<Entry>) => {
  const sent = entries.reduce((n, entry) => n + entry.record.recipients.length, 0)
  const counts: Counts = {
    TotalCount: sent + entries.reduce((n, entry) => n + entry.missing.length, 0),
    SentCount: sent,
    DeliveredCount: sent,
    ClickCount: 0
  }
  return { ...counts, PlatformStatistics: [{ ...online, ...counts }] }
}

/** The loss of the pushes, by error code (a String, as Tencent sends it). */
export const loss = (entries: ReadonlyArray<Entry>) => {
  const missing = entries.reduce((n, entry) => n + entry.missing.length, 0)
  const notFound = { ErrCode: "70107", ErrCount: missing, ErrInfo: "account does not exist" }
  return {
    ReadyToSendLoss: missing === 0 ? [] : [notFound],
    PostSendDeliveredLoss: [],
    PlatformLoss: []
  }
}

/** One push stage of a trace: done, without error, at `at` (unix seconds). */
const stage = (at: number) => ({ PushStatus: 1, ErrorCode: 0, ErrorInfo: "", EventTime: at })

/** How the push reached the account (one device instance), or none when it was not a recipient. */
export const trace = (entry: Entry | undefined, account: string) => {
  if (entry === undefined || !entry.record.recipients.includes(account)) return []
  const at = Math.floor(entry.record.at / 1000)
  return [{
    InstanceId: 1,
    PushTime: at,
    System: "emulator",
    PushPlatform: online.PushPlatform,
    Token: `emulator-token-${account}`,
    CertId: 0,
    SdkVersion: "",
    NotificationStatus: 1,
    last_active_terminal: "emulator",
    IMCommitStat: { IMStat: stage(at) },
    OnlinePushStat: { OnlineStat: stage(at) },
    OfflinePushStat: { OfflineStat: stage(at), ChannelStat: stage(at), DeviceStat: stage(at), ClickStat: stage(at) }
  }]
}
