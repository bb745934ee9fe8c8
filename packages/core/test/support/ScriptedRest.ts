/**
 * A `TimRest` without a network for unit tests of the answer path: every call's answer is the text
 * `answer()` gives, read as `TimRest` reads it (`internal/answer.ts`: JSON, the command's decoder,
 * the envelope's code), and the decoder each command was called with is kept, so that tests can put
 * the very decoders the services use to the test.
 */
import type * as Envelope from "@timtags/core/Envelope"
import * as TimRest from "@timtags/core/TimRest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { read } from "../../src/internal/answer.js"

/** The scripted `TimRest`: its layer, what it answers next, and the decoders it was called with, by command. */
export interface ScriptedRest {
  readonly layer: Layer.Layer<TimRest.TimRest>
  /** The text of the next answers. */
  answer: string
  readonly decoders: Map<string, Envelope.Decoder<Envelope.Envelope>>
}

/** A scripted `TimRest` answering `answer` (a failed call, 90009, until told otherwise). */
export const make = (
  answer = "{\"ActionStatus\":\"FAIL\",\"ErrorCode\":90009,\"ErrorInfo\":\"scripted\"}"
): ScriptedRest => {
  const scripted: ScriptedRest = {
    answer,
    decoders: new Map(),
    layer: Layer.succeed(
      TimRest.TimRest,
      TimRest.TimRest.of({
        call: (command, _body, decoder) =>
          Effect.suspend(() => {
            scripted.decoders.set(command, decoder)
            return Effect.fromResult(read(command, scripted.answer, decoder))
          })
      })
    )
  }
  return scripted
}

/** The decoder `command` was called with. */
export const decoder = (scripted: ScriptedRest, command: string): Envelope.Decoder<Envelope.Envelope> => {
  const found = scripted.decoders.get(command)
  if (found === undefined) throw new Error(`no call of ${command} was made`)
  return found
}
