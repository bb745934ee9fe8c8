/**
 * Progress of long work on stderr, one line redrawn in place: accounts done (and the total when known), the
 * rate, the time left, and failures so far. It shows only when stderr is a terminal and `--quiet` is not
 * given, and only once the work has taken half a second, so short commands never draw it.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Semaphore from "effect/Semaphore"
import * as Stdio from "effect/Stdio"
import * as Stream from "effect/Stream"

/** Counts so far. */
export interface Counts {
  readonly done: number
  readonly failed: number
}

/** What the progress line shows. */
export interface State extends Counts {
  readonly total: Option.Option<number>
  readonly elapsedMillis: number
}

const number = (n: number) => Math.round(n).toLocaleString("en-US")

const duration = (seconds: number) => {
  const s = Math.max(0, Math.round(seconds))
  return s < 60 ?
    `${s}s` :
    s < 3600 ?
    `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` :
    `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
}

/** The progress line: `1,200/100,000 accounts (1%) · 960/s · ETA 1m43s · 3 failed`. */
export const render = ({ done, elapsedMillis, failed, total }: State): string => {
  const rate = done / Math.max(elapsedMillis / 1000, 0.001)
  const parts = Option.match(total, {
    onNone: () => [`${number(done)} accounts`, `${number(rate)}/s`],
    onSome: (total) => [
      `${number(done)}/${number(total)} accounts (${total === 0 ? 100 : Math.floor((done / total) * 100)}%)`,
      `${number(rate)}/s`,
      ...(rate > 0 && done < total ? [`ETA ${duration((total - done) / rate)}`] : [])
    ]
  })
  return [...parts, `${number(failed)} failed`].join(" · ")
}

/** Whether progress shows: stderr is a terminal and `--quiet` was not given. */
export const enabled = (quiet: boolean): Effect.Effect<boolean, never, Stdio.Stdio> =>
  quiet ? Effect.succeed(false) : Stdio.Stdio.use((stdio) => stdio.stderrIsTerminal)

/**
 * A progress display: `update` records the counts (the line redraws on its own); `above` runs an effect that
 * writes to the same terminal (a table on stdout) with the line cleared, so that the two never mix.
 */
export interface Progress {
  readonly update: (counts: Counts) => void
  readonly above: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

const delay = "500 millis"
const every = "200 millis"
const clearLine = "\r\x1b[2K"

/**
 * A progress display for the scope: drawn when `enabled` (the caller checks stderr is a terminal and no
 * `--quiet`), with its final line left on stderr when the scope closes.
 */
export const make = (options: {
  readonly enabled: boolean
  readonly total: Option.Option<number>
}): Effect.Effect<Progress, never, Scope.Scope | Stdio.Stdio> =>
  Effect.gen(function*() {
    let counts: Counts = { done: 0, failed: 0 }
    const update = (next: Counts) => (counts = next)
    if (!options.enabled) return { update, above: (effect) => effect }
    const stdio = yield* Stdio.Stdio
    const lock = yield* Semaphore.make(1)
    const started = yield* Clock.currentTimeMillis
    let drawn = false
    const write = (text: string) => Stream.run(Stream.make(text), stdio.stderr()).pipe(Effect.ignore)
    const draw = (end: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        drawn = true
        return write(`${clearLine}${render({ ...counts, total: options.total, elapsedMillis: now - started })}${end}`)
      })
    const redraw = yield* Effect.sleep(delay).pipe(
      Effect.andThen(lock.withPermits(1)(draw("")).pipe(Effect.repeat(Schedule.spaced(every)))),
      Effect.forkScoped
    )
    yield* Effect.addFinalizer(() =>
      Fiber.interrupt(redraw).pipe(Effect.andThen(Effect.suspend(() => (drawn ? draw("\n") : Effect.void))))
    )
    return {
      update,
      above: (effect) =>
        lock.withPermits(1)(Effect.suspend(() => (drawn ? write(clearLine) : Effect.void)).pipe(Effect.andThen(effect)))
    }
  })
