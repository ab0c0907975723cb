/** @module Query strings → terms: white space splits, quotes make phrases, empty terms drop. */
import { describe, expect, it } from 'vitest'
import { parseQueryTerms } from '../../src/text/query-terms.ts'

const texts = (q: string) => parseQueryTerms(q).map((t) => t.text)
const tokens = (q: string) => parseQueryTerms(q).map((t) => t.tokens)

describe('parseQueryTerms', () => {
  it('splits on white space', () => {
    expect(texts('上海  东边\tjwt\n令牌')).toEqual(['上海', '东边', 'jwt', '令牌'])
  })

  it('splits on the ideographic space (NFKC makes it a space)', () => {
    expect(texts('上海　东边')).toEqual(['上海', '东边'])
  })

  it('keeps a quoted phrase as one term', () => {
    expect(parseQueryTerms('"quick brown" fox')).toEqual([
      { text: 'quick brown', tokens: ['quick', 'brown'] },
      { text: 'fox', tokens: ['fox'] },
    ])
    expect(texts('"上海 东边"')).toEqual(['上海 东边'])
  })

  it('reads full-width quotes as quotes', () => {
    expect(texts('＂上海 东边＂')).toEqual(['上海 东边'])
  })

  it('runs an unbalanced quote to the end of the string', () => {
    expect(texts('jwt "上海 东边')).toEqual(['jwt', '上海 东边'])
  })

  it('gives each term the tokens of its text', () => {
    expect(tokens('解析pdf JWT令牌')).toEqual([
      ['解', '析', 'pdf'],
      ['jwt', '令', '牌'],
    ])
    expect(tokens('a-b')).toEqual([['a', 'b']])
  })

  it('drops terms with no tokens: punctuation only, empty quotes', () => {
    expect(parseQueryTerms('- !! 。')).toEqual([])
    expect(texts('"" jwt ""')).toEqual(['jwt'])
    expect(texts('"   " 上海')).toEqual(['上海'])
    expect(parseQueryTerms('')).toEqual([])
    expect(parseQueryTerms('   ')).toEqual([])
  })

  it('never returns a term with an empty token list', () => {
    for (const q of ['"', '""""', '" "', '🙂 🙂', '"🙂"', '----', '"a', 'a"'])
      for (const term of parseQueryTerms(q)) expect(term.tokens.length).toBeGreaterThan(0)
  })
})
