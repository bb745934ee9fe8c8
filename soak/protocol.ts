/**
 * What the soak's runner and its worker processes say to each other over the IPC channel: the worker's spec
 * (JSON in `TIMTAGS_SOAK_WORKER`), the runner's "go" and "stop", and the worker's "ready", round starts,
 * samples every few seconds and final report.
 */
import type { Population } from "./plan.js"

/** What one worker process does. */
export interface WorkerSpec {
  /** Its slot, 0 … processes − 1: it owns the accounts `sw<id>-…`. */
  readonly id: number
  /** 0, then 1 after it was killed and restarted. */
  readonly incarnation: number
  readonly redisUrl: string
  /** Key prefix of the shared limiter (one per run). */
  readonly redisPrefix: string
  readonly population: Population
  /** The write round to start with (a restarted worker redoes the round it was killed in). */
  readonly firstRound: number
  /** The shortest round (see `plan.ts`). */
  readonly settleMillis: number
  /** Fibers each looking up one account at a time with `getTags`. */
  readonly lookupFibers: number
  /** Accounts per `getTagsMany`. */
  readonly manySize: number
  /** Accounts per `getAttrsMany`. */
  readonly attrsManySize: number
  readonly sampleMillis: number
  /** Look some accounts up before saying "ready" (JIT, connections). */
  readonly warmUp: boolean
}

/** Kinds of account outcome whose successes are counted, for throughput. */
export type Kind = "tagLookups" | "attrLookups" | "tagWrites" | "attrWrites"

/** Calls of the many-account operations, and whether each got one outcome per distinct account requested. */
export interface OutcomeTally {
  readonly calls: number
  /** Distinct accounts requested. */
  readonly requested: number
  readonly outcomes: number
  /** Accounts requested without an outcome. */
  readonly missing: number
  /** Outcomes for accounts that were not requested. */
  readonly extra: number
}

/** What a worker counted so far (cumulative within one process). */
export interface Tally {
  /** Per operation (`getTagsMany`, `addTagsMany`, …). */
  readonly many: Readonly<Record<string, OutcomeTally>>
  /** Requests (single lookups and many-account calls) started, and those that ended, with a value or an error. */
  readonly requests: { readonly issued: number; readonly resolved: number }
  /** Accounts whose outcome was a success, by kind. */
  readonly ok: Readonly<Record<Kind, number>>
  /** Failed outcomes (after the client's retries), by `operation: Tag Reason`. */
  readonly failed: Readonly<Record<string, number>>
  /** Answers that differed from this process's earlier answer for the same account (at most 20 kept). */
  readonly contradictions: ReadonlyArray<Contradiction>
  readonly contradictionCount: number
}

/** Two different answers for one account. */
export interface Contradiction {
  readonly key: string
  readonly first: string
  readonly then: string
}

/** One sample, every `sampleMillis`. */
export interface Sample {
  /** Epoch ms. */
  readonly at: number
  readonly rssBytes: number
  readonly heapTotalBytes: number
  readonly heapUsedBytes: number
  /** Memory of C++ objects bound to JavaScript ones (sockets' buffers, …), `ArrayBuffer`s included. */
  readonly externalBytes: number
  /** `process.getActiveResourcesInfo()`, counted by kind (`TCPSocketWrap`, `Timeout`, …). */
  readonly resources: Readonly<Record<string, number>>
  /** Event-loop delay since the previous sample (ms). */
  readonly lagP99Millis: number
  readonly lagMaxMillis: number
  readonly tally: Tally
  /** Answers first seen since the previous sample: `tags:<account>` or `attrs:<account>` → fingerprint. */
  readonly answers: Readonly<Record<string, string>>
}

/** The final report. */
export interface Report {
  /** The last write round completed. */
  readonly lastRound: number
  /** Owned accounts whose write still failed after every retry of the application's (state unknown). */
  readonly unresolved: ReadonlyArray<string>
  /** Requests that had not ended 60 s after "stop". */
  readonly pending: number
  /** Event-loop delay over the whole run (ms). */
  readonly lagP99Millis: number
  /** Warnings and errors the client logged (a Redis outage logs one), by message. */
  readonly warnings: Readonly<Record<string, number>>
}

/** From a worker. */
export type WorkerMessage =
  | { readonly type: "ready" }
  | { readonly type: "round"; readonly round: number }
  | { readonly type: "sample"; readonly sample: Sample }
  | { readonly type: "done"; readonly sample: Sample; readonly report: Report }

/** From the runner. */
export type RunnerMessage = { readonly type: "go" } | { readonly type: "stop" }

/** The environment variable holding the spec. */
export const specVariable = "TIMTAGS_SOAK_WORKER"
