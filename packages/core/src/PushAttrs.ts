/**
 * The push-attribute service: the app's attribute names (`getAttrNames`, `setAttrNames`) and each
 * account's values (`getAttrs`, `setAttrs`, `removeAttrs`, each also for many accounts, and
 * `getAttrsStream`), with the same shape and the same promises as `PushTags`: its commands are
 * declarations on the same batching engine, so lookups coalesce across callers and share calls in
 * flight, writes are batched, every call carries at most 100 accounts, every account gets its own
 * outcome, and a batch runs in the service's own context.
 *
 * Attribute names are the app's own (up to 10 slots, "0"–"9"). `getAttrNames` is cached for
 * `attrNamesLifetime` (default 5 minutes; `setAttrNames` and a 90033 answer refresh it). Values are
 * set and removed by attribute **name**, and checked against the names before any call: an unknown
 * name, or a value that is empty or over 50 UTF-8 bytes, fails that account alone with a
 * `TimValidationError`, and the rest of the batch goes on. **An attribute's account type (UserID or
 * RegistrationID) can never change once set**: `setAttrNames` refuses the change before the call
 * (Tencent would answer 90033).
 *
 * @since 0.3.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import type * as Stream from "effect/Stream"
import * as Account from "./Account.js"
import * as Attr from "./Attr.js"
import type * as Batching from "./Batching.js"
import * as Envelope from "./Envelope.js"
import * as Engine from "./internal/batching/engine.js"
import * as Many from "./internal/batching/many.js"
import * as BatchOptions from "./internal/batching/options.js"
import { keyedAnswer, type ReadSpec, type WriteSpec } from "./internal/batching/spec.js"
import * as Streams from "./internal/batching/stream.js"
import * as Read from "./internal/decode.js"
import type { TimCallError, TimLookupError, TimValidationError } from "./TimError.js"
import { TimRest } from "./TimRest.js"

/**
 * The errors of a single-account operation.
 *
 * @since 0.3.0
 * @category models
 */
export type Failure = TimLookupError | TimValidationError

/**
 * Attributes for one account, in `setAttrsMany` (an account listed twice gets both, the later
 * value winning).
 *
 * @since 0.3.0
 * @category models
 */
export interface AttrsEntry {
  readonly account: string
  readonly attrs: Attr.Attrs
}

/**
 * Attribute names to remove from one account, in `removeAttrsMany`.
 *
 * @since 0.3.0
 * @category models
 */
export interface NamesEntry {
  readonly account: string
  readonly names: Iterable<string>
}

/**
 * The push-attribute operations.
 *
 * @example
 * ```ts
 * import { PushAttrs } from "@timtags/core"
 * import { Effect, Result } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const attrs = yield* PushAttrs.PushAttrs
 *   // Name the app's attributes once (slots 0–9); a slot's account type can never change.
 *   yield* attrs.setAttrNames([{ slot: 0, name: "city" }, { slot: 1, name: "tier" }])
 *   yield* attrs.setAttrs("alice", { city: "Lisbon", tier: "gold" })
 *   const alice = yield* attrs.getAttrs("alice") // { city: "Lisbon", tier: "gold" }
 *   // Many accounts: one outcome each, in input order; "planet" is not a named attribute, so
 *   // bob fails alone, before any call.
 *   const outcomes = yield* attrs.setAttrsMany([
 *     { account: "bob", attrs: { planet: "Mars" } },
 *     { account: "carol", attrs: { city: "Porto" } }
 *   ])
 *   for (const [account, outcome] of outcomes) {
 *     yield* Effect.log(`${account}: ${Result.isSuccess(outcome) ? "set" : outcome.failure.message}`)
 *   }
 *   return alice
 * })
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface Service {
  /** One account's attributes by name (`{}` for an account without any). */
  readonly getAttrs: (account: string) => Effect.Effect<Attr.Attrs, Failure>
  /** Many accounts' attributes, each account with its own outcome, in input order. */
  readonly getAttrsMany: (
    accounts: Iterable<string>
  ) => Effect.Effect<ReadonlyMap<string, Batching.Outcome<Attr.Attrs>>>
  /** The attributes of a stream of accounts of any length, in bounded memory (see `PushTags.getTagsStream`). */
  readonly getAttrsStream: <E, R, R2 = never>(
    accounts: Stream.Stream<string, E, R>,
    options?: Batching.StreamOptions<R2>
  ) => Stream.Stream<Batching.StreamItem<Attr.Attrs>, E, R | R2>
  /** Sets some attributes of an account (by name); the others keep their values. */
  readonly setAttrs: (account: string, attrs: Attr.Attrs) => Effect.Effect<void, Failure>
  /** `setAttrs` for many accounts. */
  readonly setAttrsMany: (
    entries: Iterable<AttrsEntry>
  ) => Effect.Effect<ReadonlyMap<string, Batching.Outcome<void>>>
  /** Removes some attributes of an account (by name). */
  readonly removeAttrs: (account: string, names: Iterable<string>) => Effect.Effect<void, Failure>
  /** `removeAttrs` for many accounts. */
  readonly removeAttrsMany: (
    entries: Iterable<NamesEntry>
  ) => Effect.Effect<ReadonlyMap<string, Batching.Outcome<void>>>
  /** The app's attributes, in slot order (cached for `attrNamesLifetime`). */
  readonly getAttrNames: Effect.Effect<ReadonlyArray<Attr.Definition>, TimCallError>
  /**
   * Names attribute slots (the other slots keep theirs). A slot's account type is set once, when it
   * is first named, and can never change: a different `accountType` for a named slot is refused
   * before the call, as is a name another slot already has.
   */
  readonly setAttrNames: (
    definitions: Iterable<Attr.NewDefinition>
  ) => Effect.Effect<ReadonlyArray<Attr.Definition>, TimCallError | TimValidationError>
}

/**
 * The `PushAttrs` service key.
 *
 * @since 0.3.0
 * @category tags
 */
export class PushAttrs extends Context.Service<PushAttrs, Service>()("@timtags/core/PushAttrs") {}

/**
 * Options of the service: the batching options every service shares, and how long the attribute
 * names are cached.
 *
 * @since 0.3.0
 * @category models
 */
export interface Options extends Batching.Options {
  /** How long `getAttrNames` answers from its cache; default 5 minutes. */
  readonly attrNamesLifetime?: Duration.Input | undefined
}

/**
 * Defaults of the service's own options.
 *
 * @since 0.3.0
 * @category constants
 */
export const defaults = { attrNamesLifetime: Duration.minutes(5) } as const

const userAttrs = <A>(accounts: ReadonlyArray<string>, attrs: ReadonlyArray<A>) =>
  accounts.map((account, i) => ({ To_Account: account, Attrs: attrs[i] }))

/** `get_attr`: the attributes of up to 100 accounts (`Attrs` absent reads as `{}`). */
const getAttr: ReadSpec<void, Attr.Attrs> = {
  command: "timpush/get_attr",
  kind: "read",
  maxPerCall: Account.maxPerCall,
  body: (accounts) => ({ To_Account: accounts }),
  answer: keyedAnswer("UserAttrs", "Attrs", Read.record(Read.string, Attr.limits.slots), {})
}

/** `set_attr`: values by attribute name for each account. */
const setAttr: WriteSpec<Attr.Attrs> = {
  command: "timpush/set_attr",
  kind: "write",
  maxPerCall: Account.maxPerCall,
  body: (accounts, attrs) => ({ UserAttrs: userAttrs(accounts, attrs) }),
  answer: Envelope.envelope
}

/** `remove_attr`: attribute names to remove from each account. */
const removeAttr: WriteSpec<ReadonlyArray<string>> = {
  command: "timpush/remove_attr",
  kind: "write",
  maxPerCall: Account.maxPerCall,
  body: (accounts, names) => ({ UserAttrs: userAttrs(accounts, names) }),
  answer: Envelope.envelope
}

/** The definitions of a `get_attr_name` answer, in slot order (keys that are not slots "0"–"9" are ignored). */
const definitionsOf = (answer: Envelope.GetAttrNameResponse): ReadonlyArray<Attr.Definition> =>
  Object.entries(answer.AttrNames)
    .filter(([slot]) => /^[0-9]$/.test(slot))
    .map(([slot, name]) => ({ slot: Number(slot), name, accountType: Attr.accountTypeOf(answer.AttrTypes[slot]) }))
    .sort((a, b) => a.slot - b.slot)

/** The `set_attr_name` body naming `changes` (types only where given: a slot's type is set once). */
const setAttrNameBody = (changes: ReadonlyArray<Attr.NewDefinition>) => {
  const AttrNames: Record<string, string> = {}
  const AttrTypes: Record<string, 0 | 1> = {}
  for (const change of changes) {
    AttrNames[String(change.slot)] = change.name
    if (change.accountType !== undefined) AttrTypes[String(change.slot)] = Attr.wireType(change.accountType)
  }
  return Object.keys(AttrTypes).length === 0 ? { AttrNames } : { AttrNames, AttrTypes }
}

const traced = (name: string) => Effect.withSpan(name, undefined, { captureStackTrace: false })

const mergeAttrs = (first: AttrsEntry, next: AttrsEntry): AttrsEntry => ({
  account: first.account,
  attrs: { ...first.attrs, ...next.attrs }
})

const mergeNames = (first: NamesEntry, next: NamesEntry): NamesEntry => ({
  account: first.account,
  names: [...first.names, ...next.names]
})

/** An account and one request, or its refusal. */
const oneRequest = <I>(account: unknown, input: Result.Result<I, TimValidationError>) =>
  Result.flatMap(Account.validate(account), (valid) => Result.map(input, (i) => ({ account: valid, requests: [i] })))

/** Every input of a many-account write failed with one error (the attribute names could not be read). */
const allFailed = (accounts: Iterable<unknown>, error: TimCallError) =>
  new Map([...accounts].map((account) => [account as string, Result.fail(error)] as const))

/** An outcome saying the attribute names the request was checked against are out of date (90033). */
const isStale = (outcome: Batching.Outcome<void>) =>
  Result.isFailure(outcome) && "code" in outcome.failure && outcome.failure.code === 90033

/**
 * Builds the service on a `TimRest`. Its batches run in the context this effect runs in.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, TimRest> =>
  Effect.gen(function*() {
    const rest = yield* TimRest
    const context = yield* Effect.context<never>()
    const engine = yield* Engine.make(BatchOptions.engine(options))
    const get = engine.runner(getAttr)
    const set = engine.runner(setAttr)
    const remove = engine.runner(removeAttr)
    const lifetime = Duration.fromInputUnsafe(options.attrNamesLifetime ?? defaults.attrNamesLifetime)
    const fetchNames = rest.call("timpush/get_attr_name", {}, Envelope.getAttrNameResponse).pipe(
      Effect.map(definitionsOf),
      Effect.setContext(context)
    )
    const [getAttrNames, invalidate] = yield* Effect.cachedInvalidateWithTTL(
      fetchNames,
      (exit) => Exit.isSuccess(exit) ? lifetime : Duration.zero
    )
    /** A write's failure 90033 (invalid attribute) means the cached names may be stale. */
    const staleOn = <A>(effect: Effect.Effect<A, Failure>) =>
      Effect.tapError(effect, (error) => "code" in error && error.code === 90033 ? invalidate : Effect.void)
    /** One account's write, checked against the attribute names before it is sent. */
    const writeOne = <I>(
      runner: Engine.Runner<I, void>,
      account: unknown,
      check: (names: ReadonlyArray<Attr.Definition>) => Result.Result<I, TimValidationError>
    ): Effect.Effect<void, Failure> =>
      Effect.flatMap(getAttrNames, (names) => {
        const planned = oneRequest(account, check(names))
        return Result.isFailure(planned)
          ? Effect.fail(planned.failure)
          : staleOn(runner.one(planned.success.account, planned.success.requests[0]!))
      })
    const manyWithNames = <E extends { readonly account: unknown }, I>(
      entries: Iterable<E>,
      merge: (first: E, next: E) => E,
      requests: (
        entry: E,
        names: ReadonlyArray<Attr.Definition>
      ) => Result.Result<Many.Requests<I>, TimValidationError>,
      runner: Engine.Runner<I, void>
    ) => {
      const list = [...entries]
      return Effect.matchEffect(getAttrNames, {
        onFailure: (error) => Effect.succeed(allFailed(list.map((e) => e.account), error)),
        onSuccess: (names) =>
          Many.run(Many.ofEntries(list, merge, (e) => requests(e, names)), runner).pipe(
            Effect.tap((outcomes) => [...outcomes.values()].some(isStale) ? invalidate : Effect.void)
          )
      })
    }
    return PushAttrs.of({
      getAttrs: (account) => Engine.forAccount(get, account).pipe(traced("PushAttrs.getAttrs")),
      getAttrsMany: (accounts) => Many.run(Many.ofAccounts(accounts), get).pipe(traced("PushAttrs.getAttrsMany")),
      getAttrsStream: (accounts, streamOptions) =>
        Streams.stream(get, accounts, BatchOptions.stream(get, streamOptions)),
      setAttrs: (account, attrs) =>
        writeOne(set, account, (names) => Attr.validateAttrs(attrs, names)).pipe(traced("PushAttrs.setAttrs")),
      setAttrsMany: (entries) =>
        manyWithNames(entries, mergeAttrs, (e, names) => oneRequest(e.account, Attr.validateAttrs(e.attrs, names)), set)
          .pipe(traced("PushAttrs.setAttrsMany")),
      removeAttrs: (account, names) =>
        writeOne(remove, account, (defined) => Attr.validateNames(names, defined)).pipe(
          traced("PushAttrs.removeAttrs")
        ),
      removeAttrsMany: (entries) =>
        manyWithNames(
          entries,
          mergeNames,
          (e, names) => oneRequest(e.account, Attr.validateNames(e.names, names)),
          remove
        ).pipe(traced("PushAttrs.removeAttrsMany")),
      getAttrNames: getAttrNames.pipe(traced("PushAttrs.getAttrNames")),
      setAttrNames: (changes) => {
        const list = [...changes]
        return invalidate.pipe(
          Effect.andThen(getAttrNames),
          Effect.flatMap((current) => Effect.fromResult(Attr.validateDefinitions(list, current))),
          Effect.tap(() => rest.call("timpush/set_attr_name", setAttrNameBody(list), Envelope.envelope)),
          Effect.ensuring(invalidate),
          traced("PushAttrs.setAttrNames")
        )
      }
    })
  })

/**
 * The service as a layer over `TimRest`.
 *
 * @since 0.3.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<PushAttrs, never, TimRest> =>
  Layer.effect(PushAttrs, make(options))
