import { describe, expect, it } from "@effect/vitest"
import type * as ErrorCode from "@timtags/core/ErrorCode"
import {
  isTimError,
  Reason,
  TimAccountError,
  TimApiError,
  TimDecodeError,
  type TimError,
  TimTransportError,
  TimValidationError
} from "@timtags/core/TimError"
import { UserSigDecodeError } from "@timtags/core/UserSig"
import * as Schema from "effect/Schema"

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
  ["decode", new TimDecodeError({ command, detail: "not JSON (5 bytes)" }), "InvalidResponse", "no", false],
  ["api: 91000", new TimApiError({ command, code: 91000, info: "timeout" }), "ServerBusy", "backoff", true],
  ["api: 60007", new TimApiError({ command, code: 60007, info: "too fast" }), "RateLimited", "throttled", true],
  ["api: 70001", new TimApiError({ command, code: 70001, info: "expired" }), "Credentials", "resign", true],
  ["api: 70009", new TimApiError({ command, code: 70009, info: "bad sig" }), "Credentials", "no", false],
  ["api: 90009", new TimApiError({ command, code: 90009, info: "not admin" }), "Permission", "no", false],
  ["api: 90018", new TimApiError({ command, code: 90018, info: "too many" }), "InvalidRequest", "no", false],
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

  it("the cases cover all five classes and every Reason", () => {
    expect(new Set(cases.map(([, error]) => error._tag))).toEqual(
      new Set(["TimTransportError", "TimDecodeError", "TimApiError", "TimAccountError", "TimValidationError"])
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
