/** The shared check behind account and tag validation: a non-empty string of at most N UTF-8 bytes. */
import * as Result from "effect/Result"
import type { TimValidationError } from "../TimError.js"
import * as Refusal from "./refusal.js"
import * as utf8 from "./utf8.js"

/** What is checked, and how refusals name it. */
export interface Rule {
  /** The parameter, e.g. `account`. */
  readonly field: string
  /** What an empty value should have been, e.g. `account identifier`. */
  readonly noun: string
  readonly maxBytes: number
}

/** What is wrong with `value` under `rule`, or `undefined` when it is valid (allocates nothing then). */
export const problem = (rule: Rule, value: unknown): string | undefined => {
  if (typeof value !== "string") return `expected a string, got ${value === null ? "null" : typeof value}`
  if (value.length === 0) return `expected a non-empty ${rule.noun}`
  const bytes = utf8.byteLength(value)
  return bytes > rule.maxBytes ? `expected at most ${rule.maxBytes} bytes of UTF-8, got ${bytes}` : undefined
}

/** The refusal of `value`, naming it. */
export const refusal = (rule: Rule, value: unknown, problem: string): TimValidationError =>
  Refusal.refusal(rule.field, value, problem)

/** Checks `value` against `rule`, refusing with a `TimValidationError` that names the value. */
export const validate = (rule: Rule, value: unknown): Result.Result<string, TimValidationError> => {
  const found = problem(rule, value)
  return found === undefined ? Result.succeed(value as string) : Result.fail(refusal(rule, value, found))
}
