import { describe, expect, it } from "@effect/vitest"
import { NodeSigner } from "@timtags/platform-node"
import * as Effect from "effect/Effect"

describe("NodeSigner", () => {
  it.effect("HMAC-SHA256 matches RFC 4231 test case 2", () =>
    Effect.gen(function*() {
      const mac = yield* NodeSigner.signer.hmacSha256(
        new TextEncoder().encode("Jefe"),
        new TextEncoder().encode("what do ya want for nothing?")
      )
      expect(Buffer.from(mac).toString("hex")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }))

  it.effect("deflate makes a zlib stream (RFC 1950 header) that inflate reverses", () =>
    Effect.gen(function*() {
      const data = new TextEncoder().encode(JSON.stringify({ "TLS.ver": "2.0", n: 1 }))
      const packed = yield* NodeSigner.signer.deflate(data)
      expect(packed[0]).toBe(0x78)
      expect(yield* NodeSigner.signer.inflate(packed)).toEqual(data)
    }))

  it.effect("inflate fails with a message on bytes that are not zlib", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(NodeSigner.signer.inflate(new Uint8Array([1, 2, 3])))
      expect(error).toContain("inflate failed")
    }))
})
