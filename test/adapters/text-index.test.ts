/** @module The text index's token sequences by document, kept as one array of ends: gaps, loads, later adds. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TextIndex } from '../../adapters/memory/text-index.ts'

const TOKENS = ['今', '天', '见', 'coffee', '火', '锅']
/** Documents in ascending numbers; most have tokens, some none (an attachment name most messages lack). */
const documents = fc.array(fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 }), { maxLength: 40 })

function expectSequences(index: TextIndex, docs: readonly string[][], beyond: number): void {
  const ids = (tokens: readonly string[]) => tokens.map((t) => index.tokenId(t) as number)
  for (const [docNo, tokens] of docs.entries()) expect([...index.tokensOf(docNo)]).toEqual(ids(tokens))
  // Past every document added: none.
  for (let docNo = docs.length; docNo < beyond; docNo++) expect(index.tokensOf(docNo)).toHaveLength(0)
}

describe('text index token sequences', () => {
  it('reads each document its own tokens, empty ones between and after included', () => {
    fc.assert(
      fc.property(documents, (docs) => {
        const index = new TextIndex()
        for (const [docNo, tokens] of docs.entries()) index.add(docNo, tokens)
        expectSequences(index, docs, docs.length + 3)
        const [first] = docs.filter((d) => d.length > 0)
        const wanted = first && (index.lookup(first) as number[])
        if (!first || !wanted) return
        for (const [docNo, tokens] of docs.entries())
          expect(index.hasSequence(docNo, wanted)).toBe(
            tokens.some((_, i) => first.every((t, j) => tokens[i + j] === t)),
          )
      }),
    )
  })

  it('a loaded snapshot reads the same sequences, then those of documents added after it', () => {
    fc.assert(
      fc.property(documents, documents, (before, after) => {
        const index = new TextIndex()
        for (const [docNo, tokens] of before.entries()) index.add(docNo, tokens)
        const loaded = TextIndex.fromSnapshot(index.toSnapshot(before.length))
        after.forEach((tokens, i) => {
          loaded.add(before.length + i, tokens)
          index.add(before.length + i, tokens)
        })
        expectSequences(loaded, [...before, ...after], before.length + after.length + 2)
        // The snapshot taken first is unchanged by the later adds.
        const again = TextIndex.fromSnapshot(index.toSnapshot(before.length + after.length))
        expectSequences(again, [...before, ...after], before.length + after.length + 2)
      }),
    )
  })

  it('refuses ends that descend or pass the tokens', () => {
    const index = new TextIndex()
    index.add(0, ['今', '天'])
    index.add(1, ['见'])
    const snapshot = index.toSnapshot(2)
    expect(() => TextIndex.fromSnapshot({ ...snapshot, ends: Int32Array.of(2, 1) })).toThrow(/descend/)
    expect(() => TextIndex.fromSnapshot({ ...snapshot, ends: Int32Array.of(2, 9) })).toThrow(/beyond/)
  })
})
