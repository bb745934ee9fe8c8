/** Time windows of the push queries (scheduled tasks, statistics): two valid `Date`s, the first not after the second. */

/** Whether `from` and `to` are valid `Date`s with `from <= to`. */
export const isWindow = (from: unknown, to: unknown): boolean =>
  from instanceof Date && to instanceof Date && !Number.isNaN(from.getTime()) && !Number.isNaN(to.getTime()) &&
  from <= to
