/** @module The matching rule: a term's token sequence occurs contiguously and in order. */
import { describe, expect, it } from 'vitest'
import { tokenize } from '../../src/text/analyzer.ts'
import { containsSequence, matchesAllTerms } from '../../src/text/match-rule.ts'
import { parseQueryTerms } from '../../src/text/query-terms.ts'

const matches = (content: string, query: string) => matchesAllTerms(tokenize(content), parseQueryTerms(query))

describe('containsSequence', () => {
  it('finds contiguous, in-order runs only', () => {
    expect(containsSequence(['a', 'b', 'c'], ['b', 'c'])).toBe(true)
    expect(containsSequence(['a', 'b', 'c'], ['a', 'c'])).toBe(false)
    expect(containsSequence(['a', 'b', 'c'], ['c', 'b'])).toBe(false)
    expect(containsSequence(['a', 'b'], ['a', 'b', 'c'])).toBe(false)
    expect(containsSequence([], ['a'])).toBe(false)
  })

  it('treats the empty needle as contained', () => {
    expect(containsSequence([], [])).toBe(true)
    expect(containsSequence(['a'], [])).toBe(true)
  })

  it('restarts after a partial match', () => {
    expect(containsSequence(['a', 'a', 'a', 'b'], ['a', 'a', 'b'])).toBe(true)
    expect(containsSequence(['a', 'b', 'a', 'b', 'c'], ['a', 'b', 'c'])).toBe(true)
  })

  it('compares whole tokens, never prefixes', () => {
    expect(containsSequence(['jwt'], ['jw'])).toBe(false)
  })
})

describe('matchesAllTerms: the examples of issue #3', () => {
  it.each([
    ['我家在上海东边', '上海', true],
    ['测试', '测', true],
    ['认证系统使用JWT令牌', 'jwt', true],
    ['认证系统使用JWT令牌', 'jw', false],
    ['解析 PDF', '解析pdf', true],
    ['海上生明月', '上海', false],
    ['我家在上海东边', '上海 东边', true],
    ['我家在上海东边', '上海 西边', false],
    ['我家在上海东边', '"在上 海东"', true],
    ['The quick brown fox', '"quick brown"', true],
    ['The quick brown fox', '"brown quick"', false],
    ['The quick brown fox', 'fox quick', true],
    ['カタカナのテスト', 'ｶﾀｶﾅ', true],
    ['한국어 메시지', '국어', true],
    ['ＨＥＬＬＯ　Ｗｏｒｌｄ', 'hello WORLD', true],
  ])('%s / %s → %s', (content, query, expected) => {
    expect(matches(content, query)).toBe(expected)
  })

  it('matches everything when there are no terms (the caller decides what an empty query means)', () => {
    expect(matchesAllTerms(tokenize('anything'), [])).toBe(true)
  })
})
