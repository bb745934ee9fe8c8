/**
 * What a worker process counts as it runs: for each many-account call, whether every distinct account requested
 * got exactly one outcome; each account's answer (kept to tell a changed answer, and sent to the runner once,
 * to be compared with the emulator's store at the end); successes by kind; failures by operation, error tag and
 * reason.
 */
import type * as Batching from "@timtags/core/Batching"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as AnswerBook from "../answerBook.js"
import { fingerprint } from "../plan.js"
import type { Kind, OutcomeTally, Tally } from "../protocol.js"

/** The recorder of one process. */
export interface Recorder {
  /**
   * Checks a many-account call's outcomes against the accounts requested, and counts successes as `kind`
   * (failures are the caller's to record: an account-level error of a lookup is an answer).
   */
  readonly many: <A>(
    operation: string,
    kind: Kind,
    requested: ReadonlyArray<string>,
    outcomes: ReadonlyMap<string, Batching.Outcome<A>>
  ) => void
  /** Records an answer (`key` is `tags:<account>` or `attrs:<account>`). */
  readonly answer: (key: string, answer: string) => void
  /** Counts a failed outcome. */
  readonly failed: (operation: string, error: { readonly _tag: string; readonly reason?: string }) => void
  /** Runs a request, counting it as issued, then as resolved once it ends (with a value or an error). */
  readonly track: <A, E, R>(request: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  readonly ok: (kind: Kind, n: number) => void
  /** Answers first seen since the last call. */
  readonly takeNewAnswers: () => Record<string, string>
  readonly tally: () => Tally
}

/** An account-level failure that is an answer of the server about that account, as a fingerprint. */
const accountAnswer = (error: { readonly _tag: string; readonly reason?: string }) =>
  error._tag === "TimAccountError" ? fingerprint.failed(error.reason ?? "") : undefined

/** Makes an empty recorder. */
export const make = (): Recorder => {
  const many: Record<string, { -readonly [K in keyof OutcomeTally]: OutcomeTally[K] }> = {}
  const failed: Record<string, number> = {}
  const ok: Record<Kind, number> = { tagLookups: 0, attrLookups: 0, tagWrites: 0, attrWrites: 0 }
  const requests = { issued: 0, resolved: 0 }
  const book = AnswerBook.make()
  let fresh: Record<string, string> = {}
  const answer = (key: string, value: string) => {
    if (book.add(key, value)) fresh[key] = value
  }
  const fail = (operation: string, error: { readonly _tag: string; readonly reason?: string }) => {
    const key = `${operation}: ${error._tag} ${error.reason ?? ""}`.trim()
    failed[key] = (failed[key] ?? 0) + 1
  }
  return {
    many: (operation, kind, requested, outcomes) => {
      const distinct = new Set(requested)
      const entry = (many[operation] ??= { calls: 0, requested: 0, outcomes: 0, missing: 0, extra: 0 })
      entry.calls++
      entry.requested += distinct.size
      entry.outcomes += outcomes.size
      for (const account of distinct) if (!outcomes.has(account)) entry.missing++
      for (const [account, outcome] of outcomes) {
        if (!distinct.has(account)) entry.extra++
        if (Result.isSuccess(outcome)) ok[kind]++
      }
    },
    answer,
    failed: fail,
    track: (request) =>
      Effect.suspend(() => {
        requests.issued++
        return Effect.ensuring(request, Effect.sync(() => void requests.resolved++))
      }),
    ok: (kind, n) => void (ok[kind] += n),
    takeNewAnswers: () => {
      const taken = fresh
      fresh = {}
      return taken
    },
    tally: () => ({
      many: structuredClone(many),
      requests: { ...requests },
      ok: { ...ok },
      failed: { ...failed },
      contradictions: [...book.contradictions()],
      contradictionCount: book.contradictionCount()
    })
  }
}

/**
 * Records an outcome of a lookup as an answer when it is one: a value (by `show`), or an account-level error
 * (the server's answer about that account); other failures are counted, not answers.
 */
export const lookupOutcome = <A>(
  recorder: Recorder,
  operation: string,
  key: string,
  outcome: Batching.Outcome<A>,
  show: (a: A) => string
) => {
  if (Result.isSuccess(outcome)) return recorder.answer(key, show(outcome.success))
  const asAnswer = accountAnswer(outcome.failure)
  if (asAnswer !== undefined) recorder.answer(key, asAnswer)
  else recorder.failed(operation, outcome.failure)
}
