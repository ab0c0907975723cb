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
            if (single && first !== undefined) index.addValue(docNo, first)
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
})
