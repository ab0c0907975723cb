/** @module The search box's syntax (issue 13): terms, excluded terms and operators, in Chinese and English. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fieldTokens, VALUE_SEPARATOR } from '../../src/text/field-tokens.ts'
import { linksIn } from '../../src/text/links.ts'
import { clauseCount, parseSearch, SearchSyntaxError } from '../../src/text/search-syntax.ts'

const texts = (terms: readonly { text: string }[]) => terms.map((t) => t.text)

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

describe('parseSearch remembers its last parse', () => {
  const queries = [
    '预算 from:u2 -草稿',
    'budget after:2025-03-01 "Q3 report"',
    '今天 during:1735689600000',
    '',
  ]

  it('hands back the same frozen syntax for the same text parsed in a row, a new one for other text', () => {
    const first = parseSearch('预算 from:u2 -"old draft" before:2025-03-01 during:1735689600000')
    expect(parseSearch('预算 from:u2 -"old draft" before:2025-03-01 during:1735689600000')).toBe(first)
    expect(Object.isFrozen(first)).toBe(true)
    for (const list of [first.terms, first.excluded, first.from, first.before, first.during])
      expect(Object.isFrozen(list)).toBe(true)
    for (const t of [...first.terms, ...first.excluded]) {
      expect(Object.isFrozen(t)).toBe(true)
      expect(Object.isFrozen(t.tokens)).toBe(true)
    }
    const [before] = first.before
    expect(Object.isFrozen(before)).toBe(true)
    expect(before && 'date' in before && Object.isFrozen(before.date)).toBe(true)
    expect(() => (first.from as string[]).push('u3')).toThrow(TypeError)
    const other = parseSearch('budget')
    expect(other).not.toBe(first)
    expect(texts(other.terms)).toEqual(['budget'])
  })

  it('a refused query throws every time, and leaves the remembered parse alone', () => {
    const good = parseSearch('预算')
    expect(() => parseSearch('after:2025-13-40')).toThrow(SearchSyntaxError)
    expect(() => parseSearch('after:2025-13-40')).toThrow(SearchSyntaxError)
    expect(texts(parseSearch('预算').terms)).toEqual(texts(good.terms))
  })

  it('in any order of queries, each parse equals a parse of that text alone', () => {
    // The oracle: the same text parsed after a different one, so that nothing is remembered.
    const fresh = (q: string) => {
      parseSearch(`${q} oracle`)
      return structuredClone(parseSearch(q))
    }
    const expected = new Map(queries.map((q) => [q, fresh(q)]))
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...queries), { maxLength: 20 }), (order) => {
        for (const q of order) expect(parseSearch(q)).toEqual(expected.get(q))
      }),
    )
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
