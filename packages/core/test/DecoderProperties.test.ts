/**
 * Property tests of every answer decoder against what a misbehaving server could send. Each
 * hand-written decoder (`Envelope`'s, the engine's keyed `get_tag`/`get_attr` answers, the push
 * answers, the `multiaccount_import` answer) is held to the schema that specifies it: on valid
 * answers, on answers damaged at one place (wrong types, `null`s, missing and extra fields, nesting
 * 10,000+ levels deep, oversized lists) and on any JSON, it accepts exactly what the schema accepts,
 * with the same result, and refuses the rest with a message saying where; it never throws. Every
 * list is refused past its documented bound, a million entries included (100,000 for an object).
 * The schema-built decoders of `PushSchedule` and `PushStats` never throw either.
 */
import { describe, expect, it } from "@effect/vitest"
import type * as Envelope from "@timtags/core/Envelope"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Decoders from "./support/Decoders.js"
import * as Hostile from "./support/Hostile.js"

/** Decodes `input` with `decoder`; a throw fails the property, naming the decoder. */
const decode = (name: string, decoder: Envelope.Decoder<unknown>, input: unknown) =>
  Hostile.total(name, () => decoder.decode(input))

/** The decoder of `pair` agrees with its reference on `input`: same verdict, same value, a refusal saying where. */
const agrees = (pair: Decoders.Pair, input: unknown) => {
  const fast = decode(pair.name, pair.decoder, input)
  const reference = decode(`fromSchema for ${pair.name}`, pair.reference, input)
  if (Result.isSuccess(reference)) expect(fast).toEqual(Result.succeed(reference.success))
  else expect(fast).toMatchObject({ _tag: "Failure", failure: expect.stringMatching(/^expected .+ at /s) })
  return Result.isSuccess(fast)
}

describe.each(Decoders.pairs)("$name", (pair) => {
  const valid = Hostile.valid(pair.schema)

  it.prop("decodes every valid answer as fromSchema of its schema does", [valid], ([answer]) => {
    expect(agrees(pair, answer)).toBe(true)
  }, { timeout: 60_000, arbitrary: { runs: 200 } })

  it.prop(
    "an answer damaged at one place: accepted exactly when the schema accepts it, never a throw",
    [Hostile.damaged(valid)],
    ([damaged]) => void agrees(pair, Hostile.build(damaged)),
    { timeout: 120_000, arbitrary: { runs: 300 } }
  )

  it.prop("any JSON at all: accepted exactly when the schema accepts it, never a throw", [Hostile.json], ([json]) => {
    agrees(pair, Hostile.roundTrip(json))
  }, { timeout: 60_000, arbitrary: { runs: 200 } })

  for (const bound of pair.bounds) {
    it.prop(
      `${bound.list}: accepted exactly when it holds at most ${bound.max} entries`,
      [
        valid,
        Arbitrary.array(bound.item, { minLength: 1, maxLength: 4 }),
        Hostile.integer(bound.max - 3, bound.max + 3)
      ],
      ([answer, pool, length]) => {
        const input = Hostile.roundTrip(answer) as Record<string, unknown>
        bound.put(input, Array.from({ length }, (_, i) => pool[i % pool.length]))
        expect(agrees(pair, Hostile.roundTrip(input))).toBe(length <= bound.max)
      },
      { timeout: 60_000, arbitrary: { runs: 100 } }
    )

    // A million array items; a hundred thousand fields (building an object of a million takes seconds).
    const huge = bound.kind === "array" ? 1_000_000 : 100_000
    it(`${bound.list}: ${huge.toLocaleString("en")} entries are refused, saying which list`, async () => {
      const [item] = await Effect.runPromise(Arbitrary.sampleEffect(bound.item, { count: 1, seed: 1 }))
      const input: Record<string, unknown> = { ActionStatus: "OK", ErrorCode: 0 }
      bound.put(input, new Array(huge).fill(Hostile.roundTrip(item)))
      const decoded = decode(pair.name, pair.decoder, input)
      const list = bound.list.replace(/[[\].]/g, "\\$&")
      const what = bound.kind === "array" ? "an array" : "an object"
      expect(decoded).toMatchObject({
        _tag: "Failure",
        failure: expect.stringMatching(
          new RegExp(`^expected ${what} of at most ${bound.max} (items|fields).* at ${list}$`)
        )
      })
    }, 60_000)
  }
})

describe.each(Decoders.schemaBuilt)("the schema-built decoder of $command", ({ command, sample }) => {
  const decoder = Decoders.of(command)

  it("accepts its sample answer (so that damage to it is damage to a valid answer)", () => {
    expect(Result.isSuccess(decoder.decode(Hostile.roundTrip(sample)))).toBe(true)
  })

  it.prop(
    "an answer damaged at one place: a value or a refusal, never a throw",
    [Hostile.damaged(Arbitrary.Constant(sample))],
    ([damaged]) => {
      const decoded = decode(command, decoder, Hostile.build(damaged))
      if (Result.isFailure(decoded)) expect(decoded.failure).toEqual(expect.any(String))
    },
    { timeout: 60_000, arbitrary: { runs: 300 } }
  )

  it.prop("any JSON that is not an object is refused, never a throw", [Hostile.json], ([json]) => {
    const input = Hostile.roundTrip(json)
    const decoded = decode(command, decoder, input)
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      expect(Result.isFailure(decoded)).toBe(true)
    }
  }, { arbitrary: { runs: 200 } })
})
