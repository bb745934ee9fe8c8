import { describe, expect, it } from "@effect/vitest"
import * as Envelope from "@timtags/core/Envelope"
import * as Result from "effect/Result"

/** Answers the decoders must accept, including the spec's samples and tolerated variations. */
const valid: ReadonlyArray<unknown> = [
  {
    ActionStatus: "OK",
    ErrorInfo: "",
    ErrorCode: 0,
    UserTags: [{ To_Account: "xiaojun012", Tags: ["a", "b"] }, { To_Account: "xiaojun013", Tags: ["a", "c"] }]
  },
  {
    ActionStatus: "OK",
    ErrorInfo: "",
    ErrorCode: 0,
    UserTags: [{ To_Account: "xiaoming", Tags: ["GoldMember"] }],
    ErrorList: [{ ErrorCode: 70107, To_Account: "Mary" }]
  },
  { ActionStatus: "OK", ErrorCode: 0, UserTags: [{ To_Account: "empty" }] },
  { ActionStatus: "OK", ErrorCode: 0, RequestId: "abc", Extra: { nested: true } },
  { ActionStatus: "FAIL", ErrorCode: 90009, ErrorInfo: "need admin" },
  { ActionStatus: "OK", ErrorCode: 0, ErrorList: [{ To_Account: "x", ErrorCode: 90035, ErrorInfo: "type" }] },
  { ActionStatus: "OK", ErrorCode: 0, UserTags: [] }
]

/** Answers both must refuse. */
const invalid: ReadonlyArray<unknown> = [
  null,
  "OK",
  [],
  {},
  { ActionStatus: "OK" },
  { ErrorCode: 0 },
  { ActionStatus: 1, ErrorCode: 0 },
  { ActionStatus: "OK", ErrorCode: "0" },
  { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: 5 },
  { ActionStatus: "OK", ErrorCode: 0, UserTags: {} },
  { ActionStatus: "OK", ErrorCode: 0, UserTags: [{ Tags: [] }] },
  { ActionStatus: "OK", ErrorCode: 0, UserTags: [{ To_Account: "a", Tags: "x" }] },
  { ActionStatus: "OK", ErrorCode: 0, UserTags: [{ To_Account: "a", Tags: [1] }] },
  { ActionStatus: "OK", ErrorCode: 0, ErrorList: [{ To_Account: "a" }] },
  { ActionStatus: "OK", ErrorCode: 0, ErrorList: [{ ErrorCode: 70107 }] },
  { ActionStatus: "OK", ErrorCode: 0, ErrorList: "none" }
]

const pairs = [
  ["getTagResponse", Envelope.getTagResponse, Envelope.fromSchema(Envelope.GetTagResponse)],
  ["envelope", Envelope.envelope, Envelope.fromSchema(Envelope.Envelope)]
] as const

describe("hand-written decoders agree with the schemas", () => {
  for (const [name, handWritten, schema] of pairs) {
    it(`${name}: same output for every valid answer (defaults filled in, extra fields ignored)`, () => {
      for (const input of valid) {
        const fast = handWritten.decode(input)
        const reference = schema.decode(input)
        expect(Result.isSuccess(reference)).toBe(true)
        expect(fast).toEqual(reference)
      }
    })
    it(`${name}: refuses whatever the schema refuses, saying where`, () => {
      for (const input of invalid) {
        // The envelope decoder does not look at UserTags, so skip inputs only UserTags makes invalid.
        if (Result.isSuccess(schema.decode(input))) continue
        const fast = handWritten.decode(input)
        expect(Result.isFailure(fast), JSON.stringify(input)).toBe(true)
        expect(Result.isFailure(fast) && fast.failure).toMatch(/^expected /)
      }
    })
  }
  it("the refusal names the offending field", () => {
    const result = Envelope.getTagResponse.decode({
      ActionStatus: "OK",
      ErrorCode: 0,
      UserTags: [{ To_Account: "a", Tags: [1] }]
    })
    expect(result).toEqual(Result.fail("expected a string at UserTags[0].Tags[0]"))
  })
})
