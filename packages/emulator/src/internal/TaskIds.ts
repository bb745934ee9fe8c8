/**
 * Push `TaskId`s shaped like Tencent's, `657bf434_537529d8_2000005e80aa873_2780d131_bc614e`: the accept time
 * (unix seconds) in hex, the SDKAppID in hex, a sequence number, a scrambled form of it, and the `MsgRandom`
 * in hex; `batch` ones start with `batch_`. A TaskId is minted per accepted call, so a resend in a later second
 * never gets the same one. (Scheduled tasks have Integer `TaskID`s of their own; see `SchedTasks`.)
 */

/** The minting of one app's task ids. */
export interface TaskIds {
  readonly push: (at: number, msgRandom: number) => string
  readonly batch: (at: number, msgRandom: number) => string
}

const hex = (n: number, width = 0) => n.toString(16).padStart(width, "0")

/** Knuth's multiplicative hash, so consecutive ids do not look consecutive. */
const scramble = (n: number) => Math.imul(n, 2654435761) >>> 0

/** Task ids for the app. */
export const make = (sdkAppId: number): TaskIds => {
  let sequence = 0
  const push = (at: number, msgRandom: number) => {
    sequence++
    const parts = [hex(Math.floor(at / 1000), 8), hex(sdkAppId), `2${hex(sequence, 14)}`, hex(scramble(sequence), 8)]
    return [...parts, hex(msgRandom)].join("_")
  }
  return {
    push,
    batch: (at, msgRandom) => `batch_${push(at, msgRandom)}`
  }
}
