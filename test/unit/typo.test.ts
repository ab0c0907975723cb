/** @module The typo rule: symmetric one-deletion neighbourhoods (SymSpell). */
import { describe, expect, it } from 'vitest'
import { deletionNeighbourhood, MIN_TYPO_WORD_LENGTH, nameDeletions } from '../../src/text/typo.ts'

/** Whether two words meet under the rule: some neighbour of one is a neighbour of the other. */
const typoMatch = (a: string, b: string) => {
  const keys = new Set(deletionNeighbourhood(a))
  return deletionNeighbourhood(b).some((k) => keys.has(k))
}

describe('deletionNeighbourhood', () => {
  it('is empty for words shorter than the minimum', () => {
    expect(MIN_TYPO_WORD_LENGTH).toBe(4)
    expect(deletionNeighbourhood('li')).toEqual([])
    expect(deletionNeighbourhood('wei')).toEqual([])
  })

  it('holds the word and each one-character deletion, deduplicated', () => {
    expect(deletionNeighbourhood('abcd').sort()).toEqual(['abc', 'abcd', 'abd', 'acd', 'bcd'])
    expect(deletionNeighbourhood('aabb').sort()).toEqual(['aab', 'aabb', 'abb'])
  })

  it('counts code points, not UTF-16 units', () => {
    expect(deletionNeighbourhood('𝒶𝒷𝒸𝒹')).toHaveLength(5)
    expect(deletionNeighbourhood('𝒶𝒷𝒸')).toEqual([])
  })

  it('has at most n + 1 keys', () => {
    for (const w of ['william', 'annabel', 'zhang', 'mississippi'])
      expect(deletionNeighbourhood(w).length).toBeLessThanOrEqual([...w].length + 1)
  })
})

describe('the typo rule', () => {
  it.each([
    ['william', 'william', true],
    ['william', 'wiliam', true],
    ['william', 'willliam', true],
    ['william', 'wilxiam', true],
    ['william', 'wlliam', true],
    ['zhang', 'zhnag', true],
    ['william', 'wxlxiam', false],
    ['william', 'bill', false],
    ['anna', 'anne', true],
    ['zhang', 'wang', false],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(typoMatch(a, b)).toBe(expected)
    expect(typoMatch(b, a)).toBe(expected)
  })
})

describe('nameDeletions', () => {
  it('unites the neighbourhoods of the long words only', () => {
    const keys = nameDeletions(['william', 'li'])
    expect(keys).toContain('william')
    expect(keys).toContain('wiliam')
    expect(keys).not.toContain('li')
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('has nothing for CJK names (single-character tokens)', () => {
    expect(nameDeletions(['张', '伟'])).toEqual([])
  })
})
