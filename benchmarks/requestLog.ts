/**
 * The client's HTTP requests as the client sees them, recorded through `Client.Options.transformClient`:
 * when each was handed to the HTTP client, when its answer's headers came (or it failed, or was
 * interrupted), and the first account of its body. Two requests with the same body in flight at once are
 * a hedge and its primary; one after the other, a retry. When undici wrote each request's headers comes
 * from its diagnostics channel (as `NodeRequestWrites` reads it), in epoch ms, to set beside the emulator's
 * arrival stamps. For diagnosis only: the UserSig (in the query) is never read.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpClient from "effect/http/HttpClient"
import * as diagnostics from "node:diagnostics_channel"

/** One request. */
export interface RequestRecord {
  /** `performance.now()` when it was handed to the HTTP client. */
  readonly start: number
  /** When its headers came, it failed or it was interrupted. */
  end: number
  outcome: "answered" | "failed" | "interrupted" | "pending"
  /** The request body (the same for a hedge, its primary and their retries). */
  readonly body: string
  /** The `random` query parameter (the emulator logs it too). */
  readonly random: string
}

const randomParam = /[?&]random=(\d+)/

/** When undici wrote each request (epoch ms), by `random`, while `stop` has not been called. */
export const writeTimes = () => {
  const times = new Map<string, number>()
  const listener = (message: unknown) => {
    const path = (message as { readonly request?: { readonly path?: unknown } }).request?.path
    const random = typeof path === "string" ? randomParam.exec(path)?.[1] : undefined
    if (random !== undefined) times.set(random, Date.now())
  }
  diagnostics.subscribe("undici:client:sendHeaders", listener)
  return { times, stop: () => diagnostics.unsubscribe("undici:client:sendHeaders", listener) }
}

/** A recorder and the transformation that feeds it. */
export const requestLog = () => {
  const records: Array<RequestRecord> = []
  const transform = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
    HttpClient.transform(client, (effect, request) =>
      Effect.suspend(() => {
        const record: RequestRecord = {
          start: performance.now(),
          end: Number.NaN,
          outcome: "pending",
          body: request.body._tag === "Uint8Array" ? request.body.text ?? "" : "",
          random: String(request.urlParams.params.find(([key]) => key === "random")?.[1] ?? "")
        }
        records.push(record)
        return Effect.onExit(effect, (exit) =>
          Effect.sync(() => {
            record.end = performance.now()
            record.outcome = Exit.isSuccess(exit) ? "answered" : Exit.hasInterrupts(exit) ? "interrupted" : "failed"
          }))
      }))
  return { records, transform }
}

/** A request sent while another with the same body was in flight (a hedge), and the one in flight (its primary). */
export interface Hedge {
  readonly hedge: RequestRecord
  readonly primary: RequestRecord
}

/** The hedges among `records`, each with its primary. */
export const hedges = (records: ReadonlyArray<RequestRecord>): Array<Hedge> => {
  const byBody = new Map<string, Array<RequestRecord>>()
  for (const r of records) {
    const same = byBody.get(r.body)
    if (same === undefined) byBody.set(r.body, [r])
    else same.push(r)
  }
  const found: Array<Hedge> = []
  for (const same of byBody.values()) {
    for (let i = 1; i < same.length; i++) {
      const hedge = same[i]!
      const primary = same.slice(0, i).find((earlier) => !(earlier.end <= hedge.start))
      if (primary !== undefined) found.push({ hedge, primary })
    }
  }
  return found
}
