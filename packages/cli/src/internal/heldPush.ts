/**
 * The `Push` service of a dry run: the library's own, built over a `TimRest` that holds back the push commands
 * (`timpush/push`, `timpush/batch`) instead of sending them, so that a dry run goes through every check a send
 * goes through (the target, the app's attribute names, the notification, the body size) and produces the very
 * bodies a send would, `MsgRandom` included (a real draw, as a send makes it; the real send draws its own).
 * Everything else (reading the attribute names) goes to the server as usual. `Held` lists the held requests.
 */
import { Push, type PushAttrs, RateLimit, type TimConfig, TimRest } from "@timtags/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"

/** A request held back: its command and its body. */
export interface Request {
  readonly command: string
  readonly body: Readonly<Record<string, unknown>>
}

/** The requests held back so far, in order. */
export class Held extends Context.Service<Held, { readonly requests: () => ReadonlyArray<Request> }>()(
  "@timtags/cli/HeldPush/Held"
) {}

/** The commands held back. */
const pushCommands: ReadonlySet<string> = new Set(["timpush/push", "timpush/batch"])

/** What a held request answers: accepted, without a task. */
const accepted = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", TaskId: "", ErrorList: [] }

/** `Push` over the held-back `TimRest`, and `Held`; over the client's `TimRest`, `TimConfig` and `PushAttrs`. */
export const layer: Layer.Layer<
  Push.Push | Held,
  never,
  TimRest.TimRest | TimConfig.TimConfig | PushAttrs.PushAttrs
> = Layer.unwrap(
  Effect.gen(function*() {
    const rest = yield* TimRest.TimRest
    const requests: Array<Request> = []
    const holding = TimRest.TimRest.of({
      call: (command, body, response, meta) =>
        pushCommands.has(command)
          ? Effect.suspend(() => {
            requests.push({ command, body: body as Request["body"] })
            const answer = response.decode(accepted)
            return Result.isSuccess(answer) ? Effect.succeed(answer.success) : Effect.die(answer.failure)
          })
          : rest.call(command, body, response, meta)
    })
    return Layer.merge(
      Push.layer().pipe(Layer.provide(Layer.succeed(TimRest.TimRest, holding)), Layer.provide(RateLimit.layerMemory())),
      Layer.succeed(Held, { requests: () => requests })
    )
  })
)
