/**
 * TLSSigAPIv2 UserSigs, checked the way the Chat service checks them: decode, compare the claims with the
 * request, check expiry against Effect's `Clock`, then recompute the HMAC. Written with `node:crypto` and
 * `node:zlib` only, independent of any client signer, so a bug in a client's signer is caught rather than
 * mirrored. `signUserSig` (the official algorithm) is here for tests and for a raw baseline benchmark.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { createHmac, timingSafeEqual } from "node:crypto"
import { deflateSync, inflateSync } from "node:zlib"

/**
 * What a decoded UserSig claims. `userBuf` is the standard-base64 `TLS.userbuf`, when present.
 *
 * @since 0.1.0
 * @category models
 */
export interface Claims {
  readonly identifier: string
  readonly sdkAppId: number
  readonly time: number
  readonly expire: number
  readonly userBuf?: string
  readonly sig: string
}

/**
 * The Chat error codes a UserSig check answers with (spec §5, §6.2).
 *
 * @since 0.1.0
 * @category models
 */
export type RejectCode = 70001 | 70003 | 70009 | 70013 | 70014

/**
 * A refused UserSig: the Chat error code and a short reason (never the UserSig itself).
 *
 * @since 0.1.0
 * @category errors
 */
export class UserSigRejected extends Data.TaggedError("UserSigRejected")<{
  readonly code: RejectCode
  readonly reason: string
}> {}

/**
 * What the request says the UserSig should be for.
 *
 * @since 0.1.0
 * @category models
 */
export interface Expected {
  readonly sdkAppId: number
  readonly identifier: string
}

/**
 * Checks UserSigs for one app key.
 *
 * @since 0.1.0
 * @category models
 */
export interface Verifier {
  /** Succeeds with the claims, or fails with the first check that refuses the UserSig. */
  readonly verify: (userSig: string, expected: Expected) => Effect.Effect<Claims, UserSigRejected>
}

/**
 * The default validity the official SDKs use: 180 days, in seconds.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultExpireSeconds = 180 * 86400

const fromUrlSafe = (userSig: string): string =>
  userSig.replace(/[*\-_]/g, (c) => (c === "*" ? "+" : c === "-" ? "/" : "="))

const toUrlSafe = (base64: string): string => base64.replace(/[+/=]/g, (c) => (c === "+" ? "*" : c === "/" ? "-" : "_"))

const isInteger = (u: unknown): u is number => typeof u === "number" && Number.isSafeInteger(u)

/**
 * Decodes a UserSig (reverse the URL-safe alphabet, base64, zlib inflate, JSON); `undefined` if malformed.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (userSig: string): Claims | undefined => {
  let json: unknown
  try {
    json = JSON.parse(inflateSync(Buffer.from(fromUrlSafe(userSig), "base64")).toString("utf8"))
  } catch {
    return undefined
  }
  if (typeof json !== "object" || json === null) return undefined
  const o = json as Record<string, unknown>
  const identifier = o["TLS.identifier"], sdkAppId = o["TLS.sdkappid"], time = o["TLS.time"]
  const expire = o["TLS.expire"], sig = o["TLS.sig"], userBuf = o["TLS.userbuf"]
  if (
    typeof identifier !== "string" || !isInteger(sdkAppId) || !isInteger(time) || !isInteger(expire) ||
    typeof sig !== "string" || (userBuf !== undefined && typeof userBuf !== "string")
  ) return undefined
  const claims = { identifier, sdkAppId, time, expire, sig }
  return userBuf === undefined ? claims : { ...claims, userBuf }
}

/**
 * The exact text TLSSigAPIv2 signs (spec §6.1 step 3).
 *
 * @since 0.1.0
 * @category signing
 */
export const content = (claims: Omit<Claims, "sig">): string =>
  `TLS.identifier:${claims.identifier}\nTLS.sdkappid:${claims.sdkAppId}\n` +
  `TLS.time:${claims.time}\nTLS.expire:${claims.expire}\n` +
  (claims.userBuf === undefined ? "" : `TLS.userbuf:${claims.userBuf}\n`)

const hmac = (secretKey: string, text: string): Buffer => createHmac("sha256", secretKey).update(text).digest()

/**
 * Standard-base64 HMAC-SHA256 of the content, keyed with the secret key's UTF-8 bytes: the `TLS.sig` value.
 *
 * @since 0.1.0
 * @category signing
 */
export const signature = (secretKey: string, claims: Omit<Claims, "sig">): string =>
  hmac(secretKey, content(claims)).toString("base64")

/**
 * Whether `TLS.sig` matches the recomputed HMAC (constant-time compare).
 *
 * @since 0.1.0
 * @category verifying
 */
export const signatureMatches = (secretKey: string, claims: Claims): boolean => {
  const expected = hmac(secretKey, content(claims))
  const claimed = Buffer.from(claims.sig, "base64")
  return claimed.length === expected.length && timingSafeEqual(claimed, expected)
}

/**
 * Inputs of `signUserSig`; `time` defaults to now and `expire` to 180 days (both in seconds).
 *
 * @since 0.1.0
 * @category signing
 */
export interface SignOptions {
  readonly sdkAppId: number
  readonly secretKey: string
  readonly identifier: string
  readonly expire?: number
  readonly time?: number
  readonly userBuf?: Uint8Array
}

/**
 * Signs a UserSig with the official TLSSigAPIv2 algorithm (same JSON key order as the official Node SDK).
 *
 * @since 0.1.0
 * @category signing
 */
export const signUserSig = (options: SignOptions): string => {
  const claims = {
    identifier: options.identifier,
    sdkAppId: options.sdkAppId,
    time: options.time ?? Math.floor(Date.now() / 1000),
    expire: options.expire ?? defaultExpireSeconds,
    ...(options.userBuf === undefined ? {} : { userBuf: Buffer.from(options.userBuf).toString("base64") })
  }
  const json = JSON.stringify({
    "TLS.ver": "2.0",
    "TLS.identifier": claims.identifier,
    "TLS.sdkappid": claims.sdkAppId,
    "TLS.time": claims.time,
    "TLS.expire": claims.expire,
    ...(claims.userBuf === undefined ? {} : { "TLS.userbuf": claims.userBuf }),
    "TLS.sig": signature(options.secretKey, claims)
  })
  return toUrlSafe(deflateSync(Buffer.from(json, "utf8")).toString("base64"))
}

const reject = (code: RejectCode, reason: string) => Effect.fail(new UserSigRejected({ code, reason }))

/** The claim checks in the service's order: sdkappid (70014), identifier (70013), expiry (70001). */
const checkClaims = (claims: Claims, expected: Expected, nowSeconds: number) =>
  claims.sdkAppId !== expected.sdkAppId
    ? reject(70014, "the UserSig was generated for another SDKAppID")
    : claims.identifier !== expected.identifier
    ? reject(70013, "the identifier does not match the one the UserSig was generated for")
    : nowSeconds > claims.time + claims.expire
    ? reject(70001, "the UserSig has expired")
    : undefined

/**
 * A verifier for one secret key. UserSigs whose signature already checked out are remembered (up to
 * `cacheSize`, default 1024), so a repeated UserSig skips the inflate and HMAC; the claim and expiry checks
 * still run on every call.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (secretKey: string, options?: { readonly cacheSize?: number }): Verifier => {
  const cacheSize = options?.cacheSize ?? 1024
  const verified = new Map<string, Claims>()
  return {
    verify: (userSig, expected) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const cached = verified.get(userSig)
        const claims = cached ?? decode(userSig)
        if (claims === undefined) return reject(70003, "the UserSig cannot be decoded")
        const refused = checkClaims(claims, expected, Math.floor(now / 1000))
        if (refused !== undefined) return refused
        if (cached === undefined) {
          if (!signatureMatches(secretKey, claims)) return reject(70009, "the UserSig signature does not verify")
          if (verified.size >= cacheSize) verified.clear()
          verified.set(userSig, claims)
        }
        return Effect.succeed(claims)
      })
  }
}
