/**
 * TLSSigAPIv2, the algorithm behind every UserSig (spec §6): HMAC-SHA256 over
 * `TLS.identifier/sdkappid/time/expire` lines, a JSON document holding it, zlib, then Base64 in
 * the `*`/`-`/`_` alphabet. Signing decodes to the same fields and `TLS.sig` as Tencent's official
 * implementations for the same inputs. The primitives come from the `Signer` service.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as base64 from "./internal/base64.js"
import * as utf8 from "./internal/utf8.js"
import { Signer } from "./Signer.js"

/**
 * What a UserSig says about itself.
 *
 * @since 0.1.0
 * @category models
 */
export interface Claims {
  readonly identifier: string
  readonly sdkAppId: number
  /** Unix time (seconds) it was signed at. */
  readonly time: number
  /** Lifetime in seconds from `time`. */
  readonly expire: number
  /** Standard Base64 of the optional user buffer (TRTC only). */
  readonly userbuf?: string
  /** Standard Base64 HMAC-SHA256 (`TLS.sig`). */
  readonly sig: string
}

/**
 * Inputs of `sign`.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignOptions {
  readonly sdkAppId: number
  readonly identifier: string
  readonly secretKey: Redacted.Redacted<string>
  /** Unix time in seconds. */
  readonly time: number
  /** Lifetime in seconds. */
  readonly expire: number
  readonly userbuf?: Uint8Array
}

/**
 * A UserSig that is not a TLSSigAPIv2 document.
 *
 * @since 0.1.0
 * @category errors
 */
export class UserSigDecodeError extends /*#__PURE__*/ Schema.TaggedError<UserSigDecodeError>()("UserSigDecodeError", {
  detail: Schema.String
}) {
  override get message(): string {
    return `not a valid UserSig: ${this.detail}`
  }
}

/**
 * The text that `TLS.sig` authenticates, in the official order with a newline after each line.
 *
 * @since 0.1.0
 * @category signing
 */
export const content = (claims: Omit<Claims, "sig">): string =>
  `TLS.identifier:${claims.identifier}\n` +
  `TLS.sdkappid:${claims.sdkAppId}\n` +
  `TLS.time:${claims.time}\n` +
  `TLS.expire:${claims.expire}\n` +
  (claims.userbuf === undefined ? "" : `TLS.userbuf:${claims.userbuf}\n`)

/**
 * `TLS.sig`: standard Base64 of HMAC-SHA256(secretKey as UTF-8, content).
 *
 * @since 0.1.0
 * @category signing
 */
export const signature = (
  secretKey: Redacted.Redacted<string>,
  claims: Omit<Claims, "sig">
): Effect.Effect<string, never, Signer> =>
  Effect.flatMap(
    Signer,
    (signer) =>
      Effect.map(signer.hmacSha256(utf8.bytes(Redacted.value(secretKey)), utf8.bytes(content(claims))), base64.encode)
  )

/**
 * Signs a UserSig. The result is `Redacted`: unwrap it only to put it on the wire.
 *
 * @since 0.1.0
 * @category signing
 */
export const sign = (options: SignOptions): Effect.Effect<Redacted.Redacted<string>, never, Signer> =>
  Effect.gen(function*() {
    const signer = yield* Signer
    const unsigned: Omit<Claims, "sig"> = {
      identifier: options.identifier,
      sdkAppId: options.sdkAppId,
      time: options.time,
      expire: options.expire,
      ...(options.userbuf === undefined ? {} : { userbuf: base64.encode(options.userbuf) })
    }
    const sig = yield* signature(options.secretKey, unsigned)
    const document: Record<string, string | number> = {
      "TLS.ver": "2.0",
      "TLS.identifier": unsigned.identifier,
      "TLS.sdkappid": unsigned.sdkAppId,
      "TLS.time": unsigned.time,
      "TLS.expire": unsigned.expire
    }
    if (unsigned.userbuf !== undefined) document["TLS.userbuf"] = unsigned.userbuf
    document["TLS.sig"] = sig
    const compressed = yield* signer.deflate(utf8.bytes(JSON.stringify(document)))
    return Redacted.make(base64.toUserSigAlphabet(base64.encode(compressed)))
  })

const Document = /*#__PURE__*/ Schema.Struct({
  "TLS.ver": Schema.String,
  "TLS.identifier": Schema.String,
  "TLS.sdkappid": Schema.Number,
  "TLS.time": Schema.Number,
  "TLS.expire": Schema.Number,
  "TLS.userbuf": /*#__PURE__*/ Schema.optionalKey(Schema.String),
  "TLS.sig": Schema.String
})
const decodeDocument = /*#__PURE__*/ Schema.decodeUnknownResult(/*#__PURE__*/ Schema.fromJsonString(Document))

/**
 * Reads the claims out of a UserSig (without checking its signature).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (
  userSig: string | Redacted.Redacted<string>
): Effect.Effect<Claims, UserSigDecodeError, Signer> =>
  Effect.gen(function*() {
    const signer = yield* Signer
    const text = Redacted.isRedacted(userSig) ? Redacted.value(userSig) : userSig
    const compressed = yield* Effect.try({
      try: () => base64.decode(base64.fromUserSigAlphabet(text)),
      catch: () => new UserSigDecodeError({ detail: "not Base64" })
    })
    const json = yield* Effect.mapError(signer.inflate(compressed), () =>
      new UserSigDecodeError({ detail: "not a zlib stream" }))
    const document = decodeDocument(utf8.text(json))
    if (Result.isFailure(document)) {
      return yield* new UserSigDecodeError({ detail: "not a TLSSigAPIv2 document" })
    }
    const d = document.success
    return {
      identifier: d["TLS.identifier"],
      sdkAppId: d["TLS.sdkappid"],
      time: d["TLS.time"],
      expire: d["TLS.expire"],
      ...(d["TLS.userbuf"] === undefined ? {} : { userbuf: d["TLS.userbuf"] }),
      sig: d["TLS.sig"]
    }
  })
