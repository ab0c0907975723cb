/**
 * @module The newest-first early stop's test (`adapters/memory/newest-up-to.ts`), kept per block of
 * documents, against a brute force over the documents: with documents only added it answers as a
 * per-document bound does, whatever the values (late ones, NaN, missing); after removals it may
 * only answer "no" where every live document up to the number is older (a later stop, never a
 * wrong page). Sizes span several blocks, and documents are added between the questions.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BLOCK, NewestUpTo } from '../../adapters/memory/newest-up-to.ts'
import type { DocumentFields } from '../../adapters/memory/stored-documents.ts'

/** Documents by number: a value each (undefined: the field is missing), removed ones flagged. */
class Docs implements DocumentFields {
  values: unknown[] = []
  removed = new Set<number>()
  get length() {
    return this.values.length
  }
  has(docNo: number) {
    return docNo < this.values.length && !this.removed.has(docNo)
  }
  field(docNo: number) {
    return this.values[docNo]
  }
  reader() {
    return (docNo: number) => this.values[docNo]
  }
}

/** Whether every live document up to `docNo` is older than `time` (NaN is never older). */
function oracle(docs: Docs, docNo: number, time: number): boolean {
  for (let n = 0; n <= docNo; n++) {
    const value = docs.values[n]
    if (!docs.has(n) || typeof value !== 'number') continue
    if (Number.isNaN(value) || !(value < time)) return false
  }
  return true
}

const value = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 1_000 }) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
  { weight: 1, arbitrary: fc.constant(undefined) },
)
/** Times mostly in order, an out-of-order one now and then: how messages arrive. */
const values = fc.array(value, { minLength: 1, maxLength: BLOCK * 5 }).map((list) => {
  let t = 0
  return list.map((v) => {
    if (typeof v !== 'number' || Number.isNaN(v) || v % 7 === 0) return v
    t += v % 13
    return t
  })
})

describe('newest up to a document number, per block', () => {
  it('answers as a bound per document does while documents are only added', () => {
    fc.assert(
      fc.property(
        values,
        values,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: -5, max: 1_200 }))),
        (a, b, asks) => {
          const docs = new Docs()
          const newest = new NewestUpTo('sentAt')
          for (const batch of [a, b]) {
            docs.values.push(...batch)
            newest.update(docs)
            for (const [at, time] of asks) {
              const docNo = at % docs.length
              expect(newest.olderThan(docNo, time), `${docNo} older than ${time}`).toBe(
                oracle(docs, docNo, time),
              )
            }
          }
        },
      ),
    )
  })

  it('after removals, says "older" only where every live document up to the number is', () => {
    fc.assert(
      fc.property(
        values,
        fc.array(fc.nat()),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: -5, max: 1_200 }))),
        (list, removals, asks) => {
          const docs = new Docs()
          docs.values.push(...list)
          const newest = new NewestUpTo('sentAt')
          newest.update(docs)
          for (const r of removals) docs.removed.add(r % docs.length)
          newest.update(docs)
          for (const [at, time] of asks) {
            const docNo = at % docs.length
            if (newest.olderThan(docNo, time)) expect(oracle(docs, docNo, time)).toBe(true)
          }
        },
      ),
    )
  })

  it('keeps one value per block of documents', () => {
    const docs = new Docs()
    docs.values.push(...Array.from({ length: BLOCK * 100 }, (_, i) => i))
    const newest = new NewestUpTo('sentAt').update(docs)
    expect(newest.byteLength).toBeLessThanOrEqual(8 * 2 * 100)
  })
})
