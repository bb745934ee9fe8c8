/**
 * The emulator's HTTP app on the current `HttpServer`: the REST API for every path under `/v4/`, the control
 * routes under `/__emulator/`, and 404 for anything else.
 */
import * as Effect from "effect/Effect"
import { constTrue } from "effect/Function"
import * as HttpMiddleware from "effect/http/HttpMiddleware"
import * as HttpRouter from "effect/http/HttpRouter"
import * as HttpServer from "effect/http/HttpServer"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import type * as Scope from "effect/Scope"
import type { Control } from "../Emulator.js"
import * as ControlRoutes from "./ControlRoutes.js"
import * as RestHandler from "./RestHandler.js"
import type { State } from "./State.js"

/**
 * Serves the app until the scope closes. `/v4/...` is matched by prefix rather than with a router wildcard,
 * which would also take `/v4` itself.
 */
export const serve = (
  state: State,
  control: Control
): Effect.Effect<void, never, HttpServer.HttpServer | Scope.Scope> =>
  Effect.gen(function*() {
    const router = yield* HttpRouter.make
    yield* router.addAll(ControlRoutes.make(control))
    const controlApi = router.asHttpEffect()
    // Interruptible like a router's routes, so a client hanging up or the server closing ends a `Delay`.
    const rest = Effect.interruptible(RestHandler.make(state))
    const app = Effect.flatMap(
      HttpServerRequest.HttpServerRequest,
      (request) => request.url.startsWith("/v4/") ? rest : controlApi
    )
    // The emulator's requests are not part of the caller's traces.
    yield* HttpServer.serveEffect(app).pipe(Effect.provideService(HttpMiddleware.TracerDisabledWhen, constTrue))
  })
