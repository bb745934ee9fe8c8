import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Emulator from "../src/Emulator.js"
import { app, call, codeOf, emulator } from "./helpers.js"

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
