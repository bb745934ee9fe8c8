/** Time-boxing a promise without mistaking a stalled process for a slow server. */

/** What `deadline` rejects with. */
export class DeadlineExceeded extends Error {}

/**
 * `promise`, or `DeadlineExceeded` once `millis` have passed without an answer. The deadline is checked
 * after one more turn of the event loop's I/O phase: when the process itself was stalled (CPU starved,
 * a long synchronous task), an answer that arrived meanwhile still wins over the timer.
 */
export const deadline = <A>(promise: Promise<A>, millis: number): Promise<A> =>
  new Promise((resolve, reject) => {
    let settled = false
    const timer = setTimeout(() =>
      setImmediate(() => {
        if (settled) return
        settled = true
        reject(new DeadlineExceeded(`no answer within ${millis} ms`))
      }), millis)
    promise.then(
      (value) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(value)
      },
      (error) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        reject(error)
      }
    )
  })
