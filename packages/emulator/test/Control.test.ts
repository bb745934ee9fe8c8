import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as TestClock from "effect/testing/TestClock"
import * as Emulator from "../src/Emulator.js"
import { app, call, codeOf, emulator, offline } from "./helpers.js"

const control = (baseUrl: string, method: string, path: string, body?: unknown) =>
  Effect.promise(async () => {
    const response = await fetch(`${baseUrl}/__emulator/${path}`, {
      method,
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
    })
    return { status: response.status, json: await response.json() as any }
  })

describe("HTTP control endpoints", () => {
  it.effect("seed, then the REST API sees the accounts", () =>
    Effect.gen(function*() {
      const emu = yield* emulator()
      const seeded = yield* control(emu.baseUrl, "POST", "seed", { alice: ["a", "b"], bob: [] })
      assert.deepStrictEqual(seeded, { status: 200, json: { ok: true } })
      const answer = yield* call(emu.baseUrl, "timpush/get_tag", { To_Account: ["alice", "bob"] })
      assert.deepStrictEqual(answer.json.UserTags, [
        { To_Account: "alice", Tags: ["a", "b"] },
        { To_Account: "bob", Tags: [] }
      ])
      const bad = yield* control(emu.baseUrl, "POST", "seed", { alice: "a" })
      assert.strictEqual(bad.status, 400)
      assert.isString(bad.json.error)
    }))

  it.effect("faults: inject (with \"Infinity\" times), then DELETE clears them", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const spec = { command: "get_tag", times: "Infinity", fault: { _tag: "HttpStatus", status: 503 } }
      assert.strictEqual((yield* control(emu.baseUrl, "POST", "faults", spec)).status, 200)
      const getTag = call(emu.baseUrl, "timpush/get_tag", { To_Account: ["alice"] })
      assert.strictEqual((yield* getTag).status, 503)
      assert.strictEqual((yield* getTag).status, 503)
      assert.strictEqual((yield* control(emu.baseUrl, "DELETE", "faults")).status, 200)
      assert.strictEqual((yield* getTag).status, 200)
      const bad = yield* control(emu.baseUrl, "POST", "faults", { fault: { _tag: "Explode" } })
      assert.strictEqual(bad.status, 400)
      assert.strictEqual((yield* control(emu.baseUrl, "POST", "faults", "{not json")).status, 400)
    }))

  it.effect("stats, calls, reset-calls and rate-limit", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const getTag = call(emu.baseUrl, "timpush/get_tag", { To_Account: ["alice"] })
      assert.strictEqual((yield* control(emu.baseUrl, "POST", "rate-limit", { limit: 1 })).status, 200)
      assert.deepStrictEqual([codeOf(yield* getTag), codeOf(yield* getTag)], [0, 60007])
      const stats = yield* control(emu.baseUrl, "GET", "stats")
      assert.deepStrictEqual(stats.json, {
        calls: 2,
        byCommand: { get_tag: 2 },
        byErrorCode: { "0": 1, "60007": 1 },
        maxInAnySecond: { get_tag: { received: 2, accepted: 1 } }
      })
      const calls = yield* control(emu.baseUrl, "GET", "calls")
      assert.deepStrictEqual(calls.json.map((c: { errorCode: number }) => c.errorCode), [0, 60007])
      assert.deepStrictEqual((yield* control(emu.baseUrl, "POST", "reset-calls")).json, { ok: true })
      assert.deepStrictEqual((yield* control(emu.baseUrl, "GET", "calls")).json, [])
      assert.strictEqual((yield* control(emu.baseUrl, "POST", "rate-limit", { limit: "Infinity" })).status, 200)
      assert.deepStrictEqual([codeOf(yield* getTag), codeOf(yield* getTag)], [0, 0])
      assert.strictEqual((yield* control(emu.baseUrl, "POST", "rate-limit", { limit: -1 })).status, 400)
    }))

  it.effect("rate-limit: GET shows the settings; POST changes those it names and keeps the others", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const settings = Effect.map(control(emu.baseUrl, "GET", "rate-limit"), (answer) => answer.json)
      const change = (body: unknown) => Effect.map(control(emu.baseUrl, "POST", "rate-limit", body), (a) => a.status)
      const strict = { limit: 100, stampAtArrival: true, countRefused: true, arrivalJitter: 0 }
      assert.deepStrictEqual(yield* settings, strict) // the defaults
      assert.strictEqual(yield* change({ stampAtArrival: false, countRefused: false, arrivalJitter: 25 }), 200)
      const lenient = { limit: 100, stampAtArrival: false, countRefused: false, arrivalJitter: 25 }
      assert.deepStrictEqual(yield* settings, lenient)
      assert.deepStrictEqual(yield* emu.rateLimit, lenient) // the same as the service's
      assert.strictEqual(yield* change({ limit: "Infinity" }), 200) // the old body still works
      assert.deepStrictEqual(yield* settings, { ...lenient, limit: "Infinity" })
      assert.strictEqual(yield* change({ limit: 7, countRefused: true, arrivalJitter: 0 }), 200)
      assert.deepStrictEqual(yield* settings, { ...lenient, limit: 7, countRefused: true, arrivalJitter: 0 })
      for (
        const bad of [
          { arrivalJitter: -1 },
          { arrivalJitter: 1.5 },
          { arrivalJitter: "Infinity" },
          { countRefused: "yes" },
          { stampAtArival: false }, // misspelt: refused rather than ignored
          [5]
        ]
      ) {
        const answer = yield* control(emu.baseUrl, "POST", "rate-limit", bad)
        assert.strictEqual(answer.status, 400, JSON.stringify(bad))
        assert.isString(answer.json.error)
      }
      assert.deepStrictEqual(yield* emu.rateLimit, { ...lenient, limit: 7, countRefused: true, arrivalJitter: 0 })
    }))

  it.effect("setRateLimit takes a limit, as before, or the settings to change", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ rateLimit: 5, countRefused: false, arrivalJitter: 3 })
      assert.deepStrictEqual(yield* emu.rateLimit, {
        limit: 5,
        stampAtArrival: true,
        countRefused: false,
        arrivalJitter: 3
      })
      yield* emu.setRateLimit(9)
      yield* emu.setRateLimit({ stampAtArrival: false, arrivalJitter: 0 })
      assert.deepStrictEqual(yield* emu.rateLimit, {
        limit: 9,
        stampAtArrival: false,
        countRefused: false,
        arrivalJitter: 0
      })
    }))
})

describe("control: attributes, devices, pushes", () => {
  it.effect("setAttrNames and seedAttrs keep the REST rules, and a broken one is a defect", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      yield* emu.setAttrNames({ "0": "city", "1": "device" }, { "1": 1 })
      assert.deepStrictEqual(yield* emu.attrNames, { names: { "0": "city", "1": "device" }, types: { "0": 0, "1": 1 } })
      const broken = [
        emu.setAttrNames({ "2": "city" }),
        emu.setAttrNames({}, { "0": 1 }),
        emu.seedAttrs({ alice: { device: "ios" } }),
        emu.seedAttrs({ bob: { nope: "x" } }),
        emu.seedAttrs({ bob: { city: "x".repeat(51) } })
      ]
      for (const effect of broken) {
        const exit = yield* Effect.exit(effect)
        assert.isTrue(Exit.isFailure(exit) && exit.cause.reasons.some((reason) => reason._tag === "Die"))
      }
      yield* emu.seedAttrs({ alice: { city: "Shenzhen" }, carol: { city: "Beijing" }, "reg-9": { device: "ios" } })
      assert.deepStrictEqual(yield* emu.attrsOf("alice"), { city: "Shenzhen" })
      assert.deepStrictEqual(yield* emu.attrsOf("carol"), { city: "Beijing" }) // created
      // reg-9 was created as a RegistrationID: a UserID attribute is refused for it
      const wrongKind = yield* call(emu.baseUrl, "timpush/set_attr", {
        UserAttrs: [{ To_Account: "reg-9", Attrs: { city: "x" } }]
      })
      assert.strictEqual(wrongKind.json.ErrorList[0].ErrorCode, 90035)
      assert.isUndefined(yield* emu.attrsOf("nobody"))
    }))

  it.effect("registerDevices creates RegistrationID accounts; pushes and scheduledTasks list what was accepted", () =>
    Effect.gen(function*() {
      const emu = yield* emulator()
      yield* emu.registerDevices(["reg-1", "reg-2"])
      assert.deepStrictEqual(yield* emu.tagsOf("reg-1"), [])
      const pushed = yield* call(emu.baseUrl, "timpush/push", { MsgRandom: 3, OfflinePushInfo: offline })
      assert.deepStrictEqual((yield* emu.pushes).map((p) => [p.taskId, p.recipients]), [
        [pushed.json.TaskId, ["reg-1", "reg-2"]]
      ])
      const added = yield* call(emu.baseUrl, "timpush/add_sched_task", {
        Sdkappid: app.sdkAppId,
        Type: "All",
        SchedAt: "1970-01-01 00:10:00",
        Content: { OfflinePushInfo: offline, MsgRandom: 8 }
      })
      assert.deepStrictEqual(yield* emu.scheduledTasks, [{
        taskId: added.json.TaskID,
        type: "All",
        createdAt: 0,
        schedAt: 600_000,
        content: { OfflinePushInfo: offline, MsgRandom: 8 },
        status: "pending",
        pushTaskId: undefined,
        dispatchError: undefined
      }])
    }))

  it.effect("recipients: whom a push or batch body would reach, over HTTP too, and nothing is pushed", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({
        seed: { alice: ["gold", "beta"], bob: ["gold"], carol: ["beta"] },
        attrs: { names: { "0": "city" }, values: { alice: { city: "Lisbon" }, carol: { city: "Porto" } } }
      })
      assert.deepStrictEqual(yield* emu.recipients({ Condition: { TagsAnd: ["gold"], TagsNot: ["beta"] } }), {
        recipients: ["bob"],
        missing: []
      })
      assert.deepStrictEqual((yield* emu.recipients({ Condition: { AttrsOr: { city: "Porto" } } })).recipients, [
        "carol"
      ])
      assert.deepStrictEqual((yield* emu.recipients({ OfflinePushInfo: offline })).recipients, [
        "alice",
        "bob",
        "carol"
      ])
      assert.deepStrictEqual(yield* emu.recipients({ To_Account: ["carol", "ghost", "carol"] }), {
        recipients: ["carol"],
        missing: ["ghost"]
      })
      const unknownAttr = yield* emu.recipients({ Condition: { AttrsAnd: { planet: "Mars" } } })
      assert.deepStrictEqual([unknownAttr.recipients, unknownAttr.refused?.code], [[], 90033])
      assert.strictEqual((yield* emu.recipients({ Condition: { TagsAnd: "gold" } })).refused?.code, 90001)
      const http = yield* control(emu.baseUrl, "POST", "recipients", { Condition: { TagsOr: ["beta"] } })
      assert.deepStrictEqual(http, { status: 200, json: { recipients: ["alice", "carol"], missing: [] } })
      assert.strictEqual((yield* control(emu.baseUrl, "POST", "recipients", "{not json")).status, 400)
      assert.deepStrictEqual(yield* emu.pushes, [])
    }))

  it.effect("the attrs option seeds names, types and values; one that breaks a rule fails the layer", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({
        devices: ["reg-1"],
        attrs: {
          names: { "0": "os" },
          types: { "0": 1 },
          values: { "reg-1": { os: "ios" }, "reg-2": { os: "android" } }
        }
      })
      assert.deepStrictEqual(yield* emu.attrsOf("reg-2"), { os: "android" }) // created as a RegistrationID
      const broken = yield* Effect.exit(emulator({ attrs: { names: { "0": "os", "1": "os" } } }))
      assert.isTrue(Exit.isFailure(broken))
    }))

  it.effect("HTTP: attr-names, attrs, read-accounts, devices, pushes, scheduled-tasks, push-settings, command-rate-limits", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ seed: { alice: [] } })
      const ok = { status: 200, json: { ok: true } }
      assert.deepStrictEqual(yield* control(emu.baseUrl, "POST", "attr-names", { names: { "0": "city" } }), ok)
      assert.deepStrictEqual((yield* control(emu.baseUrl, "GET", "attr-names")).json, {
        names: { "0": "city" },
        types: { "0": 0 }
      })
      const clash = yield* control(emu.baseUrl, "POST", "attr-names", { names: { "1": "city" } })
      assert.strictEqual(clash.status, 400)
      assert.include(clash.json.error, "attrName:city already exists at index:0")
      assert.strictEqual(
        (yield* control(emu.baseUrl, "POST", "attr-names", { names: {}, types: { "0": 2 } })).status,
        400
      )
      assert.deepStrictEqual(yield* control(emu.baseUrl, "POST", "attrs", { alice: { city: "Shenzhen" } }), ok)
      assert.strictEqual((yield* control(emu.baseUrl, "POST", "attrs", { alice: { nope: "x" } })).status, 400)
      assert.deepStrictEqual((yield* control(emu.baseUrl, "GET", "attrs/alice")).json, { city: "Shenzhen" })
      assert.deepStrictEqual((yield* control(emu.baseUrl, "GET", "attrs/nobody")).json, null)
      assert.deepStrictEqual(yield* control(emu.baseUrl, "POST", "devices", ["reg-1"]), ok)
      yield* call(emu.baseUrl, "timpush/push", { MsgRandom: 3, OfflinePushInfo: offline })
      const pushes = yield* control(emu.baseUrl, "GET", "pushes")
      assert.deepStrictEqual(pushes.json.map((p: { recipients: Array<string> }) => p.recipients), [["alice", "reg-1"]])
      assert.deepStrictEqual((yield* control(emu.baseUrl, "GET", "scheduled-tasks")).json, [])
      assert.deepStrictEqual((yield* control(emu.baseUrl, "GET", "push-settings")).json, {
        minIntervalMillis: 1000,
        dailyQuota: 100
      })
      assert.deepStrictEqual(yield* control(emu.baseUrl, "POST", "push-settings", { dailyQuota: "Infinity" }), ok)
      assert.deepStrictEqual(yield* emu.pushSettings, { minIntervalMillis: 1000, dailyQuota: Infinity })
      assert.deepStrictEqual((yield* control(emu.baseUrl, "GET", "push-settings")).json.dailyQuota, "Infinity")
      assert.strictEqual((yield* control(emu.baseUrl, "POST", "push-settings", { interval: 5 })).status, 400)
      assert.strictEqual((yield* control(emu.baseUrl, "POST", "push-settings", { minIntervalMillis: -1 })).status, 400)
      const limits = (yield* control(emu.baseUrl, "GET", "command-rate-limits")).json
      assert.deepStrictEqual([limits.batch, limits.revoke, limits.add_sched_task, limits.all_member_push_trace], [
        10,
        1,
        5,
        1
      ])
      assert.isUndefined(limits.get_tag) // the general limit
      assert.deepStrictEqual(
        yield* control(emu.baseUrl, "POST", "command-rate-limits", { batch: 40, revoke: "Infinity" }),
        ok
      )
      const changed = yield* emu.commandRateLimits
      assert.deepStrictEqual([changed.batch, changed.revoke, changed.list_sched_task], [40, Infinity, 5])
      const fault = { command: "push", fault: { _tag: "AcceptThenDelay", millis: 10 } }
      assert.deepStrictEqual(yield* control(emu.baseUrl, "POST", "faults", fault), ok)
      assert.deepStrictEqual(yield* control(emu.baseUrl, "POST", "faults", { fault: { _tag: "AcceptThenDrop" } }), ok)
      assert.strictEqual(
        (yield* control(emu.baseUrl, "POST", "faults", { fault: { _tag: "AcceptThenDelay" } })).status,
        400
      )
      yield* control(emu.baseUrl, "POST", "seed", { bob: ["vip", "beta"] })
      assert.deepStrictEqual((yield* control(emu.baseUrl, "POST", "read-accounts", ["alice", "bob", "nobody"])).json, {
        alice: { tags: [], attrs: { city: "Shenzhen" } },
        bob: { tags: ["vip", "beta"], attrs: {} },
        nobody: null
      })
      assert.strictEqual((yield* control(emu.baseUrl, "POST", "read-accounts", { alice: 1 })).status, 400)
    }))

  it.effect("a limit of 0 or Infinity turns the per-command limits off too", () =>
    Effect.gen(function*() {
      const emu = yield* emulator({ rateLimit: 0, seed: { alice: [] } })
      yield* TestClock.setTime(1000)
      const revoke = Effect.map(call(emu.baseUrl, "timpush/revoke", { TaskId: "x", OfflinePushInfo: offline }), codeOf)
      assert.deepStrictEqual(yield* Effect.all([revoke, revoke, revoke]), [90049, 90049, 90049])
    }))
})

describe("startEmulator (Promise API)", () => {
  it("starts, controls and closes an emulator", async () => {
    const running = await Emulator.startEmulator({ ...app, seed: { alice: ["a"] } })
    try {
      assert.match(running.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.strictEqual(running.baseUrl, `http://127.0.0.1:${running.port}`)
      await running.importAccounts(["bob"])
      await running.injectFault({ fault: { _tag: "ErrorCode", code: 91000 } })
      const answer = await Effect.runPromise(call(running.baseUrl, "timpush/get_tag", { To_Account: ["alice", "bob"] }))
      assert.strictEqual(codeOf(answer), 91000)
      assert.deepStrictEqual(await running.tagsOf("alice"), ["a"])
      assert.deepStrictEqual(await running.tagsOf("bob"), [])
      assert.strictEqual((await running.stats()).calls, 1)
      await running.setRateLimit({ countRefused: false })
      assert.strictEqual((await running.rateLimit()).countRefused, false)
      await running.setAttrNames({ "0": "city" })
      await running.seedAttrs({ alice: { city: "Shenzhen" } })
      assert.deepStrictEqual(await running.attrsOf("alice"), { city: "Shenzhen" })
      assert.deepStrictEqual(await running.attrNames(), { names: { "0": "city" }, types: { "0": 0 } })
      await running.registerDevices(["reg-1"])
      await running.setPushSettings({ dailyQuota: 10 })
      assert.deepStrictEqual(await running.pushSettings(), { minIntervalMillis: 1000, dailyQuota: 10 })
      assert.deepStrictEqual(await running.pushes(), [])
      assert.deepStrictEqual(await running.scheduledTasks(), [])
    } finally {
      await running.close()
    }
    const afterClose = await fetch(`${running.baseUrl}/__emulator/stats`).then(() => "answered", () => "refused")
    assert.strictEqual(afterClose, "refused")
  })

  it("rejects when the port is taken", async () => {
    const first = await Emulator.startEmulator(app)
    try {
      let failed = false
      await Emulator.startEmulator({ ...app, port: first.port }).then((second) => second.close(), () => {
        failed = true
      })
      assert.isTrue(failed)
    } finally {
      await first.close()
    }
  })
})
