/**
 * @module A user's documents as one sorted posting (the recipient-set index merges a user's sets
 * for conjunctions), kept right as documents arrive in old and new sets, are deleted and
 * compacted away, against the plain list of the documents the user is a recipient of.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RecipientSetIndex } from '../../adapters/memory/recipient-set-index.ts'

const PEOPLE = ['王芳', '李娜', 'alice', 'bob']

/** A write: a document to the recipients at these indexes, or the compaction of every nth document. */
const step = fc.oneof(
  fc.record({ add: fc.uniqueArray(fc.integer({ min: 0, max: PEOPLE.length - 1 }), { minLength: 1 }) }),
  fc.record({ compactEvery: fc.integer({ min: 2, max: 4 }) }),
)

describe('recipient sets: a user merged posting', () => {
  it('holds exactly the live documents the user is a recipient of, in order, between writes', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.constantFrom(...PEOPLE), (steps, user) => {
        const index = new RecipientSetIndex()
        const recipients: string[][] = []
        const dead = new Set<number>()
        for (const s of steps) {
          if ('add' in s) {
            index.add(
              recipients.length,
              s.add.map((i) => PEOPLE[i] as string),
            )
            recipients.push(s.add.map((i) => PEOPLE[i] as string))
          } else {
            recipients.forEach((_, docNo) => {
              if (docNo % s.compactEvery === 0) dead.add(docNo)
            })
            index.compact((docNo) => !dead.has(docNo))
          }
          const expected = recipients.flatMap((r, docNo) =>
            r.includes(user) && !dead.has(docNo) ? [docNo] : [],
          )
          const candidates = index.term(user)
          const visited: number[] = []
          candidates.forEach((docNo) => void visited.push(docNo))
          expect(visited.sort((a, b) => a - b)).toEqual(expected)
          for (const posting of candidates.sorted ?? []) {
            const docs = Array.from(posting.docs.subarray(0, posting.length))
            // Merged postings may hold deleted documents until a compaction, never a missing one.
            expect(docs.filter((docNo) => !dead.has(docNo))).toEqual(expected)
            expect(docs).toEqual([...docs].sort((a, b) => a - b))
          }
        }
      }),
      { numRuns: 200 },
    )
  })
})
