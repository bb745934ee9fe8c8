import { assert, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"
import { deflateSync } from "node:zlib"
import * as SpecVector from "../src/SpecVector.js"
import * as UserSigVerifier from "../src/UserSigVerifier.js"

const vector = SpecVector.inputs
const officialUserSig = SpecVector.officialUserSig
const expected = { sdkAppId: vector.sdkAppId, identifier: vector.identifier }

const codeOf = (effect: Effect.Effect<unknown, UserSigVerifier.UserSigRejected>) =>
  effect.pipe(Effect.flip, Effect.map((rejected) => rejected.code))

/** A UserSig with arbitrary JSON inside, encoded the TLSSigAPIv2 way. */
const wrap = (json: unknown) =>
  deflateSync(Buffer.from(JSON.stringify(json))).toString("base64").replace(/\+/g, "*").replace(/\//g, "-").replace(
    /=/g,
    "_"
  )

describe("UserSigVerifier", () => {
  it("signs the spec §6.4 vector", () => {
    const claims = UserSigVerifier.decode(UserSigVerifier.signUserSig(vector))
    expect(claims).toEqual(SpecVector.claims)
  })

  it("signs the spec §6.4 userbuf vector", () => {
    const claims = UserSigVerifier.decode(UserSigVerifier.signUserSig({ ...vector, userBuf: Buffer.from("abc") }))
    expect(claims?.userBuf).toBe("YWJj")
    expect(claims?.sig).toBe("QjT201xPkXk/aM1e+y0vakZb0K2iPrFue++0s5y6bFM=")
  })

  it("decodes the official Node SDK's UserSig to the documented claims", () => {
    expect(UserSigVerifier.decode(officialUserSig)).toEqual(SpecVector.claims)
  })

  it.effect("verifies the official UserSig while it is valid, and refuses it once expired", () =>
    Effect.gen(function*() {
      const verifier = UserSigVerifier.make(vector.secretKey)
      yield* TestClock.setTime((vector.time + vector.expire) * 1000)
      const claims = yield* verifier.verify(officialUserSig, expected)
      assert.strictEqual(claims.identifier, "xiaojun")
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* codeOf(verifier.verify(officialUserSig, expected)), 70001)
    }))

  it.effect("refuses each kind of bad UserSig with its code, in the service's order", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(vector.time * 1000)
      const verifier = UserSigVerifier.make(vector.secretKey)
      const good = UserSigVerifier.signUserSig(vector)
      assert.strictEqual(yield* codeOf(verifier.verify("not-a-usersig", expected)), 70003)
      assert.strictEqual(yield* codeOf(verifier.verify(wrap({ "TLS.identifier": "xiaojun" }), expected)), 70003)
      assert.strictEqual(yield* codeOf(verifier.verify(wrap([1, 2]), expected)), 70003)
      assert.strictEqual(yield* codeOf(verifier.verify(good, { ...expected, sdkAppId: 1400000001 })), 70014)
      assert.strictEqual(yield* codeOf(verifier.verify(good, { ...expected, identifier: "admin" })), 70013)
      const expired = UserSigVerifier.signUserSig({ ...vector, time: vector.time - 100, expire: 99 })
      assert.strictEqual(yield* codeOf(verifier.verify(expired, expected)), 70001)
      const otherKey = UserSigVerifier.signUserSig({ ...vector, secretKey: "another-key" })
      assert.strictEqual(yield* codeOf(verifier.verify(otherKey, expected)), 70009)
      // sdkappid is checked before identifier, identifier before expiry, expiry before the signature
      const everythingWrong = UserSigVerifier.signUserSig({ ...vector, secretKey: "x", time: 0, expire: 1 })
      assert.strictEqual(yield* codeOf(verifier.verify(everythingWrong, { sdkAppId: 1, identifier: "y" })), 70014)
      assert.strictEqual(yield* codeOf(verifier.verify(everythingWrong, { ...expected, identifier: "y" })), 70013)
      assert.strictEqual(yield* codeOf(verifier.verify(everythingWrong, expected)), 70001)
    }))

  it.effect("a tampered claim no longer matches the signature", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(vector.time * 1000)
      const claims = UserSigVerifier.decode(UserSigVerifier.signUserSig(vector))!
      const tampered = wrap({
        "TLS.ver": "2.0",
        "TLS.identifier": claims.identifier,
        "TLS.sdkappid": claims.sdkAppId,
        "TLS.time": claims.time,
        "TLS.expire": claims.expire + 1,
        "TLS.sig": claims.sig
      })
      assert.strictEqual(yield* codeOf(UserSigVerifier.make(vector.secretKey).verify(tampered, expected)), 70009)
    }))

  it.effect("a cached UserSig is still checked for expiry and claims on every call", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(vector.time * 1000)
      const verifier = UserSigVerifier.make(vector.secretKey)
      const sig = UserSigVerifier.signUserSig({ ...vector, expire: 60 })
      yield* verifier.verify(sig, expected)
      yield* verifier.verify(sig, expected)
      assert.strictEqual(yield* codeOf(verifier.verify(sig, { ...expected, identifier: "other" })), 70013)
      yield* TestClock.adjust("61 seconds")
      assert.strictEqual(yield* codeOf(verifier.verify(sig, expected)), 70001)
    }))

  it.effect("a UserSig signed with another key is refused every time, not cached", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(vector.time * 1000)
      const verifier = UserSigVerifier.make(vector.secretKey, { cacheSize: 2 })
      const wrong = UserSigVerifier.signUserSig({ ...vector, secretKey: "wrong" })
      assert.strictEqual(yield* codeOf(verifier.verify(wrong, expected)), 70009)
      assert.strictEqual(yield* codeOf(verifier.verify(wrong, expected)), 70009)
      // filling past cacheSize keeps verifying correctly
      for (const identifier of ["a", "b", "c", "d"]) {
        const sig = UserSigVerifier.signUserSig({ ...vector, identifier })
        assert.strictEqual((yield* verifier.verify(sig, { ...expected, identifier })).identifier, identifier)
      }
    }))

  it("content is the documented text", () => {
    expect(UserSigVerifier.content({ ...vector, userBuf: "YWJj" })).toBe(
      "TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:15552000\nTLS.userbuf:YWJj\n"
    )
  })
})
