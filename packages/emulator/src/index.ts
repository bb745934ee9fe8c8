/**
 * @timtags/emulator: a local HTTP server that behaves like Tencent Cloud Chat's push-tag REST API, for tests,
 * demos and benchmarks.
 */

/** The emulator service, its layer, and `startEmulator` for Promise users. */
export * as Emulator from "./Emulator.js"

/** TLSSigAPIv2 UserSig decoding, verification, and signing (`signUserSig`). */
export * as UserSigVerifier from "./UserSigVerifier.js"

/** The in-memory accounts and tags, and the documented tag limits. */
export * as Store from "./Store.js"

/** Injectable faults: HTTP status, error code, delay, dropped connection. */
export * as Faults from "./Faults.js"

/** The call log, its counters, and the sliding-window maximum. */
export * as CallLog from "./CallLog.js"

/** Every error code the emulator answers with. */
export * as ErrorCodes from "./ErrorCodes.js"

/** The spec §6.4 UserSig test vector. */
export * as SpecVector from "./SpecVector.js"
