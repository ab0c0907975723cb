/**
 * Keyword postings against an oracle: each value's documents, each once and ascending, whatever
 * the values repeat within a document, mixing `add` and `addValue`, across a snapshot reload and
 * a compaction.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { KeywordIndex } from '../../adapters/memory/keyword-index.ts'
import type { Candidates } from '../../adapters/memory/posting.ts'

const VALUES = ['张伟', '李娜', 'zoe', 'Zoe', 'g1', '']
const valuesArb = fc.array(fc.constantFrom(...VALUES), { maxLength: 6 })
/** Per document: its values, whether it is written with `addValue` (one value) and whether it stays. */
const docsArb = fc.array(fc.record({ values: valuesArb, single: fc.boolean(), keep: fc.boolean() }), {
  maxLength: 30,
})

function docsOf(candidates: Candidates): number[] {
  const out: number[] = []
  candidates.forEach((docNo) => void out.push(docNo))
  return out
}

describe('keyword index', () => {
  it('posts each document once per value, in order, across a reload and a compaction', () => {
    fc.assert(
      fc.property(docsArb, docsArb, (before, after) => {
        let index = new KeywordIndex()
        const oracle = new Map<string, number[]>()
        let docNo = 0
        const write = (docs: typeof before) => {
          for (const { values, single } of docs) {
            const [first] = values
            // The value as the index keeps it, for the stored document: the value itself.
            if (single && first !== undefined) expect(index.addValue(docNo, first)).toBe(first)
            else index.add(docNo, values)
            for (const value of single && first !== undefined ? [first] : new Set(values)) {
              const docNos = oracle.get(value) ?? []
              docNos.push(docNo)
              oracle.set(value, docNos)
            }
            docNo++
          }
        }
        const check = () => {
          for (const value of VALUES) expect(docsOf(index.term(value))).toEqual(oracle.get(value) ?? [])
        }
        write(before)
        check()
        index = KeywordIndex.fromSnapshot(index.toSnapshot())
        write(after)
        check()
        const kept = [...before, ...after].map((doc) => doc.keep)
        index.compact((n) => kept[n] === true)
        for (const [value, docNos] of oracle)
          oracle.set(
            value,
            docNos.filter((n) => kept[n] === true),
          )
        check()
      }),
    )
  })

  it('answers terms, prefixes and substrings as a map would, across reloads with values used, added and compacted in between', () => {
    const PREFIXES = ['张', 'z', 'Z', 'g', 'zo', '李娜', 'x', '', 'zoe', 'zoe!']
    const SUBSTRINGS = ['', 'o', 'oe', '伟', 'g1', 'x']
    /** One step: documents written, a term looked up (making its loaded posting), a reload, or a compaction. */
    const stepArb = fc.oneof(
      fc.record({ write: valuesArb }),
      fc.record({ look: fc.constantFrom(...VALUES) }),
      fc.record({ reload: fc.constant(true) }),
      fc.record({ compactOdd: fc.constant(true) }),
    )
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 25 }), fc.boolean(), (steps, prefixFirst) => {
        let index = new KeywordIndex()
        const oracle = new Map<string, number[]>()
        let docNo = 0
        const check = () => {
          for (const value of VALUES) expect(docsOf(index.term(value))).toEqual(oracle.get(value) ?? [])
          const live = [...oracle].filter(([, docNos]) => docNos.length > 0)
          // A union of postings may name a document twice (candidates, checked after): compared as sets.
          for (const prefix of PREFIXES)
            expect([...new Set(docsOf(index.prefix(prefix)))].sort((a, b) => a - b)).toEqual(
              [...new Set(live.filter(([v]) => v.startsWith(prefix)).flatMap(([, d]) => d))].sort(
                (a, b) => a - b,
              ),
            )
          for (const part of SUBSTRINGS) {
            const found = index.matching((v) => v.includes(part)).map(docsOf)
            // Every value with documents is found with exactly them (one without any may be found empty).
            expect(found.filter((docNos) => docNos.length > 0).sort()).toEqual(
              live
                .filter(([v]) => v.includes(part))
                .map(([, docNos]) => docNos)
                .sort(),
            )
          }
        }
        for (const step of steps) {
          if ('write' in step) {
            index.add(docNo, step.write)
            for (const value of new Set(step.write)) oracle.set(value, [...(oracle.get(value) ?? []), docNo])
            docNo++
          } else if ('look' in step)
            expect(docsOf(index.term(step.look))).toEqual(oracle.get(step.look) ?? [])
          else if ('reload' in step) {
            index = KeywordIndex.fromSnapshot(index.toSnapshot())
            if (prefixFirst) index.prefix('z')
          } else {
            index.compact((n) => n % 2 === 0)
            for (const [value, docNos] of oracle)
              oracle.set(
                value,
                docNos.filter((n) => n % 2 === 0),
              )
          }
        }
        check()
        index = KeywordIndex.fromSnapshot(index.toSnapshot())
        check()
      }),
    )
  })
})
