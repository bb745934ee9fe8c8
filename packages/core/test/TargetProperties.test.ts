/**
 * Property tests of the validation of what a push is (`Target.validate`, `Notification.toWire`),
 * which runs before any network call: each accepts exactly what its documented rule allows (tag
 * lists of at most 10 valid tags, at least one `and` or `or` tag and none in both; attribute
 * conditions of valid names and values, at least one; notification fields in their ranges), refuses
 * the rest with a `TimValidationError` naming the field, and never throws, whatever JSON-ish value a
 * JavaScript caller passes.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Notification from "@timtags/core/Notification"
import * as Target from "@timtags/core/Target"
import * as Arbitrary from "effect/Arbitrary"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Hostile from "./support/Hostile.js"
import * as Inputs from "./support/Inputs.js"

const runs = { arbitrary: { runs: 500 } }

/** `value` most of the time, else anything (`pick` 0 of 0–`odds`). */
const mostly = <A>(value: Arbitrary.Arbitrary<A>, odds = 4): Arbitrary.Arbitrary<unknown> =>
  Arbitrary.all([Hostile.integer(0, odds), value, Inputs.jsonish]).pipe(
    Arbitrary.map(([pick, usual, other]) => pick === 0 ? other : usual)
  )

/** A field that may be absent (as `undefined`). */
const maybe = <A>(value: Arbitrary.Arbitrary<A>): Arbitrary.Arbitrary<A | undefined> =>
  Arbitrary.all([Hostile.integer(0, 2), value]).pipe(Arbitrary.map(([pick, v]) => pick === 0 ? undefined : v))

/** Tags from a small pool (so that `and` and `or` overlap), invalid ones included. */
const tag = Arbitrary.schema(Schema.Literals(["a", "b", "c", "d", "e", "", "x".repeat(51), "界".repeat(17)]))
const tagList = mostly(Hostile.listOf(tag, 0, 12), 8)

/** Why `list` is not a valid tag list: the field to name, or `undefined`. */
const listProblem = (field: string, list: unknown): string | undefined => {
  if (!Array.isArray(list) || list.length > Target.limits.tagsPerList) return field
  return list.every((t) => Inputs.fits(t, 50)) ? undefined : "tag"
}

describe("Target.validate", () => {
  it.prop(
    "tags: accepted exactly when each list holds at most 10 valid tags, `and` or `or` has one, and none is in both",
    [Arbitrary.all({ and: tagList, or: tagList, not: tagList })],
    ([{ and, not, or }]) => {
      const target = { _tag: "Tags", and, or, not } as unknown as Target.Tags
      const result = Hostile.total("Target.validate", () => Target.validate(target))
      const problem = listProblem("tags.and", and) ?? listProblem("tags.or", or) ?? listProblem("tags.not", not)
      if (problem !== undefined) return void Inputs.refused(result, problem)
      const [ands, ors] = [and, or] as Array<ReadonlyArray<string>>
      if (ands.length + ors.length === 0 || ands.some((t) => ors.includes(t))) Inputs.refused(result, "tags")
      else expect(result).toEqual(Result.succeed(target))
    },
    runs
  )

  /** Attribute values by name, names and values around the 50-byte limit. */
  const attrs = mostly(
    Arbitrary.array(Arbitrary.all([Inputs.text(50), mostly(Inputs.text(50), 8)]), { maxLength: 3 }).pipe(
      Arbitrary.map((entries) => Object.fromEntries(entries))
    ),
    8
  )

  /** Why `values` is not a valid attribute condition: the field to name, or `undefined`. */
  const valuesProblem = (field: string, values: unknown): string | undefined => {
    if (typeof values !== "object" || values === null || Array.isArray(values)) return field
    for (const [name, value] of Object.entries(values)) {
      if (!Inputs.fits(name, 50)) return "attribute name"
      if (!Inputs.fits(value, 50)) return "attribute value"
    }
    return undefined
  }

  it.prop(
    "attrs: accepted exactly when both are objects of valid names to valid values, with one at least",
    [Arbitrary.all({ and: attrs, or: attrs })],
    ([{ and, or }]) => {
      const target = { _tag: "Attrs", and, or } as unknown as Target.Attrs
      const result = Hostile.total("Target.validate", () => Target.validate(target))
      const problem = valuesProblem("attrs.and", and) ?? valuesProblem("attrs.or", or)
      if (problem !== undefined) return void Inputs.refused(result, problem)
      if (Object.keys(and as object).length + Object.keys(or as object).length === 0) Inputs.refused(result, "attrs")
      else expect(result).toEqual(Result.succeed(target))
    },
    runs
  )

  it.prop(
    "accounts: accepted exactly when a non-empty list",
    [mostly(Hostile.listOf(Inputs.jsonish, 0, 3))],
    ([list]) => {
      const result = Hostile.total(
        "Target.validate",
        () => Target.validate({ _tag: "Accounts", accounts: list } as never)
      )
      if (Array.isArray(list) && list.length > 0) expect(Result.isSuccess(result)).toBe(true)
      else Inputs.refused(result, "accounts")
    },
    runs
  )

  const kinds = Arbitrary.schema(Schema.Literals(["AllUsers", "Tags", "Attrs", "Accounts", "Other"]))

  it.prop(
    "anything at all, target-shaped or not: a value or a refusal naming the field, never a throw",
    [mostly(
      Arbitrary.all({
        _tag: kinds,
        and: maybe(Inputs.jsonish),
        or: maybe(Inputs.jsonish),
        accounts: maybe(Inputs.jsonish)
      }),
      2
    )],
    ([target]) => {
      const result = Hostile.total("Target.validate", () => Target.validate(target as Target.Target))
      if (Result.isFailure(result)) {
        expect(result.failure._tag).toBe("TimValidationError")
        expect(result.failure.field).toMatch(
          /^(target|tags?(\.(and|or|not))?|attrs(\.(and|or))?|attribute (name|value)|accounts)$/
        )
      }
    },
    runs
  )
})

describe("Notification.toWire", () => {
  /** Integers at and just past the bounds (two in three), or anywhere around them, or anything. */
  const integer = (min: number, max: number) =>
    mostly(
      Arbitrary.all([Hostile.integer(0, 5), Hostile.integer(min - 2, max + 2)]).pipe(
        Arbitrary.map(([pick, n]) => [min - 1, min, max, max + 1][pick] ?? n)
      ),
      6
    )
  const section = <A>(fields: Arbitrary.Arbitrary<A>) => maybe(mostly(fields, 6))
  /** A notification: each documented field absent, in range, out of range, or anything. */
  const notification = Arbitrary.all({
    Title: maybe(mostly(Inputs.text(10))),
    Desc: maybe(mostly(Inputs.text(10))),
    PushFlag: maybe(integer(0, 1)),
    BadgeAddNum: maybe(integer(1, 99)),
    BadgeSetNum: maybe(integer(0, 999)),
    Ext: maybe(mostly(Arbitrary.all([Hostile.integer(0, 3), Hostile.json]), 8)),
    AndroidInfo: section(Arbitrary.all({ Sound: maybe(Inputs.jsonish) })),
    HarmonyInfo: section(Arbitrary.all({ SoundDuration: maybe(integer(1, 60)) })),
    ApnsInfo: section(Arbitrary.all({
      Title: maybe(Inputs.jsonish),
      LiveActivity: maybe(mostly(
        Arbitrary.all({
          LaId: mostly(Inputs.text(Notification.limits.maxLiveActivityId)),
          Event: mostly(Arbitrary.schema(Schema.Literals(["update", "end", "start"])))
        }),
        6
      ))
    }))
  })

  /** The notification `fields` describe: `Ext` [0, json] is that JSON, [n > 0, …] an array 10,000 levels deep. */
  const build = (fields: Record<string, unknown>): Record<string, any> => {
    const ext = fields.Ext as unknown
    const Ext = Array.isArray(ext) && ext.length === 2 && typeof ext[0] === "number"
      ? ext[0] === 0 ? ext[1] : Hostile.deep(10_000, "array")
      : ext
    return Object.fromEntries(Object.entries({ ...fields, Ext }).filter(([, v]) => v !== undefined))
  }

  const within = (value: unknown, min: number, max: number) =>
    value === undefined || (Number.isInteger(value) && (value as number) >= min && (value as number) <= max)

  /** The field a notification's first problem is in, as documented, or `undefined`. */
  const problem = (n: Record<string, any>): string | undefined => {
    for (const s of ["AndroidInfo", "ApnsInfo", "HarmonyInfo"]) {
      if (n[s] !== undefined && (typeof n[s] !== "object" || n[s] === null || Array.isArray(n[s]))) return s
    }
    const live = n.ApnsInfo?.LiveActivity
    if (n.Title !== undefined && typeof n.Title !== "string") return "Title"
    if (n.Desc !== undefined && typeof n.Desc !== "string") return "Desc"
    if (n.PushFlag !== undefined && n.PushFlag !== 0 && n.PushFlag !== 1) return "PushFlag"
    if (!within(n.BadgeAddNum, 1, 99)) return "BadgeAddNum"
    if (!within(n.BadgeSetNum, 0, 999)) return "BadgeSetNum"
    if (!within(n.HarmonyInfo?.SoundDuration, 1, 60)) return "HarmonyInfo.SoundDuration"
    if (live !== undefined && (typeof live !== "object" || live === null || Array.isArray(live))) {
      return "ApnsInfo.LiveActivity"
    }
    if (live !== undefined && !(typeof live.LaId === "string" && Inputs.bytes(live.LaId) <= 64)) {
      return "ApnsInfo.LiveActivity.LaId"
    }
    if (live !== undefined && live.Event !== "update" && live.Event !== "end") return "ApnsInfo.LiveActivity.Event"
    return undefined
  }

  it.prop(
    "accepted exactly when every documented field is in range, refused naming the first that is not",
    [notification],
    ([fields]) => {
      const n = build(fields)
      const result = Hostile.total("Notification.toWire", () => Notification.toWire(n as Notification.Notification))
      const field = problem(n)
      if (field !== undefined) return void Inputs.refused(result, field)
      let ext: string | undefined
      try {
        ext = n.Ext === undefined ? undefined : JSON.stringify(n.Ext)
      } catch {
        return void Inputs.refused(result, "Ext")
      }
      expect(result).toEqual(Result.succeed(ext === undefined ? n : { ...n, Ext: ext }))
    },
    runs
  )

  it.prop("anything that is not an object is refused as notification, never a throw", [Inputs.jsonish], ([value]) => {
    const result = Hostile.total("Notification.toWire", () => Notification.toWire(value as Notification.Notification))
    if (typeof value !== "object" || value === null || Array.isArray(value)) Inputs.refused(result, "notification")
  }, runs)
})
