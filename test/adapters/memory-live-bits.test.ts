/**
 * @module The live document numbers as bits (`live-bits.ts`): after any sequence of documents
 * added and deleted, across word and growth boundaries, the bits answer as a set of the live
 * numbers does, and bits made from a snapshot's slots equal those made one write at a time.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isLive, LiveBits } from '../../adapters/memory/live-bits.ts'

describe('live document bits', () => {
  it('answer as the set of live numbers does, written one at a time or made from slots', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.record({ add: fc.boolean(), docNo: fc.integer({ min: 0, max: 3000 }) }), {
          maxLength: 400,
        }),
        (capacity, writes) => {
          const bits = new LiveBits(capacity)
          const live = new Set<number>()
          let length = 0
          for (const { add, docNo } of writes) {
            if (add) {
              bits.add(docNo)
              live.add(docNo)
              length = Math.max(length, docNo + 1)
            } else {
              bits.delete(docNo)
              live.delete(docNo)
            }
          }
          expect(bits.length).toBe(length)
          const slots = Array.from({ length }, (_, docNo) => (live.has(docNo) ? docNo : undefined))
          const made = LiveBits.of(slots)
          expect(made.length).toBe(length)
          for (let docNo = 0; docNo <= 3100; docNo++) {
            expect(bits.has(docNo), `docNo ${docNo}`).toBe(live.has(docNo))
            expect(made.has(docNo), `docNo ${docNo} from slots`).toBe(live.has(docNo))
            if (docNo < length) expect(isLive(bits.words, docNo)).toBe(live.has(docNo))
          }
        },
      ),
      { numRuns: 100 },
    )
  })
})
