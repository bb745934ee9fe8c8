/**
 * Property tests of input validation (`Account`, `Tag`, `Attr`), which runs before any network call:
 * each check accepts exactly what its documented rule allows (UTF-8 byte lengths around the limits
 * with 1- to 4-byte characters and lone surrogates, counts around the limits), refuses everything
 * else with a `TimValidationError` naming the field, and never throws, whatever JSON-ish value a
 * JavaScript caller passes.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Account from "@timtags/core/Account"
import * as Attr from "@timtags/core/Attr"
import * as Tag from "@timtags/core/Tag"
import * as Arbitrary from "effect/Arbitrary"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Hostile from "./support/Hostile.js"
import * as Inputs from "./support/Inputs.js"

const runs = { arbitrary: { runs: 500 } }

describe("Account", () => {
  it.prop(
    "validate accepts exactly the non-empty strings of at most 32 UTF-8 bytes, anything else refused as account",
    [Inputs.textOrAnything(Account.maxBytes)],
    ([value]) => {
      const result = Hostile.total("Account.validate", () => Account.validate(value))
      if (Inputs.fits(value, Account.maxBytes)) expect(result).toEqual(Result.succeed(value))
      else Inputs.refused(result, "account")
    },
    runs
  )

  it.prop("refusal says the same as validate, without allocating for a valid one", [
    Inputs.textOrAnything(Account.maxBytes)
  ], ([value]) => {
    const refusal = Hostile.total("Account.refusal", () => Account.refusal(value))
    const result = Account.validate(value)
    if (Result.isSuccess(result)) expect(refusal).toBeUndefined()
    else expect(refusal).toEqual(result.failure)
  }, runs)
})

describe("Tag", () => {
  it.prop(
    "validate accepts exactly the non-empty strings of at most 50 UTF-8 bytes, anything else refused as tag",
    [Inputs.textOrAnything(Tag.limits.maxBytes)],
    ([value]) => {
      const result = Hostile.total("Tag.validate", () => Tag.validate(value))
      if (Inputs.fits(value, Tag.limits.maxBytes)) expect(result).toEqual(Result.succeed(value))
      else Inputs.refused(result, "tag")
    },
    runs
  )

  /** A list of `distinct` tags, then `repeats` of them again, with `bad` (if any) in it at `at`. */
  const list = Arbitrary.all({
    distinct: Hostile.integer(0, 104),
    repeats: Arbitrary.array(Hostile.integer(0, 1_000), { maxLength: 4 }),
    bad: Arbitrary.all([Hostile.integer(0, 2), Inputs.textOrAnything(Tag.limits.maxBytes)]),
    at: Hostile.integer(0, 1_000),
    max: Arbitrary.all([Hostile.integer(0, 1), Hostile.integer(1, 12)])
  })

  it.prop(
    "validateList accepts exactly 1 to max distinct valid tags, keeping the first of each; else refuses as tag or tags",
    [list],
    ([{ at, bad: [withBad, candidate], distinct, max: [withMax, smallMax], repeats }]) => {
      const tags = Array.from({ length: distinct }, (_, i) => `tag-${i}`)
      const values: Array<unknown> = [...tags, ...repeats.flatMap((i) => distinct === 0 ? [] : [tags[i % distinct]])]
      const invalid = withBad === 0 && !Inputs.fits(candidate, Tag.limits.maxBytes)
      if (invalid) values.splice(at % (values.length + 1), 0, candidate)
      const max = withMax === 0 ? Tag.limits.maxPerUser : smallMax
      const result = Hostile.total(
        "Tag.validateList",
        () => withMax === 0 ? Tag.validateList(values) : Tag.validateList(values, max)
      )
      if (invalid) Inputs.refused(result, "tag")
      else if (distinct === 0 || distinct > max) Inputs.refused(result, "tags")
      else expect(result).toEqual(Result.succeed(tags))
    },
    runs
  )
})

describe("Attr", () => {
  it.prop("validateName and validateValue: 1–50 bytes of UTF-8, refusals naming which", [
    Inputs.textOrAnything(Attr.limits.maxNameBytes)
  ], ([value]) => {
    const name = Hostile.total("Attr.validateName", () => Attr.validateName(value))
    const checked = Hostile.total("Attr.validateValue", () => Attr.validateValue(value))
    if (Inputs.fits(value, 50)) {
      expect(name).toEqual(Result.succeed(value))
      expect(checked).toEqual(Result.succeed(value))
    } else {
      Inputs.refused(name, "attribute name")
      Inputs.refused(checked, "attribute value")
    }
  }, runs)

  it.prop("validateSlot accepts exactly the integers 0 to 9", [
    Arbitrary.all([Hostile.integer(0, 1), Hostile.integer(-3, 12), Inputs.jsonish])
  ], ([[pick, slot, other]]) => {
    const value = pick === 0 ? slot : other
    const result = Hostile.total("Attr.validateSlot", () => Attr.validateSlot(value))
    if (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 9) {
      expect(result).toEqual(Result.succeed(value))
    } else Inputs.refused(result, "attribute slot")
  }, runs)

  const defined: ReadonlyArray<Attr.Definition> = [
    { slot: 0, name: "city", accountType: "UserID" },
    { slot: 3, name: "设备", accountType: "RegistrationID" }
  ]
  /** Names: the defined ones, names the app does not have, and invalid ones. */
  const name = Arbitrary.all([Hostile.integer(0, 3), Inputs.text(Attr.limits.maxNameBytes)]).pipe(
    Arbitrary.map(([pick, other]) => pick < 2 ? defined[pick]!.name : pick === 2 ? "town" : other)
  )

  it.prop(
    "validateAttrs accepts exactly a non-empty object of defined names to valid values",
    [Arbitrary.all([
      Hostile.integer(0, 4),
      Arbitrary.array(Arbitrary.all([name, Inputs.textOrAnything(Attr.limits.maxValueBytes)]), { maxLength: 4 }),
      Inputs.jsonish
    ])],
    ([[pick, entries, other]]) => {
      const attrs = pick === 0 ? other : Object.fromEntries(entries)
      const result = Hostile.total("Attr.validateAttrs", () => Attr.validateAttrs(attrs, defined))
      if (typeof attrs !== "object" || attrs === null || Array.isArray(attrs) || Object.keys(attrs).length === 0) {
        return void Inputs.refused(result, "attributes")
      }
      const first = Object.entries(attrs).find(([n, v]) =>
        !defined.some((d) => d.name === n) || !Inputs.fits(v, Attr.limits.maxValueBytes)
      )
      if (first === undefined) expect(result).toEqual(Result.succeed(attrs))
      else Inputs.refused(result, defined.some((d) => d.name === first[0]) ? "attribute value" : "attribute name")
    },
    runs
  )

  it.prop(
    "validateNames accepts exactly one or more defined names, each once in order",
    [Arbitrary.array(Arbitrary.all([Hostile.integer(0, 5), name, Inputs.jsonish]), { maxLength: 5 })],
    ([picks]) => {
      const names = picks.map(([pick, n, other]) => pick === 0 ? other : n)
      const result = Hostile.total("Attr.validateNames", () => Attr.validateNames(names, defined))
      if (names.length === 0) return void Inputs.refused(result, "attribute names")
      if (names.every((n) => defined.some((d) => d.name === n))) {
        expect(result).toEqual(Result.succeed([...new Set(names)]))
      } else Inputs.refused(result, "attribute name")
    },
    runs
  )

  /** Changes: mostly definition-shaped, with any value for each field, or anything at all. */
  const change = Arbitrary.all([
    Hostile.integer(0, 5),
    Arbitrary.all([Hostile.integer(-1, 10), Inputs.textOrAnything(Attr.limits.maxNameBytes), Inputs.jsonish]),
    Arbitrary.schema(Schema.Literals(["UserID", "RegistrationID", "none", "other"])),
    Inputs.jsonish
  ]).pipe(Arbitrary.map(([pick, [slot, name, other], type, anything]) => {
    if (pick === 0) return anything
    const definition = { slot: pick === 1 ? other : slot, name }
    return type === "none" ? definition : { ...definition, accountType: type === "other" ? anything : type }
  }))

  it.prop(
    "validateDefinitions never throws; what it accepts is at most 10 slots 0–9, unique names, known types, kept",
    [Arbitrary.array(change, { maxLength: 12 })],
    ([changes]) => {
      const result = Hostile.total(
        "Attr.validateDefinitions",
        () => Attr.validateDefinitions(changes as ReadonlyArray<Attr.NewDefinition>, defined)
      )
      if (Result.isFailure(result)) {
        return void expect(["attribute slot", "attribute name", "attribute names", "accountType"]).toContain(
          Inputs.refused(result, result.failure.field).field
        )
      }
      const after = result.success
      expect(after.length).toBeLessThanOrEqual(Attr.limits.slots)
      expect(new Set(after.map((d) => d.slot)).size).toBe(after.length)
      expect(new Set(after.map((d) => d.name)).size).toBe(after.length)
      for (const d of after) {
        expect(Number.isInteger(d.slot) && d.slot >= 0 && d.slot <= 9).toBe(true)
        expect(Inputs.fits(d.name, Attr.limits.maxNameBytes)).toBe(true)
        expect(["UserID", "RegistrationID"]).toContain(d.accountType)
        const before = defined.find((b) => b.slot === d.slot)
        if (before !== undefined) expect(d.accountType).toBe(before.accountType)
      }
    },
    runs
  )
})
