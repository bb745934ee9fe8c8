/**
 * The edge scenario: what each runtime test runs INSIDE Deno, Bun or workerd. It uses only Web APIs
 * (fetch, Web Crypto, CompressionStream) through the published ESM of `@timtags/core` and
 * `@timtags/platform-fetch`, talks to the emulator (which runs on Node) and returns a JSON report that
 * the Node-side test asserts on.
 */
import { Client, PushTags, TimConfig, UserSig } from "@timtags/core"
import { FetchPlatform, WebSigner } from "@timtags/platform-fetch"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type { ErrorReport, ScenarioConfig, ScenarioReport } from "./report.ts"

const toReport = (error: unknown): ErrorReport => {
  const e = error as { _tag?: string; code?: number; reason?: string; account?: string; message?: string }
  return {
    _tag: e._tag ?? "Unknown",
    ...(typeof e.code === "number" ? { code: e.code } : {}),
    ...(typeof e.reason === "string" ? { reason: e.reason } : {}),
    ...(typeof e.account === "string" ? { account: e.account } : {}),
    message: String(e.message ?? error)
  }
}

const failureOf = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<ErrorReport | null, never, R> =>
  Effect.match(effect, { onFailure: toReport, onSuccess: () => null })

const client = (config: ScenarioConfig, secretKey: string) =>
  Client.layer({ window: "1 millis" }).pipe(
    Layer.provide(TimConfig.layer({ sdkAppId: config.sdkAppId, secretKey, baseUrl: config.baseUrl })),
    Layer.provide(FetchPlatform.layer)
  )

/** Queues a fault through the emulator's HTTP control endpoint. */
const injectFault = (config: ScenarioConfig, spec: unknown) =>
  Effect.promise(async () => {
    const response = await fetch(`${config.baseUrl}/__emulator/faults`, { method: "POST", body: JSON.stringify(spec) })
    await response.arrayBuffer()
    if (!response.ok) throw new Error(`injecting a fault answered ${response.status}`)
  })

/** Runs the scenario; never fails (each expected failure is part of the report). */
export const run = (config: ScenarioConfig): Promise<ScenarioReport> => {
  const lookups = Effect.gen(function*() {
    const pushTags = yield* PushTags.PushTags
    const tags: Record<string, ReadonlyArray<string>> = {}
    for (const account of ["ana", "ben"]) tags[account] = yield* pushTags.getTags(account)
    const outcomes = yield* pushTags.getTagsMany(["ana", "ben", "nobody"])
    const many: ScenarioReport["many"] = {}
    for (const [account, outcome] of outcomes) {
      many[account] = Result.isSuccess(outcome) ? { tags: outcome.success } : { error: toReport(outcome.failure) }
    }
    const unknownAccount = yield* failureOf(pushTags.getTags("nobody"))
    yield* injectFault(config, { command: "get_tag", times: 1, fault: { _tag: "ErrorCode", code: 90009 } })
    const apiError = yield* failureOf(pushTags.getTags("ana"))
    return { tags, many, unknownAccount, apiError }
  }).pipe(Effect.provide(client(config, config.secretKey)))

  const wrongKey = Effect.flatMap(PushTags.PushTags, (pushTags) => failureOf(pushTags.getTags("ana"))).pipe(
    Effect.provide(client(config, config.wrongKey))
  )

  const time = Math.floor(Date.now() / 1000)
  const signed = UserSig.sign({
    sdkAppId: config.sdkAppId,
    identifier: "administrator",
    secretKey: Redacted.make(config.secretKey),
    time,
    expire: 3600
  }).pipe(Effect.provide(WebSigner.layer))

  return Effect.runPromise(Effect.gen(function*() {
    const userSig = yield* signed
    const results = yield* lookups
    return {
      userAgent: typeof navigator === "undefined" ? "unknown" : navigator.userAgent,
      nodeLike:
        typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string",
      userSig: { identifier: "administrator", time, expire: 3600, value: Redacted.value(userSig) },
      ...results,
      wrongKey: yield* wrongKey
    }
  }))
}
