/**
 * @module The live document numbers as bits (`live-bits.ts`): after any sequence of documents
 * added and deleted, across word and growth boundaries, the bits answer as a set of the live
 * numbers does, and a copy answers as they did when it was made, whatever is written after.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isLive, LiveBits } from '../../adapters/memory/live-bits.ts'

describe('live document bits', () => {
  it('answer as the set of live numbers does; a copy keeps what they were', () => {
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
          const copy = LiveBits.copyOf(bits)
          // Changed after the copy: the copy keeps the bits as they were.
          for (let docNo = 0; docNo < length; docNo += 7) bits.delete(docNo)
          bits.skip(length + 40)
          expect(copy.length).toBe(length)
          expect(bits.length).toBe(length + 41)
          for (let docNo = 0; docNo <= 3100; docNo++) {
            expect(copy.has(docNo), `docNo ${docNo}`).toBe(live.has(docNo))
            if (docNo < length) expect(isLive(copy.words, docNo)).toBe(live.has(docNo))
            expect(bits.has(docNo), `docNo ${docNo} after`).toBe(live.has(docNo) && docNo % 7 !== 0)
          }
        },
      ),
      { numRuns: 100 },
    )
  })
})
