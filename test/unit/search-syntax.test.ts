/** @module The search box's syntax (issue 13): terms, excluded terms and operators, in Chinese and English. */
import { describe, expect, it } from 'vitest'
import { fieldTokens, VALUE_SEPARATOR } from '../../src/text/field-tokens.ts'
import { linksIn } from '../../src/text/links.ts'
import { clauseCount, parseSearch, SearchSyntaxError } from '../../src/text/search-syntax.ts'

const texts = (terms: { text: string }[]) => terms.map((t) => t.text)

describe('parseSearch', () => {
  it('reads terms, -excluded terms and -"excluded phrases" beside operators', () => {
    const s = parseSearch('预算 from:u2 -草稿 -"old draft" "Q3 report" has:file')
    expect(texts(s.terms)).toEqual(['预算', 'Q3 report'])
    expect(texts(s.excluded)).toEqual(['草稿', 'old draft'])
    expect(s.from).toEqual(['u2'])
    expect(s.has).toEqual(['file'])
    expect(clauseCount(s)).toBe(6)
  })

  it('collects every operator; several from: are alternatives, ids may hold : and @', () => {
    const s = parseSearch('from:u1 from:bot@corp in:dm:u1:u2 has:link has:mention is:mentioned')
    expect(s.from).toEqual(['u1', 'bot@corp'])
    expect(s.in).toEqual(['dm:u1:u2'])
    expect(s.has).toEqual(['link', 'mention'])
    expect(s.mentioned).toBe(true)
    expect(s.terms).toEqual([])
  })

  it('reads dates as calendar days or epoch milliseconds; operator names ignore case and width', () => {
    const s = parseSearch('after:2025-03-01 BEFORE:1735689600000 ｄｕｒｉｎｇ：2024-02-29')
    expect(s.after).toEqual([{ date: { year: 2025, month: 3, day: 1 } }])
    expect(s.before).toEqual([{ ms: 1_735_689_600_000 }])
    expect(s.during).toEqual([{ date: { year: 2024, month: 2, day: 29 } }])
  })

  it('an unknown word:value is text, as is a URL', () => {
    expect(texts(parseSearch('10:30 foo:bar https://example.com').terms)).toEqual([
      '10:30',
      'foo:bar',
      'https://example.com',
    ])
  })

  it('a lone "-" or punctuation is nothing; a negated operator is excluded text', () => {
    expect(clauseCount(parseSearch('- !! 🙂'))).toBe(0)
    expect(texts(parseSearch('-from:u1').excluded)).toEqual(['from:u1'])
  })

  it.each([
    ['after:2025-13-40', 'after'],
    ['before:2025-02-30', 'before'],
    ['during:tomorrow', 'during'],
    ['after:', 'after'],
    ['has:pdf', 'has'],
    ['is:starred', 'is'],
    ['from:', 'from'],
    ['in:a/b', 'in'],
    ['during:8640000000000000', 'during'],
    ['after:0000-01-01', 'after'],
  ])('%s is a malformed operator, named in the error', (q, operator) => {
    expect(() => parseSearch(q)).toThrow(SearchSyntaxError)
    try {
      parseSearch(q)
    } catch (error) {
      expect((error as SearchSyntaxError).operator).toBe(operator)
    }
  })
})

describe('fieldTokens and links', () => {
  it('separates the values of a list so that no phrase spans two', () => {
    expect(fieldTokens(['Q3预算.xlsx', 'team photo.png'])).toEqual([
      'q3',
      '预',
      '算',
      'xlsx',
      VALUE_SEPARATOR,
      'team',
      'photo',
      'png',
    ])
    expect(fieldTokens('上海 jwt')).toEqual(['上', '海', 'jwt'])
    expect(fieldTokens(undefined)).toEqual([])
  })

  it('finds http(s) URLs, in any case, stopping at white space and full-width punctuation', () => {
    expect(linksIn('见 https://example.com/a?b=1，谢谢 HTTP://X.org ftp://no')).toEqual([
      'https://example.com/a?b=1',
      'HTTP://X.org',
    ])
    expect(linksIn('http:// 不是链接')).toEqual([])
  })
})
