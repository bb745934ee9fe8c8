/**
 * The shape of one benchmark scenario. `run.ts` runs every scenario listed in `scenarios/index.ts`,
 * prints a table and writes `results/latest.json`.
 */

/** One measured figure, with the target it is judged against (if any). */
export interface Figure {
  /** What was measured, e.g. "HTTP calls / ideal". */
  readonly label: string
  readonly value: number
  /** Unit for display, e.g. "ms", "accounts/s", "MB", "x". */
  readonly unit: string
  /** The target, e.g. "≤ 1.02"; absent for figures shown for context only. */
  readonly target?: string
  /** Whether the target was met; absent when there is no target. */
  readonly met?: boolean
}

/** The result of one scenario. */
export interface ScenarioResult {
  readonly figures: ReadonlyArray<Figure>
  /** What limits a missed target, or anything a reader should know. */
  readonly notes?: string
}

/** One scenario. */
export interface Scenario {
  /** Short id, e.g. "coalescing". */
  readonly name: string
  /** One line: what it does. */
  readonly description: string
  readonly run: () => Promise<ScenarioResult>
}
