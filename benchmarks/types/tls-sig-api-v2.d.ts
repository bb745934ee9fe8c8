/** Types for the official (untyped, CommonJS) `tls-sig-api-v2` package, as far as the naive baseline uses it. */
declare module "tls-sig-api-v2" {
  /** Signs UserSigs for one app. */
  export class Api {
    constructor(sdkappid: number, key: string)
    /** A UserSig for `identifier`, valid for `expire` seconds from now. */
    genSig(identifier: string, expire: number): string
  }
  const TLSSigAPIv2: { readonly Api: typeof Api }
  export default TLSSigAPIv2
}
