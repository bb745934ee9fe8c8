import { describe, expect, it } from "@effect/vitest"
import * as UserSig from "@timtags/core/UserSig"
import { SpecVector } from "@timtags/emulator"
import { WebSigner } from "@timtags/platform-fetch"
import { NodeSigner } from "@timtags/platform-node"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

// spec/tencent-push-api.md §6.4
const vector = { ...SpecVector.inputs, secretKey: Redacted.make(SpecVector.inputs.secretKey) }

for (const [name, layer] of [["node", NodeSigner.layer], ["web", WebSigner.layer]] as const) {
  describe(`UserSig with the ${name} signer`, () => {
    it.effect("signs the spec vector: same fields and TLS.sig as the official implementation", () =>
      Effect.gen(function*() {
        const sig = yield* UserSig.sign(vector)
        const claims = yield* UserSig.decode(sig)
        expect(claims).toEqual(SpecVector.claims)
        expect(Redacted.value(sig)).toMatch(/^[A-Za-z0-9*\-_]+$/)
      }).pipe(Effect.provide(layer)))

    it.effect("signs the userbuf vector", () =>
      Effect.gen(function*() {
        const sig = yield* UserSig.sign({ ...vector, userbuf: new TextEncoder().encode("abc") })
        const claims = yield* UserSig.decode(sig)
        expect(claims.userbuf).toBe("YWJj")
        expect(claims.sig).toBe(SpecVector.userbufSig)
      }).pipe(Effect.provide(layer)))

    it.effect("decodes the official Node implementation's UserSig", () =>
      Effect.gen(function*() {
        const claims = yield* UserSig.decode(SpecVector.officialUserSig)
        expect(claims.sig).toBe(SpecVector.claims.sig)
        expect(claims.identifier).toBe("xiaojun")
        expect(yield* UserSig.signature(vector.secretKey, claims)).toBe(claims.sig)
      }).pipe(Effect.provide(layer)))

    it.effect("a different key gives a different signature", () =>
      Effect.gen(function*() {
        const claims = yield* UserSig.decode(yield* UserSig.sign({ ...vector, secretKey: Redacted.make("other") }))
        expect(claims.sig).not.toBe(SpecVector.claims.sig)
      }).pipe(Effect.provide(layer)))

    it.effect("refuses text that is not a UserSig", () =>
      Effect.gen(function*() {
        const notBase64 = yield* Effect.flip(UserSig.decode("%%%"))
        expect(notBase64._tag).toBe("UserSigDecodeError")
        const notZlib = yield* Effect.flip(UserSig.decode("aGVsbG8_"))
        expect(notZlib.detail).toBe("not a zlib stream")
      }).pipe(Effect.provide(layer)))
  })
}

describe("UserSig.content", () => {
  it("puts each claim on its own line in the official order", () => {
    expect(UserSig.content(vector)).toBe(
      "TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:15552000\n"
    )
  })
})
