/**
 * Base64 for byte arrays on any runtime (`btoa`/`atob` exist in Node ≥ 16, browsers, Deno, Bun and
 * Workers), plus the UserSig alphabet (`+`→`*`, `/`→`-`, `=`→`_`) used by TLSSigAPIv2.
 */

/** Standard Base64 (with `=` padding) of some bytes. */
export const encode = (bytes: Uint8Array): string => {
  let binary = ""
  const chunk = 0x8000
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk))
  }
  return btoa(binary)
}

/** Decodes standard Base64; throws on characters outside the alphabet. */
export const decode = (text: string): Uint8Array => {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Standard Base64 to the UserSig alphabet. */
export const toUserSigAlphabet = (base64: string): string =>
  base64.replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_")

/** The UserSig alphabet back to standard Base64. */
export const fromUserSigAlphabet = (userSig: string): string =>
  userSig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=")
