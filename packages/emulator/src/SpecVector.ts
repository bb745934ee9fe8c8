/**
 * The fixed-time TLSSigAPIv2 test vector of spec §6.4 (reproduced with Tencent's official Node
 * implementation): inputs, the expected claims and `TLS.sig`, and a full UserSig made by the
 * official code. Any UserSig implementation (this emulator's verifier, a client's signer) can be
 * checked against it.
 *
 * @since 0.1.0
 */

// An empty export keeps the comment above as the module's documentation for docgen (which takes the doc
// comment before a file's first statement).
export {}

/**
 * The inputs.
 *
 * @since 0.1.0
 * @category constants
 */
export const inputs = {
  sdkAppId: 1400000000,
  secretKey: "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e",
  identifier: "xiaojun",
  time: 1700000000,
  expire: 15552000
} as const

/**
 * The claims a UserSig signed from `inputs` decodes to.
 *
 * @since 0.1.0
 * @category constants
 */
export const claims = {
  identifier: inputs.identifier,
  sdkAppId: inputs.sdkAppId,
  time: inputs.time,
  expire: inputs.expire,
  sig: "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="
} as const

/**
 * `TLS.sig` for the same inputs with user buffer `"abc"` (`TLS.userbuf` = `YWJj`).
 *
 * @since 0.1.0
 * @category constants
 */
export const userbufSig = "QjT201xPkXk/aM1e+y0vakZb0K2iPrFue++0s5y6bFM="

/**
 * The full UserSig the official Node implementation produced for `inputs` on Node 20.
 *
 * @since 0.1.0
 * @category constants
 */
export const officialUserSig =
  "eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBaBxE1NTY3gosWZ6UpWSj5ljuYp*p7l5unBxXnF2WVhVU4uAf7Ozi5JpX7O5SbuHuUhzgZJmQXaTia2SrUAohcx8g__"
