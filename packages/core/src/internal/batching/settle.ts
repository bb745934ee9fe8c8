/**
 * Settles every account of a call from its answer. Accounts are matched by `To_Account`, never by
 * position: an answer usually lists them in request order (minus the failed ones), so the position
 * is tried first and an index of the call's accounts is built only when the answer is in another
 * order. `ErrorList` entries fail their own account; an account with a value succeeds; every other
 * account is `unlisted` (a read's missing account is a decode error, a write's succeeded).
 */
import type * as Envelope from "../../Envelope.js"
import { TimAccountError, TimDecodeError, type TimLookupError } from "../../TimError.js"
import type { Command } from "../../TimRest.js"
import type { Sink } from "./sink.js"
import type { Answer } from "./spec.js"

/** Finds an account's index among a call's accounts, trying a hint first. */
const indexer = (accounts: ReadonlyArray<string>) => {
  let index: Map<string, number> | undefined
  return (account: string, hint: number): number => {
    if (accounts[hint] === account) return hint
    if (index === undefined) {
      index = new Map()
      for (let i = 0; i < accounts.length; i++) index.set(accounts[i]!, i)
    }
    return index.get(account) ?? -1
  }
}

/** Fails every account of a call with one error. */
export const failAll = <O>(count: number, error: TimLookupError, sink: Sink<O>): void => {
  for (let i = 0; i < count; i++) sink.fail(i, error)
}

/**
 * Settles the accounts of a successful answer: `ErrorList` first, then the values of `answer` (for
 * a read), then `unlisted` for every account still open.
 */
export const settle = <O>(
  command: Command,
  accounts: ReadonlyArray<string>,
  answer: Envelope.Envelope | Answer<O>,
  sink: Sink<O>,
  unlisted: (account: string) => { readonly value: O } | TimLookupError
): void => {
  const n = accounts.length
  const done = new Uint8Array(n)
  const indexOf = indexer(accounts)
  const few = answer.ErrorList.length <= 8
  for (const item of answer.ErrorList) {
    const i = few ? accounts.indexOf(item.To_Account) : indexOf(item.To_Account, -1)
    if (i < 0 || done[i] === 1) continue
    done[i] = 1
    sink.fail(i, new TimAccountError({ command, account: item.To_Account, code: item.ErrorCode, info: item.ErrorInfo }))
  }
  if ("keys" in answer) {
    let next = 0
    for (let j = 0; j < answer.keys.length; j++) {
      while (next < n && done[next] === 1) next++
      const i = indexOf(answer.keys[j]!, next)
      if (i < 0 || done[i] === 1) continue
      done[i] = 1
      sink.succeed(i, answer.values[j]!)
      if (i === next) next++
    }
  }
  for (let i = 0; i < n; i++) {
    if (done[i] === 1) continue
    const result = unlisted(accounts[i]!)
    if ("value" in result) sink.succeed(i, result.value)
    else sink.fail(i, result)
  }
}

/** A read's account that the answer neither gives a value for nor fails. */
export const missing = (command: Command) => (account: string): TimLookupError =>
  new TimDecodeError({ command, detail: `the answer has neither a value nor an error for ${JSON.stringify(account)}` })

const done = { value: undefined }

/** A write's account that `ErrorList` does not fail: it succeeded. */
export const succeeded = (): { readonly value: void } => done
