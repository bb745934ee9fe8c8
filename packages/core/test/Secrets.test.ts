import { describe, expect, it } from "@effect/vitest"
import * as Client from "@timtags/core/Client"
import * as Push from "@timtags/core/Push"
import * as PushSchedule from "@timtags/core/PushSchedule"
import * as PushTags from "@timtags/core/PushTags"
import * as RateLimit from "@timtags/core/RateLimit"
import * as RetryPolicy from "@timtags/core/RetryPolicy"
import * as Target from "@timtags/core/Target"
import * as TimConfig from "@timtags/core/TimConfig"
import * as TimRest from "@timtags/core/TimRest"
import * as UserSigCache from "@timtags/core/UserSigCache"
import { Emulator } from "@timtags/emulator"
import { NodePlatform } from "@timtags/platform-node"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Formatter from "effect/Formatter"
import * as HttpClient from "effect/http/HttpClient"
import * as UrlParams from "effect/http/UrlParams"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Tracer from "effect/Tracer"
import { Console } from "node:console"
import { PassThrough } from "node:stream"
import * as Harness from "./support/Harness.js"
import { recordingLogger, recordingTracer } from "./support/Recorders.js"

/** The client stack with the UserSig cache exposed, so the test knows which UserSig went out. */
const stack = (config: Partial<TimConfig.Options> = {}, services: Layer.Layer<never> = Layer.empty) =>
  PushTags.layer().pipe(
    Layer.provideMerge(TimRest.layer()),
    Layer.provideMerge(UserSigCache.layer),
    Layer.provide(RateLimit.layerMemory()),
    Layer.provide(Harness.config(config)),
    Layer.provide(NodePlatform.layer),
    Layer.provideMerge(Harness.emulator()),
    Layer.provide(RetryPolicy.layer({ base: "1 millis", throttledBase: "1 millis" })),
    Layer.provide(services)
  )

/** What `console.log` prints for a value: a real `Console` writing into a buffer. */
const consoleLogged = (value: unknown): string => {
  const out = new PassThrough()
  new Console(out).log(value)
  return String(out.read())
}

/** Every way a user might print an error. */
const renderings = (error: unknown, cause: Cause.Cause<unknown>): Array<string> => [
  consoleLogged(error),
  String(error),
  error instanceof Error ? error.message : "",
  error instanceof Error ? error.stack ?? "" : "",
  JSON.stringify(error),
  JSON.stringify(
    error instanceof Error && "toJSON" in error && typeof error.toJSON === "function" ? error.toJSON() : null
  ),
  Formatter.format(error),
  Cause.pretty(cause)
]

describe("secrets stay out of logs, spans, error messages and toJSON()", () => {
  it.live("for succeeding and failing calls alike", () => {
    const tracing = recordingTracer()
    const logging = recordingLogger()
    const printed: Array<string> = []
    return Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const tags = yield* PushTags.PushTags
      const userSig = Redacted.value(yield* (yield* UserSigCache.UserSigCache).current)
      expect(userSig.length).toBeGreaterThan(50)

      const record = <A, E>(label: string, effect: Effect.Effect<A, E>) =>
        effect.pipe(
          Effect.tap((a) => Effect.logInfo(label, a)),
          Effect.tapCause((cause) =>
            Effect.gen(function*() {
              const error = Cause.squash(cause)
              printed.push(...renderings(error, cause))
              yield* Effect.logError(error)
              yield* Effect.logError(label, cause)
            })
          ),
          Effect.result
        )

      yield* record("ok", tags.getTags("alice"))
      yield* record("many", tags.getTagsMany(["alice", "mallory", ""]))
      yield* record("unknown", tags.getTags("mallory"))
      yield* emu.injectFault({ fault: { _tag: "HttpStatus", status: 502 }, times: 10 })
      yield* record("502", tags.getTags("bob"))
      yield* emu.clearFaults
      yield* emu.injectFault({ fault: { _tag: "ErrorCode", code: 70009 }, times: 1 })
      yield* record("70009", tags.getTags("bob"))
      yield* emu.injectFault({ fault: { _tag: "ErrorCode", code: 70001 }, times: 1 })
      yield* record("70001", tags.getTags("carol"))
      yield* emu.injectFault({ fault: { _tag: "Drop" }, times: 10 })
      yield* record("drop", tags.getTags("bob"))
      yield* emu.clearFaults
      yield* emu.injectFault({ fault: { _tag: "HttpStatus", status: 200, body: "not json" }, times: 1 })
      yield* record("decode", tags.getTags("bob"))

      const everything = [tracing.dump(), logging.lines.join("\n"), printed.join("\n")].join("\n")
      // The recorders did see the calls (the test would be vacuous otherwise).
      expect(tracing.spans.filter((s) => s.name === "timtags timpush/get_tag").length).toBeGreaterThan(5)
      expect(tracing.spans.filter((s) => s.name === "timtags.batch").length).toBeGreaterThan(5)
      expect(tracing.spans.filter((s) => s.name === "PushTags.getTags").length).toBeGreaterThan(5)
      expect(logging.lines.length).toBeGreaterThan(8)
      expect(everything).toContain("70009")
      expect(everything).toContain("502")
      // The printed errors carry their classification (and the credential hint), still without a secret.
      expect(printed.join("\n")).toContain(`"reason":"Credentials"`)
      expect(printed.join("\n")).toContain(`"retryClass":"no","retryable":false,"hint":"the SecretKey does not belong`)
      expect(printed.join("\n")).toContain("reason: 'ServerBusy'")
      // The REST spans carry the URL, without its query.
      const urls = tracing.spans.map((s) => s.attributes.get("url.full")).filter((u) => u !== undefined)
      expect(urls.length).toBeGreaterThan(0)
      for (const url of urls) expect(String(url)).toBe(`${emu.baseUrl}/v4/timpush/get_tag`)
      // And the secrets are nowhere.
      expect(everything).not.toContain(Harness.secretKey)
      expect(everything).not.toContain(userSig)
      expect(everything).not.toContain(userSig.slice(0, 24))
      expect(everything.toLowerCase()).not.toMatch(/usersig=[^<&\s]/)
    }).pipe(
      // The tracer and logger go to the caller and to the service, whose context every batch runs in.
      Effect.provide(stack({}, Layer.mergeAll(Layer.succeed(Tracer.Tracer, tracing.tracer), logging.layer))),
      Effect.withTracer(tracing.tracer),
      Effect.provide(logging.layer)
    )
  })

  it.live("for pushes: sent, refused, ambiguous, over the quota, revoked, scheduled", () => {
    // The UserSig that went out, taken off the requests themselves.
    const sent: { usersig?: string | undefined } = {}
    const tracing = recordingTracer()
    const logging = recordingLogger()
    const printed: Array<string> = []
    const services = Layer.mergeAll(Layer.succeed(Tracer.Tracer, tracing.tracer), logging.layer)
    return Effect.gen(function*() {
      const emu = yield* Emulator.Emulator
      const push = yield* Push.Push
      const schedule = yield* PushSchedule.PushSchedule
      const record = <A, E>(effect: Effect.Effect<A, E>) =>
        effect.pipe(
          Effect.tapCause((cause) =>
            Effect.gen(function*() {
              const error = Cause.squash(cause)
              printed.push(...renderings(error, cause))
              yield* Effect.logError(error)
            })
          ),
          Effect.result
        )
      const notice = { Title: "Sale", Desc: "20 % off" }
      const task = yield* record(push.send(Target.allUsers, notice))
      yield* emu.injectFault({ command: "push", fault: { _tag: "AcceptThenDrop" } })
      yield* record(push.send(Target.tags({ and: ["gold"] }), notice))
      yield* emu.injectFault({ command: "push", fault: { _tag: "ErrorCode", code: 90045 } })
      yield* record(push.send(Target.allUsers, notice)) // the rejected push gave its use back
      yield* record(push.send(Target.allUsers, notice))
      yield* record(push.send(Target.allUsers, notice)) // over the quota of 3
      yield* record(push.send(Target.accounts(["alice", "mallory", ""]), notice))
      if (task._tag === "Success") yield* record(push.revoke(task.success.taskId, notice))
      yield* record(schedule.add(new Date(Date.now() + 3_600_000), Target.allUsers, notice))
      const userSig = sent.usersig ?? ""
      expect(userSig.length).toBeGreaterThan(50)
      const everything = [tracing.dump(), logging.lines.join("\n"), printed.join("\n")].join("\n")
      expect(tracing.spans.filter((s) => s.name === "timtags timpush/push").length).toBe(4)
      expect(tracing.spans.some((s) => s.name === "Push.send")).toBe(true)
      expect(everything).toContain("TimOutcomeUnknownError")
      expect(everything).toContain("TimQuotaError")
      expect(everything).toContain("90045")
      expect(everything).not.toContain(Harness.secretKey)
      expect(everything).not.toContain(userSig)
      expect(everything).not.toContain(userSig.slice(0, 24))
      expect(everything.toLowerCase()).not.toMatch(/usersig=[^<&\s]/)
    }).pipe(
      Effect.provide(
        Harness.client({
          emulator: { push: { minIntervalMillis: 0 } },
          client: {
            rates: { "timpush/push": { limit: 100, windowMillis: 1000 } },
            push: { dailyQuota: 3 },
            transformClient: HttpClient.tapRequest((request) =>
              Effect.sync(() => {
                sent.usersig = Option.getOrUndefined(UrlParams.getFirst(request.urlParams, "usersig"))
              })
            )
          },
          services
        })
      ),
      Effect.withTracer(tracing.tracer),
      Effect.provide(logging.layer)
    )
  })

  it.live("a ready-made UserSig stays out of errors and spans too", () => {
    const tracing = recordingTracer()
    const readyMade = "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMog"
    return Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      const error = yield* Effect.flip(tags.getTags("alice"))
      expect(error).toMatchObject({ _tag: "TimApiError", reason: "Credentials" })
      expect(tracing.spans.some((s) => s.name === "timtags.batch")).toBe(true)
      expect(tracing.spans.some((s) => s.name === "timtags timpush/get_tag")).toBe(true)
      const text = [...renderings(error, Cause.fail(error)), tracing.dump()].join("\n")
      expect(text).not.toContain(readyMade)
      expect(text).not.toContain(readyMade.slice(0, 24))
    }).pipe(
      Effect.provide(stack({ secretKey: undefined, userSig: readyMade }, Layer.succeed(Tracer.Tracer, tracing.tracer))),
      Effect.withTracer(tracing.tracer)
    )
  })
})

describe("secrets stay out of configuration errors", () => {
  const key = "k3y-0f1e2d3c4b5a6978"
  const sig = "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLB"
  const problems = (env: Record<string, string>, options?: TimConfig.ConfigOptions) =>
    Effect.flatMap(TimConfig.TimConfig, Effect.succeed).pipe(
      Effect.provide(TimConfig.layerConfig(options)),
      Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env })),
      Effect.flip,
      Effect.map((error) => renderings(error, Cause.fail(error)).join("\n"))
    )

  it.effect("both credentials, a wrong-typed one, or a bad setting beside them: never their values", () =>
    Effect.gen(function*() {
      const texts = [
        yield* problems({ TIM_SDKAPPID: "1", TIM_REGION: "sgp", TIM_SECRET_KEY: key, TIM_USERSIG: sig }),
        yield* problems({ TIM_SDKAPPID: "x", TIM_REGION: "sgp", TIM_SECRET_KEY: key }),
        yield* problems({ TIM_SDKAPPID: "1", TIM_REGION: "mars", TIM_USERSIG: sig }),
        yield* problems({ TIM_SDKAPPID: "1", TIM_REGION: "sgp", TIM_SECRET_KEY: key, TIM_TIMEOUT: "1 second" }),
        yield* problems({ TIM_SDKAPPID: "1", TIM_REGION: "sgp" }, { secretKey: Config.succeed(42 as any) })
      ]
      expect(texts[0]).toContain("not both")
      expect(texts[4]).toContain("got a number")
      for (const text of texts) {
        expect(text).not.toContain(key)
        expect(text).not.toContain(sig)
      }
    }))

  it.live("a transformClient that logs request URLs and headers logs no UserSig", () => {
    const logging = recordingLogger()
    return Effect.gen(function*() {
      const tags = yield* PushTags.PushTags
      expect(yield* tags.getTags("alice")).toEqual(["gold", "beta"])
      const userSig = Redacted.value(yield* (yield* UserSigCache.UserSigCache).current)
      const logged = logging.lines.join("\n")
      expect(logged).toContain("/v4/timpush/get_tag")
      expect(logged).not.toContain(userSig)
      expect(logged).not.toContain(Harness.secretKey)
    }).pipe(
      Effect.provide(
        Client.layer({
          transformClient: HttpClient.tapRequest((request) => Effect.logInfo("calling", request.url, request.headers))
        }).pipe(
          Layer.provideMerge(UserSigCache.layer),
          Layer.provide(Harness.config()),
          Layer.provide(NodePlatform.layer),
          Layer.provideMerge(Harness.emulator()),
          Layer.provide(logging.layer)
        )
      )
    )
  })
})
