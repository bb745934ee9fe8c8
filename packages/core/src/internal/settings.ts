/**
 * The checks of one configuration setting each, and the one way their problems are worded: what is
 * expected, at which setting (the option's or the environment variable's name), with an example,
 * and what was given, quoted, with its type when the type is what is wrong. A secret's value is
 * never shown. `TimConfig` runs them for options given in code and for the environment alike.
 */
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Region from "../Region.js"
import { showValue } from "../TimError.js"
import { scrub } from "./scrub.js"
import { invalid } from "./settingError.js"

/** Where a value came from: the name to report it under, and whether it was read as text (the environment). */
export interface Label {
  readonly name: string
  readonly fromText: boolean
}

/** A setting's check: its value, or a `ConfigError` saying what is wrong with it. */
export type Checked<A> = Result.Result<A, Config.ConfigError>

/** A failed check. */
export const refuse = (message: string): Checked<never> => Result.fail(invalid(message))

/** A value's type with its article (`a string`, `an object`, `null`), for a message that must not show the value. */
export const typeOf = (value: unknown): string => {
  if (value === null) return "null"
  if (Array.isArray(value)) return "an array"
  const type = typeof value
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}

/**
 * A value as an error shows it: strings quoted, at most 60 characters, followed by its type when the
 * setting takes another type (and the value was not read as text, where every value is a string).
 */
export const show = (value: unknown, expected: "number" | "string", label: Label): string => {
  if (value === undefined) return "nothing (not set)"
  const text = showValue(value)
  return typeof value === expected || (label.fromText && typeof value === "string")
    ? text
    : `${text} (${typeOf(value)})`
}

/** A URL as an error shows it: without user information or credential parameters. */
const showUrl = (value: unknown, label: Label): string =>
  typeof value === "string"
    ? show(scrub(value.replace(/\/\/[^/@]*@/, "//<redacted>@")), "string", label)
    : show(value, "string", label)

/** An SDKAppID: a positive integer that fits in 32 bits. */
export const sdkAppId = (value: unknown, label: Label): Checked<number> =>
  typeof value === "number" && Number.isInteger(value) && value > 0 && value <= 0xffffffff
    ? Result.succeed(value)
    : refuse(`Expected a positive integer SDKAppID at ${label.name}, got ${show(value, "number", label)}`)

/** A non-empty string such as the admin identifier; `what` names it in the message. */
export const text = (value: unknown, label: Label, what: string): Checked<string> =>
  typeof value === "string" && value.length > 0
    ? Result.succeed(value)
    : refuse(`Expected ${what} at ${label.name}, got ${show(value, "string", label)}`)

/** One of the regions, by `Region.parse` (any case, aliases). */
export const region = (value: unknown, label: Label): Checked<Region.Region> => {
  const parsed = typeof value === "string" ? Region.parse(value) : Option.none()
  return Option.isSome(parsed) ? Result.succeed(parsed.value) : refuse(
    `Expected a region at ${label.name}: one of ${Region.all.join(", ")} (any case), got ${
      show(value, "string", label)
    }`
  )
}

/** An http(s) URL, normalised: no query, fragment or trailing slash. */
export const httpUrl = (value: unknown, label: Label): Checked<string> => {
  let url: URL | undefined
  try {
    url = typeof value === "string" ? new URL(value) : undefined
  } catch {
    url = undefined
  }
  return url !== undefined && (url.protocol === "https:" || url.protocol === "http:")
    ? Result.succeed(`${url.origin}${url.pathname}`.replace(/\/+$/, ""))
    : refuse(`Expected an http(s) URL at ${label.name}, e.g. "http://127.0.0.1:8080", got ${showUrl(value, label)}`)
}

/** What a duration setting must be. */
export interface DurationRule {
  /** What it is, for the message: `a request timeout`. */
  readonly what: string
  /** Its bound, for the message: `above the server's 3 seconds`. */
  readonly bound: string
  readonly example: string
  readonly holds: (duration: Duration.Duration) => boolean
}

/** A duration as an error shows it: a `Duration` formatted, milliseconds as a number, text quoted. */
const showDuration = (value: unknown, label: Label): string =>
  Duration.isDuration(value)
    ? Duration.format(value)
    : show(value, typeof value === "number" ? "number" : "string", label)

/** A duration (any `Duration.Input`; from the environment, a number and a unit) within its rule. */
export const duration = (value: unknown, label: Label, rule: DurationRule): Checked<Duration.Duration> => {
  const parsed = value === undefined ? Option.none() : Duration.fromInput(value as Duration.Input)
  const got = showDuration(value, label)
  if (Option.isNone(parsed)) {
    return refuse(
      `Expected ${rule.what} at ${label.name}: a number and a unit (millis, seconds, minutes, hours, days), e.g. "${rule.example}", got ${got}`
    )
  }
  return rule.holds(parsed.value)
    ? Result.succeed(parsed.value)
    : refuse(`Expected ${rule.what} ${rule.bound} at ${label.name}, e.g. "${rule.example}", got ${got}`)
}

/** A whole number of bytes of at least `min`; `example` is shown in the message. */
export const byteCount = (value: unknown, label: Label, min: number, example: string): Checked<number> =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= min
    ? Result.succeed(value)
    : refuse(
      `Expected a whole number of bytes, at least ${min}, at ${label.name}, e.g. ${example}, got ${
        show(value, "number", label)
      }`
    )
