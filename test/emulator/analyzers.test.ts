import { describe, expect, it } from 'vitest'
import type { Analyzer } from '../../emulator/search/analyzers.ts'
import { analyze } from '../../emulator/search/analyzers.ts'

const terms = (a: Analyzer, text: string) => analyze(a, text).map((t) => t.term)
const single = (caseSensitive = false, delimitWord = false): Analyzer => ({
  name: 'single_word',
  caseSensitive,
  delimitWord,
})

describe('analyzers (documented examples)', () => {
  it('single_word: CJK per character, letter/digit runs split on spaces and punctuation', () => {
    expect(terms(single(), '杭州 West-Lake, iPhone6!')).toEqual(['杭', '州', 'west', 'lake', 'iphone6'])
    expect(terms(single(true), 'iPhone6')).toEqual(['iPhone6'])
    expect(terms(single(false, true), 'iphone6 abc123def')).toEqual(['iphone', '6', 'abc', '123', 'def'])
    expect(terms(single(), 'こんにちは世界')).toHaveLength(7)
  })

  it('split: delimiter (default whitespace), empty pieces dropped, lower-cased', () => {
    expect(terms({ name: 'split', delimiter: undefined }, ' Foo\tBAR  baz ')).toEqual(['foo', 'bar', 'baz'])
    expect(terms({ name: 'split', delimiter: ',' }, 'A,b,,c d')).toEqual(['a', 'b', 'c d'])
  })

  it('fuzzy: every n-gram between minChars and maxChars, positions in order', () => {
    expect(terms({ name: 'fuzzy', minChars: 2, maxChars: 3 }, 'AbCd')).toEqual([
      'ab',
      'abc',
      'bc',
      'bcd',
      'cd',
    ])
    const tokens = analyze({ name: 'fuzzy', minChars: 1, maxChars: 1 }, 'x'.repeat(2000))
    expect(tokens).toHaveLength(1024)
  })
})
