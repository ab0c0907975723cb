/** @module The oracle's own tests: the property suites are only as right as it is. */
import { describe, expect, it } from 'vitest'
import type { Query } from '../../src/query/dsl.ts'
import { message, USERS } from '../contract/fixtures.ts'
import { evaluate, oracleSearch } from './evaluate.ts'

const doc = message('m1', '我家在上海东边 JWT token', {
  recipients: ['alice', 'bob'],
  sentAt: 5,
  sequenceId: 2,
})
const zhangwei = USERS[0]!

describe('evaluate: leaves', () => {
  it.each<[string, Query, boolean]>([
    ['match_phrase contiguous', { match_phrase: { field: 'content', query: '上海' } }, true],
    ['match_phrase reversed', { match_phrase: { field: 'content', query: '海上' } }, false],
    ['match_phrase of no tokens matches nothing', { match_phrase: { field: 'content', query: '!!' } }, false],
    ['match and, any order', { match: { field: 'content', query: 'token 东', operator: 'and' } }, true],
    ['match and, one missing', { match: { field: 'content', query: 'token 西', operator: 'and' } }, false],
    ['match or', { match: { field: 'content', query: 'token 西', operator: 'or' } }, true],
    ['match or, msm 2', { match: { field: 'content', query: 'token 西', minimum_should_match: 2 } }, false],
    ['term on an array, any element', { term: { field: 'recipients', value: 'bob' } }, true],
    ['terms', { terms: { field: 'senderId', values: ['x', 'alice'] } }, true],
    ['prefix', { prefix: { field: 'conversationId', value: 'dm-' } }, true],
    ['prefix is case-sensitive', { prefix: { field: 'conversationId', value: 'DM-' } }, false],
    ['range inclusive', { range: { field: 'sentAt', gte: 5, lte: 5 } }, true],
    ['range exclusive', { range: { field: 'sentAt', gt: 5 } }, false],
    ['exists', { exists: { field: 'recipients' } }, true],
    ['exists, absent field', { exists: { field: 'location' } }, false],
  ])('%s', (_, query, expected) => {
    expect(evaluate('messages', doc, query) !== undefined).toBe(expected)
  })

  it('fuzzy fields match a compacted, normalised substring', () => {
    const user = USERS.find((u) => u.userId === 'u-weizhang')!
    expect(evaluate('users', user, { match_phrase: { field: 'nameCompact', query: 'I Z' } })).toBeDefined()
    expect(
      evaluate('users', user, { match_phrase: { field: 'nameCompact', query: 'ＺＨＡＮＧ' } }),
    ).toBeDefined()
    expect(evaluate('users', user, { match_phrase: { field: 'nameCompact', query: 'zhao' } })).toBeUndefined()
  })

  it('scores constants exactly and marks text scores inexact', () => {
    expect(evaluate('messages', doc, { term: { field: 'type', value: 'text', boost: 3 } })).toEqual({
      score: 3,
      exact: true,
    })
    expect(evaluate('messages', doc, { match_phrase: { field: 'content', query: 'jwt' } })?.exact).toBe(false)
  })
})

describe('evaluate: compound nodes', () => {
  const t = (value: string, boost = 1): Query => ({ term: { field: 'recipients', value, boost } })

  it('bool: should alone needs one; with must or filter, none', () => {
    expect(evaluate('messages', doc, { bool: { should: [t('carol')] } })).toBeUndefined()
    expect(evaluate('messages', doc, { bool: { should: [t('carol')], filter: [t('bob')] } })).toEqual({
      score: 0,
      exact: true,
    })
    expect(
      evaluate('messages', doc, { bool: { should: [t('carol'), t('bob')], minimum_should_match: 2 } }),
    ).toBeUndefined()
  })

  it('bool: sums must and should, never filter', () => {
    const q: Query = {
      bool: { must: [t('alice', 2)], should: [t('bob', 3), t('carol', 5)], filter: [t('bob', 7)] },
    }
    expect(evaluate('messages', doc, q)).toEqual({ score: 5, exact: true })
  })

  it('bool: must_not excludes', () => {
    expect(evaluate('messages', doc, { bool: { must_not: [t('bob')] } })).toBeUndefined()
    expect(evaluate('messages', doc, { bool: { must_not: [t('carol')] } })).toEqual({ score: 0, exact: true })
  })

  it('constant_score replaces the score', () => {
    const q: Query = {
      constant_score: { filter: { match_phrase: { field: 'content', query: '上海' } }, boost: 4 },
    }
    expect(evaluate('messages', doc, q)).toEqual({ score: 4, exact: true })
  })

  it('nested: score modes over the matching objects', () => {
    const tags = (mode: 'sum' | 'max' | 'avg' | 'none' | undefined): Query => ({
      nested: {
        path: 'tags',
        score_mode: mode,
        query: {
          function_score: {
            query: { terms: { field: 'tags.name', values: ['golf', '摄影', 'chess'] } },
            field_value_factor: { field: 'tags.weight' },
          },
        },
      },
    })
    expect(evaluate('users', zhangwei, tags('sum'))?.score).toBe(5)
    expect(evaluate('users', zhangwei, tags('max'))?.score).toBe(3)
    expect(evaluate('users', zhangwei, tags('avg'))?.score).toBe(2.5)
    expect(evaluate('users', zhangwei, tags(undefined))?.score).toBe(2.5)
    expect(evaluate('users', zhangwei, tags('none'))?.score).toBe(0)
    const none: Query = { nested: { path: 'tags', query: { term: { field: 'tags.name', value: 'chess' } } } }
    expect(evaluate('users', zhangwei, none)).toBeUndefined()
  })

  it('function_score: factor times the field, or missing (default 1)', () => {
    const q = (field: string, factor?: number, missing?: number): Query => ({
      function_score: { query: { match_all: {} }, field_value_factor: { field, factor, missing } },
    })
    expect(evaluate('messages', doc, q('sentAt', 2))?.score).toBe(10)
    expect(evaluate('messages', doc, q('nope'))?.score).toBe(1)
    expect(evaluate('messages', doc, q('nope', 3, 4))?.score).toBe(12)
  })
})

describe('oracleSearch: order', () => {
  it('puts documents without the sort field last in either order', () => {
    const docs = USERS.filter((u) => ['u-zhangwei', 'u-zengxm', 'u-wangwei'].includes(u.userId))
    const center = { lat: 31.23, lon: 121.47 }
    for (const order of ['asc', 'desc'] as const) {
      const r = oracleSearch('users', docs, { match_all: {} }, [
        { geo_distance: { field: 'location', center, order } },
      ])
      const near = order === 'asc' ? ['u-zhangwei', 'u-wangwei'] : ['u-wangwei', 'u-zhangwei']
      const list = [...near, 'u-zengxm'].map((id) => ({ id, score: 1 }))
      expect(r.firstOutOfOrder(list)).toBe(-1)
      expect(r.firstOutOfOrder([...list].reverse())).toBe(0)
    }
  })

  it('treats scores that differ by rounding noise as ties', () => {
    const r = oracleSearch('messages', [doc], { match_all: {} })
    expect(r.compare({ id: 'm1', score: 0.1 + 0.2 }, { id: 'm1', score: 0.3 })).toBe(0)
    expect(r.compare({ id: 'm1', score: 1 }, { id: 'm1', score: 2 })).toBeGreaterThan(0)
  })
})
