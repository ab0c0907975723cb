/**
 * @module Intersections of postings visited newest first, stopping early and counting the rest
 * (issue 15: a caller who sees one recipient list lists a conversation through such an
 * intersection), against a brute-force intersection of plain arrays.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { intersectionOf } from '../../adapters/memory/intersection.ts'
import { Posting, restrictedTo, unionOf } from '../../adapters/memory/posting.ts'

const postingOf = (docNos: readonly number[]) => {
  const posting = new Posting()
  for (const docNo of docNos) posting.push(docNo)
  return posting
}

const sortedSet = fc
  .uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 })
  .map((a) => a.sort((x, y) => x - y))

describe('intersection of postings', () => {
  it('visits the same documents ascending and descending, stops when asked, and counts below', () => {
    fc.assert(
      fc.property(
        fc.array(sortedSet, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 3 }),
        (lists, below, modulus) => {
          const expected = (lists[0] as number[]).filter((d) => lists.every((l) => l.includes(d)))
          const accepts = [(d: number) => d % 5 !== 1]
          const accepted = expected.filter((d) => d % 5 !== 1)
          const candidates = intersectionOf(lists.map(postingOf), accepts)
          const up: number[] = []
          candidates.forEach((d) => void up.push(d))
          const down: number[] = []
          candidates.forEach((d) => void down.push(d), true)
          expect(up).toEqual(accepted)
          expect(down).toEqual([...accepted].reverse())
          // A newest-first visit stopped at the first document below `below`, the rest counted.
          const keep = (d: number) => modulus === 0 || d % modulus === 0
          const visited: number[] = []
          let stoppedAt = -1
          // biome-ignore lint/suspicious/useIterableCallbackReturn: true from `fn` stops the visit (Candidates.forEach)
          candidates.forEach((d) => {
            if (d < below) {
              stoppedAt = d
              return true
            }
            visited.push(d)
          }, true)
          expect(visited).toEqual(accepted.filter((d) => d >= below).reverse())
          if (stoppedAt >= 0)
            expect(candidates.countBelow?.(stoppedAt, keep)).toBe(
              accepted.filter((d) => d < stoppedAt && keep(d)).length,
            )
        },
      ),
      { numRuns: 300 },
    )
  })

  it('restricted to a mask: a union of intersections and postings visits what it did, less what the mask rejects', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(sortedSet, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 2, max: 5 }),
        (parts, modulus) => {
          const accept = (d: number) => d % modulus !== 0
          const union = unionOf(parts.map((lists) => intersectionOf(lists.map(postingOf))))
          for (const descending of [false, true]) {
            const all: number[] = []
            union.forEach((d) => void all.push(d), descending)
            const kept: number[] = []
            restrictedTo(union, accept).forEach((d) => void kept.push(d), descending)
            expect(kept).toEqual(all.filter(accept))
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
