/**
 * Answers by account, first one kept: a later answer that differs is a contradiction (the accounts read are
 * never written, so an answer may never change). Workers keep one, and so does the runner, across workers.
 */
import type { Contradiction } from "./protocol.js"

/** Makes an empty book. */
export const make = () => {
  const answers = new Map<string, string>()
  const contradictions: Array<Contradiction> = []
  let count = 0
  return {
    /** Records an answer; whether it is the first for `key`. */
    add: (key: string, answer: string): boolean => {
      const first = answers.get(key)
      if (first === undefined) {
        answers.set(key, answer)
        return true
      }
      if (first !== answer) {
        count++
        if (contradictions.length < 20) contradictions.push({ key, first, then: answer })
      }
      return false
    },
    answers: answers as ReadonlyMap<string, string>,
    /** The first 20 contradictions. */
    contradictions: (): ReadonlyArray<Contradiction> => contradictions,
    contradictionCount: () => count
  }
}
