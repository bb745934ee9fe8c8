/**
 * Property tests of the whole reading path, `internal/answer.ts` `read(command, text, decoder)`,
 * with every answer decoder of core, on the text a misbehaving server could send: garbage, valid
 * answers cut short, answers damaged at one place (wrong types, `null`s, missing and extra fields,
 * nesting 10,000+ levels deep, oversized lists), nesting up to a million levels, a million tags.
 * `read` never throws. It gives a value only when the decoder's specification accepts the answer
 * and its code is 0, a `TimApiError` carrying the code of a failed answer whose status is sound
 * (`ActionStatus`, `ErrorCode`, `ErrorInfo`: the rest of a failed answer does not matter),
 * and a `TimDecodeError` naming the command (at most 300 characters of detail) for everything else.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Envelope from "@timtags/core/Envelope"
import type { TimApiError, TimDecodeError } from "@timtags/core/TimError"
import * as Arbitrary from "effect/Arbitrary"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { read } from "../src/internal/answer.js"
import * as Decoders from "./support/Decoders.js"
import * as Hostile from "./support/Hostile.js"

/** A decoder under test: `read` with it must act as `specification` says. */
interface Case {
  readonly name: string
  readonly decoder: Envelope.Decoder<Envelope.Envelope>
  /** The answers that are values: the decoder's schema (the decoder itself for a schema-built one). */
  readonly specification: Envelope.Decoder<unknown>
  /** An answer the decoder accepts, to damage and to cut short. */
  readonly answers: Arbitrary.Arbitrary<unknown>
}

const cases: ReadonlyArray<Case> = [
  ...Decoders.pairs.map((pair): Case => ({
    name: pair.name,
    decoder: pair.decoder as Envelope.Decoder<Envelope.Envelope>,
    specification: pair.reference,
    answers: Hostile.valid(pair.schema)
  })),
  ...Decoders.schemaBuilt.map(({ command, sample }): Case => ({
    name: `the schema-built decoder of ${command}`,
    decoder: Decoders.of(command),
    specification: Decoders.of(command),
    answers: Arbitrary.Constant(sample)
  }))
]

/** What a failed answer must hold to be a `TimApiError`: its status, whatever else it carries. */
const status = Envelope.fromSchema(Schema.Struct({
  ActionStatus: Envelope.Envelope.fields.ActionStatus,
  ErrorCode: Envelope.Envelope.fields.ErrorCode,
  ErrorInfo: Envelope.Envelope.fields.ErrorInfo
}))

/** `read`, where a throw fails the property. */
const readText = (decoder: Envelope.Decoder<Envelope.Envelope>, text: string) =>
  Hostile.total("read", () => read("timpush/test", text, decoder))

/** The failure of `result`, checked to be a typed one for the command with a short detail. */
const typedFailure = (result: Result.Result<unknown, TimDecodeError | TimApiError>) => {
  expect(Result.isFailure(result)).toBe(true)
  const error = (result as Result.Failure<unknown, TimDecodeError | TimApiError>).failure
  expect(["TimDecodeError", "TimApiError"]).toContain(error._tag)
  expect(error.command).toBe("timpush/test")
  if (error._tag === "TimDecodeError") expect(error.detail.length).toBeLessThanOrEqual(300)
  return error
}

/** What `read` must give for the answer parsed from `text`, by the specification and the envelope's schema. */
const expectRead = (testCase: Case, text: string) => {
  const result = readText(testCase.decoder, text)
  const answer = JSON.parse(text) as { readonly ErrorCode?: unknown; readonly ActionStatus?: unknown }
  const failed = typeof answer === "object" && answer !== null &&
    (answer.ErrorCode !== 0 || answer.ActionStatus === "FAIL")
  const sound = Result.isSuccess((failed ? status : testCase.specification).decode(answer))
  if (!failed && sound) return expect(Result.isSuccess(result)).toBe(true)
  const error = typedFailure(result)
  expect(error._tag).toBe(failed && sound ? "TimApiError" : "TimDecodeError")
  if (error._tag === "TimApiError") expect(error.code).toBe(answer.ErrorCode)
}

/** Any text that is not JSON. */
const garbage = Arbitrary.schema(Schema.String).pipe(Arbitrary.filter((text) => {
  try {
    JSON.parse(text)
    return false
  } catch {
    return true
  }
}))

describe.each(cases)("read with $name", (testCase) => {
  it.prop("text that is not JSON: a TimDecodeError saying so", [garbage], ([text]) => {
    const error = typedFailure(readText(testCase.decoder, text))
    expect(error).toMatchObject({ _tag: "TimDecodeError", detail: expect.stringMatching(/^not JSON/) })
  }, { arbitrary: { runs: 100 } })

  it.prop(
    "a valid answer cut short anywhere: a TimDecodeError",
    [testCase.answers, Hostile.integer(0, 1_000_000)],
    ([answer, cut]) => {
      const text = JSON.stringify(answer)
      const error = typedFailure(readText(testCase.decoder, text.slice(0, cut % text.length)))
      expect(error._tag).toBe("TimDecodeError")
    },
    { arbitrary: { runs: 100 } }
  )

  it.prop(
    "an answer damaged at one place: a value, a TimApiError or a TimDecodeError, as its specification says",
    [Hostile.damaged(testCase.answers)],
    ([damaged]) => expectRead(testCase, Hostile.text(damaged)),
    { timeout: 120_000, arbitrary: { runs: 300 } }
  )

  it.prop("any JSON at all: as its specification says", [Hostile.json], ([json]) => {
    expectRead(testCase, JSON.stringify(json))
  }, { arbitrary: { runs: 100 } })
})

describe("read: a failed answer", () => {
  it.prop(
    "is a TimApiError with its code, whatever its ErrorList holds (up to 500 entries for batch, or garbage)",
    [
      Hostile.integer(1, 99_999),
      Arbitrary.all([Hostile.integer(0, 1), Hostile.integer(0, 500), Hostile.json]),
      Arbitrary.schema(Schema.Literals(Decoders.pairs.map((pair) => pair.name)))
    ],
    ([code, [pick, length, other], name]) => {
      const ErrorList = pick === 0
        ? other
        : Array.from({ length }, (_, i) => ({ To_Account: `a${i}`, ErrorCode: 70107, ErrorInfo: "" }))
      const text = JSON.stringify({
        ActionStatus: "FAIL",
        ErrorCode: code,
        ErrorInfo: "refused",
        ErrorList,
        TaskId: ""
      })
      const decoder = Decoders.pairs.find((pair) => pair.name === name)!.decoder as Envelope.Decoder<Envelope.Envelope>
      expect(typedFailure(readText(decoder, text))).toMatchObject({ _tag: "TimApiError", code, info: "refused" })
    },
    { arbitrary: { runs: 200 } }
  )
})

describe("read: the extremes", () => {
  const getTag = Envelope.getTagResponse as Envelope.Decoder<Envelope.Envelope>

  it.prop(
    "an answer nested 10,000 to 1,000,000 levels deep: a TimDecodeError",
    [Hostile.integer(10_000, 1_000_000), Arbitrary.schema(Schema.Literals(["array", "object"]))],
    ([depth, shape]) => {
      const error = typedFailure(readText(getTag, Hostile.deepText(depth, shape)))
      expect(error._tag).toBe("TimDecodeError")
    },
    { timeout: 120_000, arbitrary: { runs: 10 } }
  )

  it("a failed answer whose ErrorInfo is nested 100,000 levels deep: a TimDecodeError", () => {
    const text = `{"ActionStatus":"FAIL","ErrorCode":70107,"ErrorInfo":${Hostile.deepText(100_000, "object")}}`
    expect(typedFailure(readText(getTag, text))).toMatchObject({
      _tag: "TimDecodeError",
      detail: "expected a string at ErrorInfo"
    })
  })

  it("one account holding a million tags: a TimDecodeError, not a success", () => {
    const tags = new Array(1_000_000).fill("\"t\"").join(",")
    const text = `{"ActionStatus":"OK","ErrorCode":0,"UserTags":[{"To_Account":"alice","Tags":[${tags}]}]}`
    for (const decoder of [getTag, Decoders.of("timpush/get_tag")]) {
      expect(typedFailure(readText(decoder, text))).toMatchObject({
        _tag: "TimDecodeError",
        detail: "expected an array of at most 100 items, not 1000000 at UserTags[0].Tags"
      })
    }
  })
})
