/**
 * A command over accounts, as the batching engine sees it: a REST command one call of which carries
 * at most `maxPerCall` distinct accounts, each with its own input, and whose answer tells how each
 * account fared. Tags, attributes and account import are each a few such declarations.
 *
 * - A **read** is idempotent: lookups of one account share a call (waiting or in flight), and a slow
 *   call may be hedged. An account the answer neither gives a value for nor lists in `ErrorList` is
 *   a decode error.
 * - A **write** changes the server: when one of its calls ends, reads sent before it are no longer
 *   shared, and an account it does not list in `ErrorList` succeeded.
 */
import * as Envelope from "../../Envelope.js"
import type { Command } from "../../TimRest.js"
import * as Read from "../decode.js"

/**
 * A read answer: the envelope, and the accounts it gives a value for with their values, in the
 * answer's order.
 */
export interface Answer<O> extends Envelope.Envelope {
  readonly keys: ReadonlyArray<string>
  readonly values: ReadonlyArray<O>
}

interface Common<I> {
  readonly command: Command
  readonly maxPerCall: number
  /** The request body of one call for distinct `accounts`, `inputs[i]` being what `accounts[i]` sends. */
  readonly body: (accounts: ReadonlyArray<string>, inputs: ReadonlyArray<I>) => unknown
}

/** A lookup command. */
export interface ReadSpec<I, O> extends Common<I> {
  readonly kind: "read"
  readonly answer: Envelope.Decoder<Answer<O>>
}

/** A command that changes the server; its answer is the envelope (and `ErrorList`). */
export interface WriteSpec<I> extends Common<I> {
  readonly kind: "write"
  readonly answer: Envelope.Decoder<Envelope.Envelope>
}

/** A command over accounts. */
export type Spec<I, O> = ReadSpec<I, O> | WriteSpec<I>

/**
 * A decoder of a read answer whose list `field` holds `{To_Account, [valueField]}` entries (at most
 * `Envelope.limits.accounts`), each value read by `value`, or `fallback` when absent.
 */
export const keyedAnswer = <O>(
  field: string,
  valueField: string,
  value: Read.Reader<O>,
  fallback: O
): Envelope.Decoder<Answer<O>> =>
  Envelope.handWritten((fields) => {
    const envelope = Envelope.readEnvelope(fields)
    const list = Read.optional(fields, field, "", Read.list(Envelope.limits.accounts), none)
    const keys = new Array<string>(list.length)
    const values = new Array<O>(list.length)
    // Entries are read at path "" and their place named only if one is wrong (no path string per entry).
    let i = 0
    try {
      for (; i < list.length; i++) {
        const entry = Read.object(list[i], "")
        keys[i] = Read.required(entry, "To_Account", "", Read.string)
        values[i] = Read.optional(entry, valueField, "", value, fallback)
      }
    } catch (error) {
      throw Read.relocated(error, `${field}[${i}]`)
    }
    return { ...envelope, keys, values }
  })

const none: ReadonlyArray<unknown> = []
