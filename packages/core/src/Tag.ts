/**
 * Push tags and their limits (spec §3.2, §7): a tag is 1–50 bytes of UTF-8; one `add_tag` entry
 * carries at most 10 tags when adding and at most 100 when replacing; a user stores at most 100.
 * Validation runs before any network call and names the offending value.
 *
 * @since 0.1.0
 */
import * as Result from "effect/Result"
import * as BoundedText from "./internal/boundedText.js"
import { TimValidationError } from "./TimError.js"

/**
 * The limits of tags.
 *
 * @since 0.1.0
 * @category constants
 */
export const limits = {
  /** Longest tag, in UTF-8 bytes. */
  maxBytes: 50,
  /** Tags per user in one `add_tag` entry with `Replace: 0`. */
  maxPerAdd: 10,
  /** Tags per user in one `add_tag` entry with `Replace: 1`, and tags stored per user. */
  maxPerUser: 100
} as const

/**
 * Checks one tag: a non-empty string of at most 50 UTF-8 bytes.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (value: unknown): Result.Result<string, TimValidationError> =>
  BoundedText.validate({ field: "tag", noun: "tag", maxBytes: limits.maxBytes }, value)

/**
 * Checks a list of tags for one user: each tag valid, at least one, at most `max`; duplicates are
 * dropped (first occurrence kept).
 *
 * @since 0.1.0
 * @category validation
 */
export const validateList = (
  values: Iterable<unknown>,
  max: number = limits.maxPerUser
): Result.Result<ReadonlyArray<string>, TimValidationError> => {
  const tags = new Set<string>()
  for (const value of values) {
    const checked = validate(value)
    if (Result.isFailure(checked)) return Result.fail(checked.failure)
    tags.add(checked.success)
  }
  if (tags.size === 0) {
    return Result.fail(new TimValidationError({ field: "tags", value: "[]", problem: "expected at least one tag" }))
  }
  if (tags.size > max) {
    return Result.fail(
      new TimValidationError({
        field: "tags",
        value: `${tags.size} tags`,
        problem: `expected at most ${max} tags for one user`
      })
    )
  }
  return Result.succeed([...tags])
}
