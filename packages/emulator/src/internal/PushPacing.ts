/**
 * The pace Tencent holds pushes to: the minimum interval between accepted `push` calls (90024), the daily
 * quota (90047; a day runs from midnight to midnight UTC+8, Beijing time, where the service counts it), and
 * `MsgRandom` de-duplication, which holds only within one second: the same `MsgRandom` on the same channel
 * (`push` or `batch`) less than 1000 ms after an accepted call gets that call's answer and delivers nothing;
 * later it is a new push. Settings change while the emulator runs.
 */
import type { EmulatorOptions } from "../Emulator.js"
import { ErrorCode } from "../ErrorCodes.js"
import { defaultPushSettings, type PushSettings } from "../Pushes.js"
import type { Envelope } from "./Envelope.js"

/** Where a push came in: the de-duplication is per channel. */
export type Channel = "push" | "batch"

/** How long the same `MsgRandom` is taken for a resend. */
export const dedupMillis = 1000

const dayMillis = 86_400_000
const utc8Millis = 8 * 3_600_000

/** The quota day of a moment (days since 1970-01-01 in UTC+8). */
export const quotaDay = (at: number): number => Math.floor((at + utc8Millis) / dayMillis)

/** The pace of pushes. */
export interface PushPacing {
  readonly settings: () => PushSettings
  readonly update: (change: Partial<PushSettings>) => void
  /** The answer of the accepted call this one resends (same channel and `MsgRandom`, < 1000 ms earlier). */
  readonly duplicate: (channel: Channel, msgRandom: number, now: number) => Envelope | undefined
  /** Remembers an accepted call's answer for resends within the next second. */
  readonly remember: (channel: Channel, msgRandom: number, now: number, answer: Envelope) => void
  /** The code refusing a push at `now`: the quota (90047), then (when `spaced`) the interval (90024). */
  readonly refusal: (now: number, spaced: boolean) => number | undefined
  /** Counts a push accepted at `now` against the quota and the interval. */
  readonly count: (now: number) => void
}

/** The pace the options describe. */
export const make = (options: EmulatorOptions): PushPacing => {
  let settings: PushSettings = { ...defaultPushSettings, ...options.push }
  let lastAt: number | undefined
  let day = { day: -Infinity, count: 0 }
  const recent = new Map<string, { readonly at: number; readonly answer: Envelope }>()
  const usedOn = (at: number) => (day.day === quotaDay(at) ? day.count : 0)
  return {
    settings: () => settings,
    update: (change) => {
      settings = { ...settings, ...change }
    },
    duplicate: (channel, msgRandom, now) => {
      const seen = recent.get(`${channel}:${msgRandom}`)
      return seen !== undefined && now - seen.at < dedupMillis ? seen.answer : undefined
    },
    remember: (channel, msgRandom, now, answer) => {
      for (const [key, seen] of recent) if (now - seen.at >= dedupMillis) recent.delete(key)
      recent.set(`${channel}:${msgRandom}`, { at: now, answer })
    },
    refusal: (now, spaced) =>
      usedOn(now) >= settings.dailyQuota
        ? ErrorCode.DailyQuota
        : spaced && lastAt !== undefined && now - lastAt < settings.minIntervalMillis
        ? ErrorCode.PushTooFrequent
        : undefined,
    count: (now) => {
      day = { day: quotaDay(now), count: usedOn(now) + 1 }
      lastAt = now
    }
  }
}
