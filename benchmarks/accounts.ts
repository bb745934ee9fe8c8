/** Account names and tags for seeded workloads: deterministic, so every run sees the same data. */

const tagPool = ["vip", "beta", "android", "ios", "cn", "eu", "gold", "silver", "night-owl", "newsletter"] as const

/** `prefix` followed by `i` zero-padded to 7 digits, e.g. `c0000042`. */
export const accountName = (prefix: string, i: number): string => `${prefix}${String(i).padStart(7, "0")}`

/** 0–3 tags for account number `i`. */
export const tagsFor = (i: number): ReadonlyArray<string> => tagPool.filter((_, t) => (i * 7 + t * 3) % 10 < i % 4)

/** `count` account names with the given prefix. */
export const accountNames = (prefix: string, count: number): Array<string> =>
  Array.from({ length: count }, (_, i) => accountName(prefix, i))

/** Splits into chunks of `size`. */
export const chunksOf = <A>(items: ReadonlyArray<A>, size: number): Array<Array<A>> => {
  const chunks: Array<Array<A>> = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}
