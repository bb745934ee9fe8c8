import { describe, expect, it } from "vitest"
import * as Faults from "../faults.js"
import { fingerprint, intendedAttrs, intendedTags, roundAttr, roundTag, tagsFor } from "../plan.js"

/** One owned account in a model store, written as the rounds write it. */
const account = (j: number) => {
  const tags = new Set(tagsFor(j))
  const attrs: Record<string, string> = {}
  return {
    round: (r: number) => {
      tags.add(roundTag(r))
      tags.delete(roundTag(r + 2))
      const [name, value] = roundAttr(r)
      attrs[name] = value
    },
    state: () => [fingerprint.tags([...tags]), fingerprint.attrs(attrs)]
  }
}

const intended = (
  j: number,
  last: number
) => [fingerprint.tags(intendedTags(j, last)), fingerprint.attrs(intendedAttrs(last))]

describe("plan", () => {
  it("after each round the account holds its seed, the last two rounds' tags and their attributes", () => {
    for (const j of [0, 1, 2, 3, 7]) {
      const model = account(j)
      expect(model.state()).toEqual(intended(j, -1))
      for (let r = 0; r < 12; r++) {
        model.round(r)
        expect(model.state()).toEqual(intended(j, r))
      }
    }
  })

  it("a late copy of the previous round changes nothing; one from two rounds back would (why rounds last settleMillis)", () => {
    const model = account(5)
    for (let r = 0; r <= 6; r++) model.round(r)
    model.round(5)
    expect(model.state()).toEqual(intended(5, 6))
    model.round(4)
    expect(model.state()).not.toEqual(intended(5, 6))
  })

  it("redoing the round a killed worker was in leaves the state of that round", () => {
    const model = account(9)
    for (let r = 0; r <= 4; r++) model.round(r)
    model.round(4)
    expect(model.state()).toEqual(intended(9, 4))
  })
})

describe("faults", () => {
  it("each of the four kinds falls on a quarter of the fault rate, as the queue tries them in turn", () => {
    for (const rate of [0.01, 0.1, 0.5]) {
      const chances = Faults.chances(rate, 4)
      let spared = 1
      for (const chance of chances) {
        expect(spared * chance).toBeCloseTo(rate / 4, 12)
        spared *= 1 - chance
      }
      expect(1 - spared).toBeCloseTo(rate, 12)
    }
  })
})
