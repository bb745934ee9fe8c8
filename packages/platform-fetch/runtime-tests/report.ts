/** What the in-runtime scenario receives and reports: shared by the runtime scripts and the Node tests. */

/** Where the emulator is and which app it serves. */
export interface ScenarioConfig {
  readonly baseUrl: string
  readonly sdkAppId: number
  readonly secretKey: string
  /** A key the emulator does not accept, to prove it really verifies what the Web signer signs. */
  readonly wrongKey: string
}

/** A failure, reduced to what the test checks. */
export interface ErrorReport {
  readonly _tag: string
  readonly code?: number
  readonly reason?: string
  readonly account?: string
  readonly message: string
}

/** What the scenario observed. */
export interface ScenarioReport {
  /** `navigator.userAgent` of the runtime. */
  readonly userAgent: string
  /** Whether `process.versions.node` exists (Deno and Bun emulate it; workerd without nodejs_compat does not). */
  readonly nodeLike: boolean
  /** A UserSig signed here with Web Crypto + CompressionStream, for the Node side to verify. */
  readonly userSig: {
    readonly identifier: string
    readonly time: number
    readonly expire: number
    readonly value: string
  }
  /** `getTags` of seeded accounts. */
  readonly tags: Record<string, ReadonlyArray<string>>
  /** `getTagsMany`, one entry per account. */
  readonly many: Record<string, { readonly tags: ReadonlyArray<string> } | { readonly error: ErrorReport }>
  /** `getTags` of an account the emulator does not have (70107 → `TimAccountError`). */
  readonly unknownAccount: ErrorReport | null
  /** `getTags` while the emulator answers 90009 (→ `TimApiError`, reason `Permission`). */
  readonly apiError: ErrorReport | null
  /** `getTags` with a UserSig signed by the wrong key (70009 → `TimApiError`, reason `Credentials`). */
  readonly wrongKey: ErrorReport | null
}
