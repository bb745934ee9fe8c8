/**
 * Attribute validation (`Attr`): values and names are 1–50 bytes of UTF-8, counted as bytes, not
 * characters. A property test builds strings of 1-, 2-, 3- and 4-byte characters around the
 * 50-byte boundary and checks each is accepted exactly when its UTF-8 encoding fits. Definitions:
 * slots 0–9, each once, no name twice, and no account type changed.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Attr from "@timtags/core/Attr"
import * as Arbitrary from "effect/Arbitrary"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"

/** Characters of 1, 2, 3 and 4 UTF-8 bytes (the last one a surrogate pair in UTF-16). */
const characters = Schema.Literals(["a", "é", "€", "😀"])

/**
 * Strings of 12 to 50 such characters, each length equally likely (the array's own length would stay
 * near its minimum): from under 50 bytes to far over, across every boundary.
 */
const nearBoundary = Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 12, maximum: 50 }))).pipe(
  Arbitrary.flatMap((length) =>
    Arbitrary.array(Arbitrary.schema(characters), { minLength: length, maxLength: length })
  ),
  Arbitrary.map((chars) => chars.join(""))
)

const bytes = (text: string) => new TextEncoder().encode(text).length

describe("Attr", () => {
  it.prop("a value is accepted exactly when it is 1–50 bytes of UTF-8", [nearBoundary], ([value]) => {
    const accepted = Result.isSuccess(Attr.validateValue(value))
    expect(accepted).toBe(bytes(value) >= 1 && bytes(value) <= Attr.limits.maxValueBytes)
  }, { arbitrary: { runs: 500 } })

  it.prop("a name is accepted exactly when it is 1–50 bytes of UTF-8", [nearBoundary], ([name]) => {
    expect(Result.isSuccess(Attr.validateName(name))).toBe(bytes(name) <= Attr.limits.maxNameBytes)
  })

  it("at the boundary: 50 bytes pass, 51 fail, whatever the characters", () => {
    for (const [char, width] of [["a", 1], ["é", 2], ["😀", 4]] as const) {
      const fits = char.repeat(Math.floor(50 / width))
      expect(Result.isSuccess(Attr.validateValue(fits))).toBe(true)
      expect(Result.isSuccess(Attr.validateValue(fits + "a".repeat(51 - bytes(fits))))).toBe(false)
    }
    expect(Attr.validateValue("€".repeat(17))).toMatchObject({ _tag: "Failure" }) // 51 bytes
    expect(Result.isFailure(Attr.validateValue(""))).toBe(true)
    expect(Result.isFailure(Attr.validateValue(7))).toBe(true)
  })

  it("validateDefinitions keeps a slot's account type, refuses a change, a taken name, a bad slot", () => {
    const current: ReadonlyArray<Attr.Definition> = [
      { slot: 0, name: "city", accountType: "UserID" },
      { slot: 1, name: "device", accountType: "RegistrationID" }
    ]
    expect(Attr.validateDefinitions([{ slot: 1, name: "phone" }, { slot: 2, name: "tier" }], current)).toEqual(
      Result.succeed([
        { slot: 0, name: "city", accountType: "UserID" },
        { slot: 1, name: "phone", accountType: "RegistrationID" },
        { slot: 2, name: "tier", accountType: "UserID" }
      ])
    )
    const changed = Attr.validateDefinitions([{ slot: 1, name: "device", accountType: "UserID" }], current)
    expect(changed).toMatchObject({ failure: { field: "accountType" } })
    expect(Attr.validateDefinitions([{ slot: 3, name: "city" }], current)).toMatchObject({ _tag: "Failure" })
    expect(Attr.validateDefinitions([{ slot: 2, name: "a" }, { slot: 2, name: "b" }], current)).toMatchObject({
      _tag: "Failure"
    })
    expect(Attr.validateDefinitions([{ slot: -1, name: "x" }], current)).toMatchObject({ _tag: "Failure" })
    expect(Attr.validateDefinitions([], current)).toMatchObject({ _tag: "Failure" })
  })

  it("validateAttrs needs defined names and valid values", () => {
    const defined: ReadonlyArray<Attr.Definition> = [{ slot: 0, name: "city", accountType: "UserID" }]
    expect(Attr.validateAttrs({ city: "Lisbon" }, defined)).toEqual(Result.succeed({ city: "Lisbon" }))
    expect(Attr.validateAttrs({ town: "Lisbon" }, defined)).toMatchObject({ failure: { field: "attribute name" } })
    expect(Attr.validateAttrs({}, defined)).toMatchObject({ _tag: "Failure" })
    expect(Attr.validateAttrs(["city"], defined)).toMatchObject({ _tag: "Failure" })
  })
})
