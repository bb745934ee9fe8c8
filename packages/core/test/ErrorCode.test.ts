import { describe, expect, it } from "@effect/vitest"
import * as ErrorCode from "@timtags/core/ErrorCode"
import { type Reason, TimApiError } from "@timtags/core/TimError"

describe("ErrorCode.classify", () => {
  const expected: ReadonlyArray<readonly [number, Reason, ErrorCode.RetryClass]> = [
    [90001, "InvalidRequest", "no"],
    [90009, "Permission", "no"],
    [90018, "InvalidRequest", "no"],
    [91000, "ServerBusy", "backoff"],
    [60007, "RateLimited", "throttled"],
    [60011, "RateLimited", "throttled"],
    [60018, "RateLimited", "throttled"],
    [60019, "RateLimited", "throttled"],
    [60008, "ServerBusy", "backoff"],
    [70169, "ServerBusy", "backoff"],
    [70500, "ServerBusy", "backoff"],
    [70001, "Credentials", "resign"],
    [70003, "Credentials", "no"],
    [70009, "Credentials", "no"],
    [70013, "Credentials", "no"],
    [70014, "Credentials", "no"],
    [70016, "Credentials", "no"],
    [70020, "Credentials", "no"],
    [60010, "Permission", "no"],
    [70107, "UnknownAccount", "no"],
    [90035, "AccountType", "no"],
    [12345, "Unknown", "no"],
    // The push family (spec/timpush-beyond-tags.md §3.3, §3.4, §6; tencent-push-api.md §4).
    [90002, "InvalidRequest", "no"],
    [90007, "InvalidRequest", "no"],
    [90010, "InvalidRequest", "no"],
    [90024, "RateLimited", "throttled"],
    [90047, "QuotaExceeded", "no"],
    [90049, "InvalidRequest", "no"],
    [90050, "InvalidRequest", "no"],
    [90051, "RateLimited", "throttled"],
    [90052, "InvalidRequest", "no"],
    [90053, "InvalidRequest", "no"],
    [90104, "InvalidRequest", "no"],
    [90107, "InvalidRequest", "no"]
  ]
  for (const [code, reason, retry] of expected) {
    it(`${code} is ${reason}, retry ${retry}`, () => {
      expect(ErrorCode.classify(code)).toMatchObject({ reason, retry })
    })
  }
  it("credential errors carry a hint naming the likely cause", () => {
    expect(ErrorCode.classify(70009).hint).toContain("SecretKey")
    expect(ErrorCode.classify(70020).hint).toContain("region")
    expect(ErrorCode.classify(70001).hint).toContain("expired")
  })
  it("70016, 70020 and 60026 name both causes, the likelier first: the region, or a mistyped SDKAppID at a base URL", () => {
    for (const code of [70016, 70020, 60026]) {
      const viaRegion = ErrorCode.classify(code, "region")
      const viaBaseUrl = ErrorCode.classify(code, "baseUrl")
      expect(viaRegion).toEqual(ErrorCode.classify(code))
      expect(viaRegion.hint).toMatch(/check the region .* SDKAppID is not mistyped/)
      expect(viaBaseUrl.hint).toMatch(/check the SDKAppID .* data centre/)
      expect(viaBaseUrl).toMatchObject({ reason: "Credentials", retry: "no" })
    }
    // Other codes do not depend on the addressing.
    expect(ErrorCode.classify(70009, "baseUrl")).toEqual(ErrorCode.classify(70009))
  })
  it("an unknown code keeps its number and text", () => {
    const error = new TimApiError({ command: "timpush/get_tag", code: 12345, info: "something new" })
    expect(error).toMatchObject({
      code: 12345,
      info: "something new",
      reason: "Unknown",
      retryClass: "no",
      retryable: false
    })
    expect(error.message).toContain("12345")
  })
})
