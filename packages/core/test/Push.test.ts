/**
 * `Push` through the emulator: every guard refuses before any push call; pushes reach the recipients
 * the emulator resolves; a push is never sent twice for one intent (each ambiguous fault leaves
 * exactly the pushes the emulator accepted, one call, and a typed outcome-unknown error, whatever the
 * retry policy); certain refusals (90024, 60007, a request never written) are resent with the same
 * `MsgRandom`; the daily quota; pushes spaced by the limiter; per-account outcomes of a push to
 * listed accounts; revoke.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Notification from "@timtags/core/Notification"
import * as Push from "@timtags/core/Push"
import * as RetryPolicy from "@timtags/core/RetryPolicy"
import * as Target from "@timtags/core/Target"
import type * as TimConfig from "@timtags/core/TimConfig"
import { Emulator, type Faults } from "@timtags/emulator"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import type * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Harness from "./support/Harness.js"

const notice: Notification.Notification = { Title: "Sale", Desc: "20 % off", Ext: { deeplink: "app://sale" } }

/** Pushes unspaced at the client and at the emulator, for tests about something else than spacing. */
const unspaced = { "timpush/push": { limit: 100, windowMillis: 1000 } }

/** A client with attribute names, a few tagged users, pushes unspaced (unless `spaced`), and `services`. */
const pushClient = (
  options: {
    readonly spaced?: boolean
    readonly push?: Push.Options
    readonly emulator?: Partial<Emulator.EmulatorOptions>
    readonly config?: Partial<TimConfig.Options>
    readonly services?: Layer.Layer<never>
    readonly backupFromEmulator?: boolean
  } = {}
) =>
  Harness.client({
    emulator: {
      attrs: { names: { "0": "city" }, values: { alice: { city: "Lisbon" }, bob: { city: "Porto" } } },
      ...(options.spaced ? {} : { push: { minIntervalMillis: 0 } }),
      ...options.emulator
    },
    client: { ...(options.spaced ? {} : { rates: unspaced }), ...(options.push ? { push: options.push } : {}) },
    ...(options.config ? { config: options.config } : {}),
    ...(options.services ? { services: options.services } : {}),
    ...(options.backupFromEmulator ? { backupFromEmulator: true } : {})
  })

const emulator = Emulator.Emulator
const pushCalls = Effect.map(
  Effect.flatMap(emulator, (emu) => emu.calls),
  (calls) => calls.filter((c) => c.command === "push" || c.command === "batch")
)
const pushes = Effect.flatMap(emulator, (emu) => emu.pushes)
const inject = (fault: Faults.Fault, command = "push") =>
  Effect.flatMap(emulator, (emu) => emu.injectFault({ command, fault }))
const send = (target: Target.Broadcast, notification: Notification.Notification = notice) =>
  Effect.flatMap(Push.Push, (push) => push.send(target, notification))

describe("every guard refuses before any push call", () => {
  const refusals: ReadonlyArray<readonly [string, Target.Broadcast, Notification.Notification?]> = [
    ["an empty tag condition (it would reach everyone)", Target.tags({})],
    ["`not` alone (it would reach nearly everyone)", Target.tags({ not: ["muted"] })],
    ["more than 10 tags in a list", Target.tags({ and: Array.from({ length: 11 }, (_, i) => `t${i}`) })],
    ["an empty tag", Target.tags({ and: [""] })],
    ["a tag over 50 bytes", Target.tags({ or: ["€".repeat(17)] })],
    ["a tag in both `and` and `or`", Target.tags({ and: ["gold"], or: ["gold", "silver"] })],
    ["an empty attribute condition", Target.attrs({})],
    ["an attribute the app has not named", Target.attrs({ and: { planet: "Mars" } })],
    [
      "tags and attributes mixed",
      { _tag: "Tags", and: ["gold"], or: [], not: [], AttrsAnd: {}, accounts: ["x"] } as never
    ],
    ["no target at all", undefined as never],
    ["an all-user body over 10 KB", Target.allUsers, { Title: "big", Desc: "x".repeat(10_300) }],
    ["a badge out of range", Target.allUsers, { BadgeAddNum: 0 }],
    ["a PushFlag other than 0 or 1", Target.allUsers, { PushFlag: 2 as never }],
    ["an Ext that is not JSON", Target.allUsers, { Ext: { n: 10n } }]
  ]
  for (const [name, target, notification] of refusals) {
    it.live(name, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(send(target, notification))
        expect(error._tag).toBe("TimValidationError")
        expect(yield* pushCalls).toHaveLength(0)
      }).pipe(Effect.provide(pushClient())))
  }

  it.live("an empty account list, and invalid accounts each refused alone", () =>
    Effect.gen(function*() {
      const push = yield* Push.Push
      const none = yield* Effect.flip(push.send(Target.accounts([]), notice))
      expect(none._tag).toBe("TimValidationError")
      expect(yield* pushCalls).toHaveLength(0)
      const receipt = yield* push.send(Target.accounts(["alice", "", "x".repeat(33)]), notice)
      expect(receipt.outcomes.get("")).toMatchObject({ failure: { _tag: "TimValidationError" } })
      expect(receipt.outcomes.get("alice")).toEqual(Result.succeed(receipt.tasks[0]!.taskId))
      expect((yield* pushes)[0]!.recipients).toEqual(["alice"])
    }).pipe(Effect.provide(pushClient())))
})

describe("send reaches the recipients the emulator resolves", () => {
  it.live("all users, by tag (and, or, not), by attribute", () =>
    Effect.gen(function*() {
      const emu = yield* emulator
      yield* emu.seed({ dora: ["gold", "beta", "muted"], ed: ["gold", "beta"], flo: ["gold", "muted", "away"] })
      const all = yield* send(Target.allUsers)
      const tagged = yield* send(Target.tags({ and: ["gold"], or: ["beta", "away"], not: ["muted", "away"] }))
      const byCity = yield* send(Target.attrs({ or: { city: "Porto" } }))
      const [p1, p2, p3] = yield* pushes
      expect(p1).toMatchObject({ kind: "all", taskId: all.taskId, msgRandom: all.msgRandom, condition: undefined })
      expect(p1!.recipients.length).toBeGreaterThan(5)
      // "not" excludes only a user holding every `not` tag: flo (muted and away), not dora (muted only);
      // alice (gold, beta) was seeded by the harness.
      expect([...p2!.recipients].sort()).toEqual(["alice", "dora", "ed"])
      expect(p2).toMatchObject({
        kind: "tag",
        taskId: tagged.taskId,
        condition: { TagsAnd: ["gold"], TagsOr: ["beta", "away"], TagsNot: ["muted", "away"] }
      })
      expect(p3).toMatchObject({ kind: "attr", taskId: byCity.taskId, recipients: ["bob"] })
      expect(p3!.offlinePushInfo).toMatchObject({ Title: "Sale", Ext: "{\"deeplink\":\"app://sale\"}" })
    }).pipe(Effect.provide(pushClient())))

  it.live("listed accounts: tasks of at most 500, each account its own outcome", () =>
    Effect.gen(function*() {
      const emu = yield* emulator
      const known = Array.from({ length: 1200 }, (_, i) => `u${i}`)
      yield* emu.importAccounts(known)
      const ghosts = Array.from({ length: 30 }, (_, i) => `ghost${i}`)
      const push = yield* Push.Push
      const receipt = yield* push.send(Target.accounts([...known, ...ghosts, "", "u1"]), notice)
      expect(receipt.tasks.map((t) => t.accounts.length)).toEqual([500, 500, 230])
      expect((yield* pushCalls).map((c) => c.accounts)).toEqual([500, 500, 230])
      expect(receipt.outcomes.get("u7")).toEqual(Result.succeed(receipt.tasks[0]!.taskId))
      expect(receipt.outcomes.get("ghost3")).toMatchObject({ failure: { _tag: "TimAccountError", code: 70107 } })
      expect(receipt.outcomes.get("")).toMatchObject({ failure: { _tag: "TimValidationError" } })
      expect(new Set(receipt.tasks.map((t) => t.msgRandom)).size).toBe(3)
      expect((yield* pushes).reduce((n, p) => n + p.recipients.length, 0)).toBe(1200)
    }).pipe(Effect.provide(pushClient())))
})

describe("never a second push for one intent", () => {
  const generous = RetryPolicy.layer({ maxAttempts: 10, base: "1 millis", throttledBase: "1 millis" })
  const ambiguous: ReadonlyArray<readonly [string, Faults.Fault, number]> = [
    ["accepted, then the connection dropped", { _tag: "AcceptThenDrop" }, 1],
    ["accepted, then answered after the client's timeout", { _tag: "AcceptThenDelay", millis: 4_000 }, 1],
    ["an HTML 502", { _tag: "HttpStatus", status: 502, body: "<html>Bad Gateway</html>" }, 0],
    ["91000", { _tag: "ErrorCode", code: 91000 }, 0],
    ["a reset after the write", { _tag: "Drop" }, 0]
  ]
  for (const [name, fault, accepted] of ambiguous) {
    it.live(
      `${name}: one call, ${accepted} push recorded, a typed outcome-unknown error, even under a generous retry policy`,
      () =>
        Effect.gen(function*() {
          yield* inject(fault)
          const error = yield* Effect.flip(send(Target.tags({ and: ["gold"] })))
          expect(error).toMatchObject({
            _tag: "TimOutcomeUnknownError",
            reason: "OutcomeUnknown",
            retryable: false,
            command: "timpush/push",
            target: "tags {\"TagsAnd\":[\"gold\"]}",
            attempts: 1
          })
          if (error._tag !== "TimOutcomeUnknownError") return
          expect(yield* pushCalls).toHaveLength(1)
          const recorded = yield* pushes
          expect(recorded).toHaveLength(accepted)
          if (accepted === 1) expect(recorded[0]!.msgRandom).toBe(error.msgRandom)
          expect(error.message).toContain("not resent")
        }).pipe(Effect.provide(pushClient({ services: generous, config: { requestTimeout: "3500 millis" } }))),
      15_000
    )
  }

  it.live("a push to listed accounts: an ambiguous task fails its accounts with outcome-unknown, the others go on", () =>
    Effect.gen(function*() {
      const emu = yield* emulator
      const known = Array.from({ length: 600 }, (_, i) => `v${i}`)
      yield* emu.importAccounts(known)
      yield* inject({ _tag: "AcceptThenDrop" }, "batch")
      const push = yield* Push.Push
      const receipt = yield* push.send(Target.accounts(known), notice)
      expect(yield* pushCalls).toHaveLength(2)
      expect((yield* pushes).map((p) => p.recipients.length).sort()).toEqual([100, 500])
      const unknown = [...receipt.outcomes.values()].filter((o) =>
        Result.isFailure(o) && o.failure._tag === "TimOutcomeUnknownError"
      )
      expect(unknown.length + receipt.tasks.reduce((n, t) => n + t.accounts.length, 0)).toBe(600)
      expect(receipt.tasks).toHaveLength(1)
    }).pipe(Effect.provide(pushClient({ services: generous }))))

  it.live("a 90024 (another push within the second) is resent after the interval, with the same MsgRandom", () =>
    Effect.gen(function*() {
      const emu = yield* emulator
      yield* emu.setPushSettings({ minIntervalMillis: 1000 })
      const push = yield* Push.Push
      const first = yield* Effect.forkChild(push.send(Target.allUsers, notice))
      const second = yield* Effect.forkChild(push.send(Target.tags({ and: ["gold"] }), notice))
      const tasks = [yield* Fiber.join(first), yield* Fiber.join(second)]
      const calls = yield* pushCalls
      expect(calls.map((c) => c.errorCode)).toEqual([0, 90024, 0])
      const recorded = yield* pushes
      expect(recorded.map((p) => p.msgRandom).sort()).toEqual(tasks.map((t) => t.msgRandom).sort())
      expect(recorded[1]!.at - recorded[0]!.at).toBeGreaterThanOrEqual(1000)
    }).pipe(Effect.provide(pushClient())))

  it.live("a frequency-limit answer is resent; the push is recorded once", () =>
    Effect.gen(function*() {
      yield* inject({ _tag: "ErrorCode", code: 60007 })
      const task = yield* send(Target.allUsers)
      expect((yield* pushCalls).map((c) => c.errorCode)).toEqual([60007, 0])
      expect((yield* pushes).map((p) => p.taskId)).toEqual([task.taskId])
    }).pipe(Effect.provide(pushClient())))

  it.live("a request never written (connection refused) is resent, here to the backup domain", () =>
    Effect.gen(function*() {
      const task = yield* send(Target.allUsers)
      expect((yield* pushes).map((p) => p.taskId)).toEqual([task.taskId])
    }).pipe(Effect.provide(pushClient({ config: { baseUrl: "http://127.0.0.1:9" }, backupFromEmulator: true }))))

  it.live("refused every time: a transport error after the attempts, never an outcome-unknown, nothing pushed", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(send(Target.allUsers))
      expect(error).toMatchObject({ _tag: "TimTransportError", kind: "Network" })
      expect(yield* pushes).toHaveLength(0)
    }).pipe(Effect.provide(pushClient({ config: { baseUrl: "http://127.0.0.1:9" } }))))

  it.live("a rejection (90045, feature off) is the answer: not resent, not unknown", () =>
    Effect.gen(function*() {
      yield* inject({ _tag: "ErrorCode", code: 90045 })
      const error = yield* Effect.flip(send(Target.allUsers))
      expect(error).toMatchObject({ _tag: "TimApiError", code: 90045 })
      expect(yield* pushCalls).toHaveLength(1)
    }).pipe(Effect.provide(pushClient({ services: generous }))))
})

describe("daily quota and spacing", () => {
  it.live("the client's count refuses the push over the quota before any call", () =>
    Effect.gen(function*() {
      yield* send(Target.allUsers)
      yield* send(Target.allUsers)
      const error = yield* Effect.flip(send(Target.allUsers))
      expect(error).toMatchObject({ _tag: "TimQuotaError", source: "client", quota: 2, reason: "QuotaExceeded" })
      expect(yield* pushCalls).toHaveLength(2)
    }).pipe(Effect.provide(pushClient({ push: { dailyQuota: 2 } }))))

  it.live("Tencent's 90047 is a TimQuotaError, and the day counts as used up", () =>
    Effect.gen(function*() {
      yield* send(Target.allUsers)
      const server = yield* Effect.flip(send(Target.allUsers))
      expect(server).toMatchObject({ _tag: "TimQuotaError", source: "server" })
      const client = yield* Effect.flip(send(Target.allUsers))
      expect(client).toMatchObject({ _tag: "TimQuotaError", source: "client" })
      expect(yield* pushCalls).toHaveLength(2)
    }).pipe(Effect.provide(pushClient({ emulator: { push: { minIntervalMillis: 0, dailyQuota: 1 } } }))))

  it.live("a push Tencent rejected gives its use of the quota back", () =>
    Effect.gen(function*() {
      yield* inject({ _tag: "ErrorCode", code: 90045 })
      yield* Effect.flip(send(Target.allUsers))
      yield* send(Target.allUsers)
      expect(yield* pushes).toHaveLength(1)
    }).pipe(Effect.provide(pushClient({ push: { dailyQuota: 1 } }))))

  it.live("pushes are written at least 1.1 s apart by default", () =>
    Effect.gen(function*() {
      const push = yield* Push.Push
      yield* Effect.forEach([1, 2, 3], () => push.send(Target.allUsers, notice), { concurrency: "unbounded" })
      const at = (yield* pushCalls).map((c) => c.at)
      expect(at).toHaveLength(3)
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1000)
      expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(1000)
      expect((yield* pushCalls).every((c) => c.errorCode === 0)).toBe(true)
    }).pipe(Effect.provide(pushClient({ spaced: true }))), 15_000)
})

describe("revoke", () => {
  it.live(
    "ends a task; a task revoked twice counts as revoked; an unknown task is 90049",
    () =>
      Effect.gen(function*() {
        const push = yield* Push.Push
        const task = yield* push.send(Target.allUsers, notice)
        yield* push.revoke(task.taskId, { Title: "Cancelled", Desc: "The sale is over" })
        expect((yield* pushes)[0]!.revoked).toBe(true)
        yield* push.revoke(task.taskId, { Title: "Cancelled" })
        const unknown = yield* Effect.flip(push.revoke("no-such-task", { Title: "x" }))
        expect(unknown).toMatchObject({ _tag: "TimApiError", code: 90049 })
        const empty = yield* Effect.flip(push.revoke("", { Title: "x" }))
        expect(empty._tag).toBe("TimValidationError")
      }).pipe(Effect.provide(pushClient())),
    10_000
  )
})
