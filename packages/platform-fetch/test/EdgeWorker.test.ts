/**
 * `examples/edge-worker.ts` bundled (published ESM) and run in workerd through Miniflare, without
 * `nodejs_compat`, against the emulator: 200 with tags and per-account errors, 400 for bad input,
 * 502 with a typed body when the upstream call fails, 500 when bindings are missing.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Emulator } from "@timtags/emulator"
import type { Miniflare } from "miniflare"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { assertBuilt, bundleWorker, repoDir, startWorker, type WorkerBundle } from "../tools/edge.js"

const sdkAppId = 1400000004
const secretKey = "edge-worker-test-key"

let emulator: Emulator.RunningEmulator
let bundle: WorkerBundle
let worker: Miniflare

beforeAll(async () => {
  assertBuilt()
  emulator = await Emulator.startEmulator({
    sdkAppId,
    secretKey,
    rateLimit: Infinity,
    seed: { alice: ["vip", "beta"], bob: [] }
  })
  bundle = await bundleWorker(join(repoDir, "examples", "edge-worker.ts"))
  worker = await startWorker(bundle.code, {
    bindings: { TIM_SDKAPPID: String(sdkAppId), TIM_SECRET_KEY: secretKey, TIM_BASE_URL: emulator.baseUrl }
  })
}, 60_000)

afterAll(async () => {
  await worker?.dispose()
  await emulator?.close()
})

/** The answer of `GET path`; a body that is not JSON (workerd's own error text) fails with that text. */
const get = async (path: string, on: Miniflare = worker) => {
  const response = await on.dispatchFetch(`http://edge-worker.test${path}`)
  const text = await response.text()
  let body: any
  try {
    body = JSON.parse(text)
  } catch {
    throw new Error(`${response.status}, not JSON: ${text}`)
  }
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    timing: response.headers.get("server-timing"),
    body
  }
}

describe("examples/edge-worker.ts in workerd", () => {
  it("is bundled from the published ESM and nothing from node:*", () => {
    const ours = bundle.inputs.filter((p) => p.startsWith("packages/"))
    expect(ours.length).toBeGreaterThan(5)
    expect(ours.filter((p) => !/^packages\/(core|platform-fetch)\/dist\//.test(p))).toEqual([])
    expect(bundle.inputs.filter((p) => p.startsWith("node:"))).toEqual([])
  })

  it("holds what a tag lookup needs: no effect/Schema, no push, attribute or import module, no tag writes", async () => {
    // What the bundle keeps after tree shaking (every input has bytes in the output), not what it imports.
    const minified = await bundleWorker(join(repoDir, "examples", "edge-worker.ts"), { minify: true })
    const output = Object.values(minified.metafile.outputs)[0]!
    const kept = Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path)
    // Effect's Schema itself (SchemaIssue, small, holds the issue of a setting's ConfigError).
    const schema =
      /\/effect\/dist\/(Schema(AST|Parser|Getter|Transformation)?|internal\/schema\/(interpreter|toCodec|make))\.js$/
    expect(kept.filter((p) => schema.test(p))).toEqual([])
    expect(
      kept.filter((p) =>
        /\/core\/dist\/(Push|PushAttrs|PushSchedule|PushStats|Target|Notification|Attr|AccountImport|internal\/push\/\w+|internal\/tagRequests)\.js$/
          .test(p)
      )
    ).toEqual([])
    expect(kept).toContain("packages/core/dist/PushTags.js")
    // The size budget (issue 18): a size, not a speed, so it is the same on any machine for a given lockfile.
    const gzipped = gzipSync(minified.code, { level: 9 }).length
    expect(gzipped, `${(gzipped / 1024).toFixed(1)} KiB gzip`).toBeLessThanOrEqual(50 * 1024)
  })

  it("200: answers each account's tags, and unknown accounts as typed per-account errors", async () => {
    const { body, status, timing, type } = await get("/tags?account=alice&account=bob&account=nobody&account=alice")
    expect(status).toBe(200)
    expect(type).toMatch(/^application\/json/)
    expect(timing).toMatch(/^client;desc="cold", tags;dur=\d+$/)
    expect(body.tags).toEqual({ alice: ["vip", "beta"], bob: [] })
    expect(body.errors).toEqual({
      nobody: expect.objectContaining({
        _tag: "TimAccountError",
        code: 70107,
        reason: "UnknownAccount",
        account: "nobody"
      })
    })
  })

  it("builds the client once per isolate and reuses it, also for concurrent requests", async () => {
    // The 200 test above was this isolate's first request.
    await emulator.resetCalls()
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => get(`/tags?account=alice&account=u${i}`)))
    for (const [i, answer] of answers.entries()) {
      expect(answer.status).toBe(200)
      expect(answer.body.tags.alice).toEqual(["vip", "beta"])
      expect(Object.keys(answer.body.errors)).toEqual([`u${i}`])
      expect(answer.timing).toMatch(/^client;desc="warm", tags;dur=\d+$/)
    }
    // Each request sends its own accounts in its own call: workerd cancels a request that waits on
    // another request's I/O, so concurrent requests never share a batch.
    const calls = await emulator.calls()
    expect(calls.map((call) => [call.command, call.accounts])).toEqual(Array.from({ length: 12 }, () => ["get_tag", 2]))
  })

  it("answers concurrent first requests of a fresh isolate: one builds the shared services, none waits for another", async () => {
    // A second isolate, whose very first requests arrive together (the UserSig is signed while they run).
    const fresh = await startWorker(bundle.code, {
      bindings: { TIM_SDKAPPID: String(sdkAppId), TIM_SECRET_KEY: secretKey, TIM_BASE_URL: emulator.baseUrl }
    })
    try {
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => get(`/tags?account=alice&account=u${i}`, fresh))
      )
      for (const answer of answers) {
        expect(answer.status).toBe(200)
        expect(answer.body.tags.alice).toEqual(["vip", "beta"])
      }
      expect(answers.filter((answer) => answer.timing?.startsWith(`client;desc="cold"`)).length).toBe(1)
    } finally {
      await fresh.dispose()
    }
  })

  it("400: no account, an invalid account, too many accounts; no upstream call", async () => {
    await emulator.resetCalls()
    const none = await get("/tags")
    expect(none.status).toBe(400)
    expect(none.body.error).toMatchObject({ _tag: "BadRequest" })
    const long = await get(`/tags?account=alice&account=${"x".repeat(33)}`)
    expect(long.status).toBe(400)
    expect(long.body.error).toMatchObject({ _tag: "TimValidationError", field: "account" })
    const many = await get(`/tags?${Array.from({ length: 101 }, (_, i) => `account=u${i}`).join("&")}`)
    expect(many.status).toBe(400)
    expect(many.body.error.message).toMatch(/at most 100/)
    expect(await emulator.calls()).toEqual([])
  })

  it("502: an upstream API error becomes a typed error body", async () => {
    await emulator.injectFault({ command: "get_tag", times: 1, fault: { _tag: "ErrorCode", code: 90009 } })
    const denied = await get("/tags?account=alice")
    expect(denied.status).toBe(502)
    expect(denied.body.error).toMatchObject({
      _tag: "TimApiError",
      code: 90009,
      reason: "Permission",
      retryable: false
    })
    expect((await get("/tags?account=alice")).status).toBe(200)
  })

  it("502: an upstream HTTP failure that outlasts the retries becomes a TimTransportError body", async () => {
    await emulator.injectFault({ command: "get_tag", times: 4, fault: { _tag: "HttpStatus", status: 503 } })
    const failed = await get("/tags?account=alice")
    expect(failed.status).toBe(502)
    expect(failed.body.error).toMatchObject({
      _tag: "TimTransportError",
      kind: "HttpStatus",
      status: 503,
      retryable: true
    })
    expect((await get("/tags?account=alice")).status).toBe(200)
  })

  it("404/405 outside GET /tags", async () => {
    expect((await get("/")).status).toBe(404)
    const post = await worker.dispatchFetch("http://edge-worker.test/tags?account=alice", { method: "POST" })
    expect(post.status).toBe(405)
    await post.arrayBuffer()
  })

  it("500: missing bindings name the variable", async () => {
    const misconfigured = await startWorker(bundle.code, {
      bindings: { TIM_SDKAPPID: String(sdkAppId), TIM_BASE_URL: emulator.baseUrl }
    })
    try {
      const response = await misconfigured.dispatchFetch("http://edge-worker.test/tags?account=alice")
      expect(response.status).toBe(500)
      const body = (await response.json()) as any
      expect(body.error).toMatchObject({ _tag: "ConfigError" })
      expect(body.error.message).toMatch(/TIM_SECRET_KEY/)
    } finally {
      await misconfigured.dispose()
    }
  })
})
