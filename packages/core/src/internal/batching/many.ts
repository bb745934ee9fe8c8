/**
 * The many-account forms: every input validated first, then the valid accounts sent a chunk at a
 * time (`Runner.chunk`), at most `concurrency` chunks in flight, so memory stays bounded by what is in
 * flight however many accounts there are. Each distinct input gets one outcome, and the outcomes
 * come back in input order: a refused input (its own `TimValidationError`) in its place among the
 * others, never stopping them. Outcomes are keyed by the input value itself, so an input that is not
 * a string can never shadow a valid account that stringifies the same.
 *
 * An account may need several requests one after the other (more than 10 tags to add go 10 at a
 * time): its k-th request goes in round k, rounds run one after the other, and an account that
 * failed in one round sends nothing more.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Account from "../../Account.js"
import type * as Batching from "../../Batching.js"
import type { TimValidationError } from "../../TimError.js"
import type { Runner } from "./engine.js"

/** The outcome of one input. */
export type Outcome<A> = Batching.Outcome<A>

/** The accounts of one round, with what each sends. */
interface Round<I> {
  readonly accounts: Array<string>
  readonly inputs: Array<I>
}

/** Many inputs, validated. */
export interface Plan<I> {
  /** Every distinct input in input order: its refusal, or `undefined` until its outcome is in. */
  readonly outcomes: Map<unknown, Outcome<unknown> | undefined>
  readonly rounds: Array<Round<I>>
}

/** An empty plan. */
export const plan = <I>(): Plan<I> => ({ outcomes: new Map(), rounds: [] })

/** Adds an input refused before the network. */
export const refuse = (plan: Plan<unknown>, input: unknown, refusal: TimValidationError): void => {
  plan.outcomes.set(input, Result.fail(refusal))
}

/** Adds a valid account and what it sends, one input per round (usually one). */
export const add = <I>(plan: Plan<I>, account: string, requests: ReadonlyArray<I>): void => {
  plan.outcomes.set(account, undefined)
  for (let k = 0; k < requests.length; k++) {
    const round = plan.rounds[k] ??= { accounts: [], inputs: [] }
    round.accounts.push(account)
    round.inputs.push(requests[k]!)
  }
}

/** The inputs of a command whose requests carry nothing but the account: reading any index gives `undefined`. */
export const noInputs: Array<void> = []

/** A plan for lookups of many accounts: each distinct input once, refused or looked up. */
export const ofAccounts = (inputs: Iterable<unknown>): Plan<void> => {
  const planned = plan<void>()
  const { outcomes } = planned
  const accounts: Array<string> = []
  for (const input of inputs) {
    if (outcomes.has(input)) continue
    const refusal = Account.refusal(input)
    if (refusal !== undefined) outcomes.set(input, Result.fail(refusal))
    else {
      outcomes.set(input, undefined)
      accounts.push(input as string)
    }
  }
  // One round; a lookup sends nothing but the account, so its inputs are none (each reads as `undefined`).
  if (accounts.length > 0) planned.rounds.push({ accounts, inputs: noInputs })
  return planned
}

/** One account's requests, validated. */
export interface Requests<I> {
  readonly account: string
  readonly requests: ReadonlyArray<I>
}

/**
 * A plan for many entries (an account and what to do with it): the entries of one account merged
 * first (`merge`), then each validated into its requests, or refused.
 */
export const ofEntries = <E extends { readonly account: unknown }, I>(
  entries: Iterable<E>,
  merge: (first: E, next: E) => E,
  requests: (entry: E) => Result.Result<Requests<I>, TimValidationError>
): Plan<I> => {
  const merged = new Map<unknown, E>()
  for (const entry of entries) {
    const previous = merged.get(entry.account)
    merged.set(entry.account, previous === undefined ? entry : merge(previous, entry))
  }
  const planned = plan<I>()
  for (const [account, entry] of merged) {
    const valid = requests(entry)
    if (Result.isFailure(valid)) refuse(planned, account, valid.failure)
    else add(planned, valid.success.account, valid.success.requests)
  }
  return planned
}

const done: Outcome<never> = Result.succeed(undefined as never)

/** Runs a plan through a command's runner, `runner.concurrency` chunks at a time. */
export const run = <I, O>(
  plan: Plan<I>,
  runner: Runner<I, O>
): Effect.Effect<ReadonlyMap<string, Outcome<O>>> => {
  const outcomes = plan.outcomes
  // With several rounds (writes only), an account has succeeded once every round is done without a failure.
  const single = plan.rounds.length <= 1
  const runRound = (round: Round<I>, k: number) => {
    // In the first round every account is still open; later ones leave out the accounts that failed.
    const accounts = k === 0 ? round.accounts : round.accounts.filter((account) => outcomes.get(account) === undefined)
    const inputs = accounts.length === round.accounts.length
      ? round.inputs
      : round.inputs.filter((_, i) => outcomes.get(round.accounts[i]!) === undefined)
    const chunkAt = (start: number) => {
      // A round of one call (a stream's chunk, most many-account lookups' last) is sent as it is.
      const whole = accounts.length <= runner.maxPerCall
      const chunk = whole ? accounts : accounts.slice(start, start + runner.maxPerCall)
      const chunkInputs = whole || inputs.length === 0 ? inputs : inputs.slice(start, start + runner.maxPerCall)
      return runner.chunk(chunk, chunkInputs, {
        succeed: (i, value) => {
          if (single) outcomes.set(chunk[i]!, Result.succeed(value))
        },
        fail: (i, error) => {
          outcomes.set(chunk[i]!, Result.fail(error))
        }
      })
    }
    if (accounts.length <= runner.maxPerCall) return chunkAt(0)
    const starts: Array<number> = []
    for (let i = 0; i < accounts.length; i += runner.maxPerCall) starts.push(i)
    return Effect.forEach(starts, chunkAt, { concurrency: runner.concurrency, discard: true })
  }
  return Effect.forEach(plan.rounds, runRound, { discard: true }).pipe(Effect.map(() => {
    if (!single) { for (const [input, outcome] of outcomes) if (outcome === undefined) outcomes.set(input, done) }
    return outcomes as ReadonlyMap<string, Outcome<O>>
  }))
}
