/**
 * Where the CLI module's own output goes: help and `--version` asked for go to stdout, as usual; the usage
 * shown for a wrong command line goes to stderr with its error, so that a pipe reading stdout gets nothing
 * but results (and the exit code, 2, says what happened).
 */
import { CliOutput, TerminalCapabilities } from "effect/cli"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/** The presenter. */
export const presenter: CliOutput.Presenter = {
  present: (event) =>
    event._tag === "InvalidInvocation"
      ? Effect.contextWith((context) => {
        const formatter = Context.getOrUndefined(context, CliOutput.Formatter) ??
          CliOutput.defaultFormatter({
            colors: Context.get(context, TerminalCapabilities.TerminalCapabilities).canColor
          })
        return Console.error(`${formatter.formatHelpDoc(event.helpDoc)}\n${formatter.formatErrors(event.errors)}`)
      })
      : CliOutput.defaultPresenter.present(event)
}

/** The presenter, as a layer. */
export const layer: Layer.Layer<never> = CliOutput.layerPresenter(presenter)
