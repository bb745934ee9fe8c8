import { describe, expect, it } from "@effect/vitest"
import type * as ErrorCode from "@timtags/core/ErrorCode"
import {
  isTimError,
  Reason,
  TimAccountError,
  TimApiError,
  TimDecodeError,
  type TimError,
  TimOutcomeUnknownError,
  TimQuotaError,
  TimTransportError,
  TimValidationError,
  TypeId
} from "@timtags/core/TimError"
import { UserSigDecodeError } from "@timtags/core/UserSig"
import * as Effect from "effect/Effect"
import * as Formatter from "effect/Formatter"
import * as Schema from "effect/Schema"
import { Console } from "node:console"
import { cp, mkdir, rm } from "node:fs/promises"
import { dirname, join } from "node:path"
import { PassThrough } from "node:stream"
import { fileURLToPath, pathToFileURL } from "node:url"
import { afterAll } from "vitest"

const command = "timpush/get_tag"

/** Each error, and the `reason`, `retryClass` and `retryable` it must report. */
const cases: ReadonlyArray<readonly [string, TimError, Reason, ErrorCode.RetryClass, boolean]> = [
  [
    "transport: network",
    new TimTransportError({ command, kind: "Network", detail: "ECONNREFUSED" }),
    "Unreachable",
    "backoff",
    true
  ],
  [
    "transport: timeout",
    new TimTransportError({ command, kind: "Timeout", detail: "no answer" }),
    "Unreachable",
    "backoff",
    true
  ],
  [
    "transport: HTTP 502",
    new TimTransportError({ command, kind: "HttpStatus", status: 502, detail: "HTTP 502" }),
    "ServerBusy",
    "backoff",
    true
  ],
  [
    "transport: HTTP 500",
    new TimTransportError({ command, kind: "HttpStatus", status: 500, detail: "HTTP 500" }),
    "ServerBusy",
    "backoff",
    true
  ],
  [
    "transport: HTTP 408",
    new TimTransportError({ command, kind: "HttpStatus", status: 408, detail: "HTTP 408" }),
    "ServerBusy",
    "backoff",
    true
  ],
  [
    "transport: HTTP 429",
    new TimTransportError({ command, kind: "HttpStatus", status: 429, detail: "HTTP 429" }),
    "RateLimited",
    "throttled",
    true
  ],
  [
    "transport: HTTP 404",
    new TimTransportError({ command, kind: "HttpStatus", status: 404, detail: "HTTP 404" }),
    "Unknown",
    "no",
    false
  ],
  [
    "transport: HTTP 403",
    new TimTransportError({ command, kind: "HttpStatus", status: 403, detail: "HTTP 403" }),
    "Unknown",
    "no",
    false
  ],
  [
    "transport: answer too large",
    new TimTransportError({ command, kind: "TooLarge", status: 200, detail: "answer too large: 209715200 bytes" }),
    "InvalidResponse",
    "no",
    false
  ],
  ["decode", new TimDecodeError({ command, detail: "not JSON (5 bytes)" }), "InvalidResponse", "no", false],
  ["api: 91000", new TimApiError({ command, code: 91000, info: "timeout" }), "ServerBusy", "backoff", true],
  ["api: 60007", new TimApiError({ command, code: 60007, info: "too fast" }), "RateLimited", "throttled", true],
  ["api: 70001", new TimApiError({ command, code: 70001, info: "expired" }), "Credentials", "resign", true],
  ["api: 70009", new TimApiError({ command, code: 70009, info: "bad sig" }), "Credentials", "no", false],
  ["api: 90009", new TimApiError({ command, code: 90009, info: "not admin" }), "Permission", "no", false],
  ["api: 90018", new TimApiError({ command, code: 90018, info: "too many" }), "InvalidRequest", "no", false],
  ["api: 90047", new TimApiError({ command, code: 90047, info: "quota" }), "QuotaExceeded", "no", false],
  ["api: unknown code", new TimApiError({ command, code: 12345, info: "new" }), "Unknown", "no", false],
  [
    "account: 70107",
    new TimAccountError({ command, account: "ghost", code: 70107, info: "" }),
    "UnknownAccount",
    "no",
    false
  ],
  [
    "account: 90035",
    new TimAccountError({ command, account: "x", code: 90035, info: "type" }),
    "AccountType",
    "no",
    false
  ],
  [
    "account: 91000",
    new TimAccountError({ command, account: "x", code: 91000, info: "busy" }),
    "ServerBusy",
    "backoff",
    true
  ],
  [
    "account: unknown code",
    new TimAccountError({ command, account: "x", code: 12345, info: "" }),
    "Unknown",
    "no",
    false
  ],
  [
    "validation",
    new TimValidationError({ field: "account", value: "\"\"", problem: "expected a non-empty account identifier" }),
    "InvalidInput",
    "no",
    false
  ],
  [
    "push: outcome unknown",
    new TimOutcomeUnknownError({
      command: "timpush/push",
      msgRandom: 42,
      target: "all users",
      sentAt: 0,
      attempts: 1,
      detail: "timeout"
    }),
    "OutcomeUnknown",
    "no",
    false
  ],
  [
    "push: daily quota",
    new TimQuotaError({ command: "timpush/push", quota: 10, resetsAt: 0, source: "server" }),
    "QuotaExceeded",
    "no",
    false
  ]
]

describe("TimError: reason, retryClass and retryable on every class", () => {
  for (const [name, error, reason, retryClass, retryable] of cases) {
    it(`${name} → ${reason}, retry ${retryClass}`, () => {
      expect(error.reason).toBe(reason)
      expect(error.retryClass).toBe(retryClass)
      expect(error.retryable).toBe(retryable)
      expect(Schema.is(Reason)(error.reason)).toBe(true)
      expect(isTimError(error)).toBe(true)
      expect(error).toBeInstanceOf(Error)
    })
  }

  it("the cases cover all seven classes and every Reason", () => {
    expect(new Set(cases.map(([, error]) => error._tag))).toEqual(
      new Set([
        "TimTransportError",
        "TimDecodeError",
        "TimApiError",
        "TimAccountError",
        "TimValidationError",
        "TimOutcomeUnknownError",
        "TimQuotaError"
      ])
    )
    expect(new Set(cases.map(([, , reason]) => reason))).toEqual(new Set(Reason.literals))
  })

  it("the getters are getters, not fields: reason and hint follow the code", () => {
    const error = new TimApiError({ command, code: 70009, info: "bad sig" })
    expect(Object.keys(error)).not.toContain("reason")
    expect(Object.keys(error)).not.toContain("hint")
    expect(error.hint).toContain("SecretKey")
    expect(new TimApiError({ command, code: 90009, info: "" }).hint).toBeUndefined()
    expect(error.message).toBe(`${command}: error 70009 Credentials: bad sig (${error.hint})`)
  })

  it("the 70020 hint follows how the server was addressed, and names both causes when that is unknown", () => {
    const viaRegion = new TimApiError({ command, code: 70020, info: "", addressedBy: "region" })
    const viaBaseUrl = new TimApiError({ command, code: 70020, info: "", addressedBy: "baseUrl" })
    const unknown = new TimApiError({ command, code: 70020, info: "" })
    expect(viaRegion.hint).toMatch(/^the SDKAppID is not served by this domain: check the region/)
    expect(viaBaseUrl.hint).toMatch(/^the SDKAppID is not served at this base URL: check the SDKAppID/)
    for (const hint of [viaRegion.hint, viaBaseUrl.hint, unknown.hint]) {
      expect(hint).toMatch(/SDKAppID.*(region|data centre)|(region|data centre).*SDKAppID/)
    }
    expect(unknown.hint).toBe(viaRegion.hint)
    // A plain string field: it survives serialisation and holds no configuration.
    expect(JSON.parse(JSON.stringify(viaBaseUrl))).toMatchObject({ addressedBy: "baseUrl", hint: viaBaseUrl.hint })
  })

  it("messages name the command and what went wrong", () => {
    expect(new TimTransportError({ command, kind: "HttpStatus", status: 502, detail: "HTTP 502" }).message).toBe(
      `${command}: transport error (HttpStatus 502): HTTP 502`
    )
    expect(new TimTransportError({ command, kind: "Timeout", detail: "no answer" }).message).toBe(
      `${command}: transport error (Timeout): no answer`
    )
    expect(new TimDecodeError({ command, detail: "not JSON (5 bytes)" }).message).toBe(
      `${command}: undecodable response: not JSON (5 bytes)`
    )
    expect(new TimAccountError({ command, account: "ghost", code: 70107, info: "" }).message).toBe(
      `${command}: account "ghost" failed with 70107 UnknownAccount`
    )
    expect(new TimAccountError({ command, account: "x", code: 90035, info: "type" }).message).toBe(
      `${command}: account "x" failed with 90035 AccountType: type`
    )
    expect(new TimValidationError({ field: "tag", value: "\"\"", problem: "expected a non-empty tag" }).message).toBe(
      "invalid tag \"\": expected a non-empty tag"
    )
  })
})

describe("isTimError", () => {
  it("is false for anything that is not one of the five classes", () => {
    const others: ReadonlyArray<unknown> = [
      new Error("TimApiError"),
      new UserSigDecodeError({ detail: "not Base64" }),
      { _tag: "TimApiError", command, code: 90009, info: "", reason: "Permission", retryClass: "no", retryable: false },
      { _tag: "TimValidationError", field: "account", value: "", problem: "" },
      "TimTransportError",
      null,
      undefined,
      42
    ]
    for (const other of others) expect(isTimError(other)).toBe(false)
  })
})

/** What `console.log` prints for a value: a real `Console` writing into a buffer. */
const consoleLogged = (value: unknown): string => {
  const out = new PassThrough()
  new Console(out).log(value)
  return String(out.read())
}

describe("every error prints its classification: console.log, JSON.stringify, toJSON() and Effect's formatter", () => {
  for (const [name, error, reason, retryClass, retryable] of cases) {
    it(name, () => {
      const expected = { _tag: error._tag, reason, retryClass, retryable }
      expect(error.toJSON()).toMatchObject(expected)
      expect(JSON.parse(JSON.stringify(error))).toMatchObject(expected)
      expect(JSON.parse(Formatter.formatJson(error))).toMatchObject(expected)
      const logged = consoleLogged(error)
      for (const [key, value] of Object.entries(expected)) {
        expect(logged).toContain(`${key}: ${JSON.stringify(value).replaceAll("\"", "'")}`)
      }
    })
  }

  it("credential codes print their hint, and the rest print none", () => {
    const credential = new TimApiError({ command, code: 70009, info: "bad sig" })
    expect(JSON.parse(JSON.stringify(credential)).hint).toBe(credential.hint)
    expect(consoleLogged(credential)).toContain("hint: 'the SecretKey does not belong")
    const permission = new TimApiError({ command, code: 90009, info: "" })
    expect("hint" in JSON.parse(JSON.stringify(permission))).toBe(false)
  })
})

describe("isTimError across two copies of @timtags/core", () => {
  const here = dirname(fileURLToPath(import.meta.url))
  const copyDir = join(here, "..", ".tmp", `second-copy-${process.pid}`)
  afterAll(() => rm(copyDir, { recursive: true, force: true }))

  it("recognises the other copy's errors by their TypeId, though the classes differ", async () => {
    await mkdir(copyDir, { recursive: true })
    await cp(join(here, "..", "src"), copyDir, { recursive: true })
    const other: typeof import("@timtags/core/TimError") = await import(
      pathToFileURL(join(copyDir, "TimError.ts")).href
    )
    const foreign = new other.TimApiError({ command, code: 70009, info: "bad sig" })
    const local = new TimApiError({ command, code: 70009, info: "bad sig" })
    // Really a second copy: its class is not ours.
    expect(other.TimApiError).not.toBe(TimApiError)
    expect(foreign).not.toBeInstanceOf(TimApiError)
    expect(local).not.toBeInstanceOf(other.TimApiError)
    // Yet each copy's guard knows the other's errors.
    expect(isTimError(foreign)).toBe(true)
    expect(other.isTimError(local)).toBe(true)
    expect(isTimError(new other.TimValidationError({ field: "tag", value: "\"\"", problem: "empty" }))).toBe(true)
    expect(other.isTimError(new Error("TimApiError"))).toBe(false)
    expect(other.TypeId).toBe(TypeId)
  })
})

describe("each error is an Effect error (Data.Error): yieldable, caught by its tag, printed with its fields", () => {
  for (const [name, error] of cases) {
    it.effect(name, () =>
      Effect.gen(function*() {
        // Yielding it fails the effect with it; catchTag finds it by its _tag.
        const failed = yield* Effect.flip(Effect.gen(function*() {
          return yield* error
        }))
        expect(failed).toBe(error)
        const caught = yield* Effect.fail(error as TimError).pipe(
          Effect.catchTag(error._tag, (e: TimError) => Effect.succeed(`caught ${e._tag}`))
        )
        expect(caught).toBe(`caught ${error._tag}`)
        expect(error.name).toBe(error._tag)
        // _tag first, then the fields as given, then the classification.
        const fields = Object.keys(error).filter((key) => key !== "_tag")
        expect(Object.keys(error.toJSON() as object)).toEqual([
          "_tag",
          ...fields,
          "reason",
          "retryClass",
          "retryable",
          ...(error.hint === undefined ? [] : ["hint"])
        ])
      }))
  }
})
