import { describe, expect, it } from "@effect/vitest"
import * as Endpoints from "../src/internal/endpoints.js"

describe("Endpoints", () => {
  it("stays on the primary until it cannot be reached, then uses the backup for a minute", () => {
    const endpoints = Endpoints.make("https://primary", "https://backup")
    expect(endpoints.pick(0)).toBe("https://primary")
    endpoints.unreachable("https://primary", 1000)
    expect(endpoints.pick(1001)).toBe("https://backup")
    expect(endpoints.pick(1000 + Endpoints.stickyMillis - 1)).toBe("https://backup")
    expect(endpoints.pick(1000 + Endpoints.stickyMillis)).toBe("https://primary")
  })
  it("goes back to the primary when the backup cannot be reached either", () => {
    const endpoints = Endpoints.make("https://primary", "https://backup")
    endpoints.unreachable("https://primary", 0)
    endpoints.unreachable("https://backup", 10)
    expect(endpoints.pick(11)).toBe("https://primary")
  })
  it("without a backup, always the primary", () => {
    const endpoints = Endpoints.make("https://primary", undefined)
    endpoints.unreachable("https://primary", 0)
    expect(endpoints.pick(1)).toBe("https://primary")
  })
})
