/**
 * Account import (`v4/im_open_login_svc/multiaccount_import`): Tencent requires an account to be
 * imported (or to have logged in) before it can be tagged, given attributes or pushed to (70107
 * otherwise), so this is the first call a real app makes. It is batched and limited like the rest:
 * `importAccount` calls from any fiber coalesce into calls of up to 100 accounts, `importAccounts`
 * sends accounts in hand a call's worth at a time, and every account gets its own outcome.
 * Importing an account that exists already succeeds.
 *
 * @since 0.3.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Account from "./Account.js"
import type * as Batching from "./Batching.js"
import * as Envelope from "./Envelope.js"
import * as Engine from "./internal/batching/engine.js"
import * as Many from "./internal/batching/many.js"
import * as BatchOptions from "./internal/batching/options.js"
import type { WriteSpec } from "./internal/batching/spec.js"
import * as Read from "./internal/decode.js"
import type { TimLookupError, TimValidationError } from "./TimError.js"
import type { TimRest } from "./TimRest.js"

/**
 * The account import operations.
 *
 * @example
 * ```ts
 * import { AccountImport } from "@timtags/core"
 * import { Effect, Result } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const accounts = yield* AccountImport.AccountImport
 *   yield* accounts.importAccount("alice")
 *   // One outcome per account, in input order; "" fails alone, before any call.
 *   const outcomes = yield* accounts.importAccounts(["bob", "carol", ""])
 *   const failed = [...outcomes].filter(([, outcome]) => Result.isFailure(outcome))
 *   yield* Effect.log(`${failed.length} accounts could not be imported`)
 * })
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface Service {
  /** Imports one account (an existing one stays as it is). */
  readonly importAccount: (account: string) => Effect.Effect<void, TimLookupError | TimValidationError>
  /** Imports many accounts, each with its own outcome, in input order. */
  readonly importAccounts: (accounts: Iterable<string>) => Effect.Effect<ReadonlyMap<string, Batching.Outcome<void>>>
}

/**
 * The `AccountImport` service key.
 *
 * @since 0.3.0
 * @category tags
 */
export class AccountImport extends Context.Service<AccountImport, Service>()("@timtags/core/AccountImport") {}

/**
 * The code of an account the server lists in `FailAccounts`: it gives none, so the
 * `TimAccountError` says 0 and its `info` says why that may be.
 *
 * @since 0.3.0
 * @category constants
 */
export const unexplainedFailure = 0

const failAccounts = Read.strings(Envelope.limits.accounts)

/**
 * The answer of `multiaccount_import`: `FailAccounts`, the accounts it could not import (without a
 * reason), become `ErrorList` entries.
 */
const importAnswer = Envelope.handWritten((fields) => {
  const envelope = Envelope.readEnvelope(fields)
  const failed = Read.optional(fields, "FailAccounts", "", failAccounts, [])
  return failed.length === 0 ? envelope : {
    ...envelope,
    ErrorList: [
      ...envelope.ErrorList,
      ...failed.map((account) => ({
        To_Account: account,
        ErrorCode: unexplainedFailure,
        ErrorInfo: "listed in FailAccounts, without a reason (an account deleted in the last 3 months cannot be " +
          "imported again)"
      }))
    ]
  }
})

/** `multiaccount_import`: up to 100 accounts. */
const multiaccountImport: WriteSpec<void> = {
  command: "im_open_login_svc/multiaccount_import",
  kind: "write",
  maxPerCall: Account.maxPerCall,
  body: (accounts) => ({ Accounts: accounts }),
  answer: importAnswer
}

/**
 * Builds the service on a `TimRest`. Its batches run in the context this effect runs in.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (options: Batching.Options = {}): Effect.Effect<Service, never, TimRest> =>
  Effect.map(Engine.make(BatchOptions.engine(options)), (engine) => {
    const runner = engine.runner(multiaccountImport)
    return AccountImport.of({
      importAccount: (account) =>
        Engine.forAccount(runner, account).pipe(
          Effect.withSpan("AccountImport.importAccount", undefined, { captureStackTrace: false })
        ),
      importAccounts: (accounts) =>
        Many.run(Many.ofAccounts(accounts), runner).pipe(
          Effect.withSpan("AccountImport.importAccounts", undefined, { captureStackTrace: false })
        )
    })
  })

/**
 * The service as a layer over `TimRest`.
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = (options: Batching.Options = {}): Layer.Layer<AccountImport, never, TimRest> =>
  Layer.effect(AccountImport, make(options))
