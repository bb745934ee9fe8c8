import { describe, expect, it } from "@effect/vitest"
import * as Account from "@timtags/core/Account"
import * as Result from "effect/Result"

describe("Account.validate", () => {
  it("accepts identifiers up to 32 UTF-8 bytes", () => {
    expect(Account.validate("alice")).toEqual(Result.succeed("alice"))
    expect(Result.isSuccess(Account.validate("a".repeat(32)))).toBe(true)
    expect(Result.isSuccess(Account.validate("界".repeat(10)))).toBe(true) // 30 bytes
  })
  const refused: ReadonlyArray<readonly [unknown, string]> = [
    ["", "non-empty"],
    ["a".repeat(33), "at most 32 bytes"],
    ["界".repeat(11), "got 33"],
    [42, "got number"],
    [null, "got null"],
    [undefined, "got undefined"]
  ]
  for (const [value, problem] of refused) {
    it(`refuses ${String(value).slice(0, 12)} naming the value and the problem`, () => {
      const result = Account.validate(value)
      expect(Result.isFailure(result)).toBe(true)
      const error = Result.flip(result).pipe(Result.getOrThrow)
      expect(error._tag).toBe("TimValidationError")
      expect(error.problem).toContain(problem)
      expect(error.message).toContain("invalid account")
    })
  }
  it("chunks at 100", () => {
    const chunks = Account.chunksOf(Array.from({ length: 250 }, (_, i) => i))
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 50])
  })
})
