/**
 * `@timtags/emulator`: a local HTTP server that behaves like Tencent Cloud Chat's push REST API (tags, attributes,
 * pushes, scheduled tasks, statistics), for tests, demos and benchmarks.
 *
 * @since 0.1.0
 */

// An empty export keeps the comment above as the module's documentation for docgen (which takes
// the doc comment before a file's first statement, and every re-export below has its own).
export {}

/**
 * The emulator service, its layer, and `startEmulator` for Promise users.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Emulator from "./Emulator.js"

/**
 * TLSSigAPIv2 UserSig decoding, verification, and signing (`signUserSig`).
 *
 * @since 0.1.0
 * @category modules
 */
export * as UserSigVerifier from "./UserSigVerifier.js"

/**
 * The in-memory accounts and tags, and the documented tag limits.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Store from "./Store.js"

/**
 * Accepted pushes and scheduled tasks as the control methods show them, and the push spacing and quota.
 *
 * @since 0.3.0
 * @category modules
 */
export * as Pushes from "./Pushes.js"

/**
 * Injectable faults: HTTP status, error code, delay, dropped connection, and a call that runs but whose answer
 * is dropped or late.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Faults from "./Faults.js"

/**
 * The call log, its counters, and the sliding-window maximum.
 *
 * @since 0.1.0
 * @category modules
 */
export * as CallLog from "./CallLog.js"

/**
 * Every error code the emulator answers with.
 *
 * @since 0.1.0
 * @category modules
 */
export * as ErrorCodes from "./ErrorCodes.js"

/**
 * The spec §6.4 UserSig test vector.
 *
 * @since 0.1.0
 * @category modules
 */
export * as SpecVector from "./SpecVector.js"
