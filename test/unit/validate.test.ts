/** @module Query and sort validation against the index schemas, and the strict DSL schemas. */
import { describe, expect, it } from 'vitest'
import { type Query, QuerySchema, queryKind } from '../../src/query/dsl.ts'
import { SortSchema } from '../../src/query/sort.ts'
import { MAX_QUERY_DEPTH, MAX_QUERY_NODES, validateQuery, validateSort } from '../../src/query/validate.ts'

const tag = (name: string): Query => ({ term: { field: 'tags.name', value: name } })

describe('validateQuery', () => {
  it('accepts the queries the services build', () => {
    const message: Query = {
      bool: {
        must: [{ match_phrase: { field: 'content', query: '上海' } }],
        filter: [
          { terms: { field: 'recipients', values: ['u1'] } },
          { term: { field: 'conversationId', value: 'g1' } },
          { range: { field: 'sentAt', gte: 0, lt: 1e12 } },
        ],
      },
    }
    expect(validateQuery('messages', message)).toEqual([])
    const user: Query = {
      bool: {
        should: [
          { constant_score: { filter: { term: { field: 'nameNormalized', value: '张伟' } }, boost: 16 } },
          { prefix: { field: 'namePinyin', value: 'zw' } },
          { match_phrase: { field: 'nameCompact', query: '伟' } },
          { terms: { field: 'nameDeletes', values: ['wiliam'] } },
          {
            nested: {
              path: 'tags',
              score_mode: 'sum',
              query: { function_score: { query: tag('golf'), field_value_factor: { field: 'tags.weight' } } },
            },
          },
        ],
        filter: [
          { term: { field: 'discoverable', value: true } },
          { geo_distance: { field: 'location', center: { lat: 31, lon: 121 }, distance: 5000 } },
        ],
      },
    }
    expect(validateQuery('users', user)).toEqual([])
    expect(validateQuery('groups', { match_all: {} })).toEqual([])
    expect(validateQuery('groups', { exists: { field: 'tags' } })).toEqual([])
  })

  it('rejects unknown fields, naming where', () => {
    expect(validateQuery('messages', { term: { field: 'nope', value: 'x' } })).toEqual([
      { path: 'query.term.field', message: 'the messages index has no field nope' },
    ])
    const issues = validateQuery('messages', {
      bool: { filter: [{ match_all: {} }, { exists: { field: 'location' } }] },
    })
    expect(issues).toHaveLength(1)
    expect(issues[0]?.path).toBe('query.bool.filter[1].exists.field')
  })

  it.each<[string, Query, 'messages' | 'users' | 'groups']>([
    ['match on a keyword', { match: { field: 'senderId', query: 'x' } }, 'messages'],
    ['term on text', { term: { field: 'content', value: 'x' } }, 'messages'],
    ['prefix on text', { prefix: { field: 'content', value: 'x' } }, 'messages'],
    ['prefix on a number', { prefix: { field: 'sentAt', value: '1' } }, 'messages'],
    ['range on a keyword', { range: { field: 'senderId', gte: 1 } }, 'messages'],
    ['range on a boolean', { range: { field: 'discoverable', gte: 0 } }, 'users'],
    [
      'geo on a keyword',
      { geo_distance: { field: 'userId', center: { lat: 0, lon: 0 }, distance: 1 } },
      'users',
    ],
    [
      'geo box on a number',
      {
        geo_bounding_box: {
          field: 'memberCount',
          top_left: { lat: 1, lon: 0 },
          bottom_right: { lat: 0, lon: 1 },
        },
      },
      'groups',
    ],
    ['term on a geo point', { term: { field: 'location', value: 'x' } }, 'users'],
    ['term on a nested field', { term: { field: 'tags', value: 'golf' } }, 'users'],
  ])('rejects a field of the wrong type: %s', (_, query, index) => {
    const issues = validateQuery(index, query)
    expect(issues).toHaveLength(1)
    expect(issues[0]?.message).toMatch(/is a \w+ field/)
  })

  it('rejects a function_score on a non-numeric field', () => {
    const q: Query = {
      function_score: { query: { match_all: {} }, field_value_factor: { field: 'nameNormalized' } },
    }
    expect(validateQuery('users', q)).toHaveLength(1)
  })

  it('rejects a range without bounds', () => {
    expect(validateQuery('messages', { range: { field: 'sentAt' } })).toEqual([
      { path: 'query.range', message: 'a range needs at least one bound' },
    ])
  })

  describe('nested paths', () => {
    it('accepts path.sub fields inside nested on that path', () => {
      expect(validateQuery('groups', { nested: { path: 'tags', query: tag('golf') } })).toEqual([])
    })

    it('rejects a nested field outside nested', () => {
      expect(validateQuery('users', tag('golf'))).toEqual([
        { path: 'query.term.field', message: 'tags.name is only queried inside nested tags' },
      ])
    })

    it('rejects a top-level field inside nested', () => {
      const q: Query = { nested: { path: 'tags', query: { term: { field: 'userId', value: 'u1' } } } }
      expect(validateQuery('users', q)).toEqual([
        { path: 'query.nested.query.term.field', message: 'inside nested tags, name tags.<field>' },
      ])
    })

    it('rejects nested on a field that is not nested, or an index without one', () => {
      expect(validateQuery('users', { nested: { path: 'location', query: { match_all: {} } } })).toHaveLength(
        1,
      )
      expect(validateQuery('messages', { nested: { path: 'tags', query: { match_all: {} } } })).toHaveLength(
        1,
      )
    })

    it('rejects nested inside nested', () => {
      const inner: Query = { nested: { path: 'tags', query: tag('golf') } }
      expect(validateQuery('users', { nested: { path: 'tags', query: inner } })).toEqual([
        { path: 'query.nested.query.nested.path', message: 'nested queries do not nest' },
      ])
    })

    it('rejects an unknown sub-field', () => {
      const q: Query = { nested: { path: 'tags', query: { term: { field: 'tags.colour', value: 'red' } } } }
      expect(validateQuery('users', q)).toHaveLength(1)
    })
  })

  describe('caps', () => {
    const deep = (levels: number): Query => {
      let q: Query = { match_all: {} }
      for (let i = 0; i < levels; i++) q = { bool: { must: [q] } }
      return q
    }

    it('accepts a query of ordinary depth and rejects one deeper than the cap', () => {
      expect(validateQuery('messages', deep(5))).toEqual([])
      const issues = validateQuery('messages', deep(MAX_QUERY_DEPTH + 5))
      expect(issues).toHaveLength(1)
      expect(issues[0]?.message).toBe(`a query nests at most ${MAX_QUERY_DEPTH} levels`)
    })

    it('caps constant_score and function_score chains too', () => {
      let q: Query = { match_all: {} }
      for (let i = 0; i < MAX_QUERY_DEPTH + 5; i++) q = { constant_score: { filter: q } }
      expect(validateQuery('messages', q)).toHaveLength(1)
    })

    it('rejects more nodes than the cap, once', () => {
      const leaves = (n: number): Query[] =>
        Array.from({ length: n }, (_, i) => ({ term: { field: 'senderId', value: `u${i}` } }))
      expect(validateQuery('messages', { bool: { should: leaves(1000) } })).toEqual([])
      const big: Query = { bool: { should: leaves(600), filter: leaves(600) } }
      expect(validateQuery('messages', big)).toEqual([
        { path: expect.any(String), message: `a query has at most ${MAX_QUERY_NODES} nodes` },
      ])
    })
  })
})

describe('validateSort', () => {
  it('accepts single-valued keyword, number and boolean fields, score, and geo distance on a geo point', () => {
    expect(
      validateSort('messages', [
        { field: { name: 'sentAt', order: 'desc' } },
        { field: { name: 'sequenceId', order: 'desc' } },
        { field: { name: 'conversationId', order: 'asc' } },
        { score: { order: 'desc' } },
      ]),
    ).toEqual([])
    expect(
      validateSort('users', [
        { geo_distance: { field: 'location', center: { lat: 31, lon: 121 }, order: 'asc' } },
        { field: { name: 'discoverable', order: 'asc' } },
      ]),
    ).toEqual([])
    expect(validateSort('groups', [{ field: { name: 'memberCount', order: 'desc' } }])).toEqual([])
  })

  it.each<[string, 'messages' | 'users' | 'groups', string]>([
    ['text', 'messages', 'content'],
    ['array', 'messages', 'recipients'],
    ['unknown', 'messages', 'nope'],
    ['nested sub-field', 'users', 'tags.weight'],
    ['nested', 'users', 'tags'],
    ['geo point', 'users', 'location'],
    ['fuzzy', 'users', 'nameCompact'],
  ])('rejects sorting on a %s field', (_, index, name) => {
    expect(validateSort(index, [{ field: { name, order: 'asc' } }])).toEqual([
      { path: 'sort[0]', message: `${name} is not a sortable field of ${index}` },
    ])
  })

  it('rejects a distance sort on a field that is not a geo point', () => {
    const issues = validateSort('users', [
      { score: { order: 'desc' } },
      { geo_distance: { field: 'userId', center: { lat: 0, lon: 0 }, order: 'asc' } },
    ])
    expect(issues).toEqual([{ path: 'sort[1]', message: 'userId is not a geo_point field of users' }])
  })
})

describe('QuerySchema', () => {
  const ok = (q: unknown) => QuerySchema.safeParse(q).success

  it('parses every node kind', () => {
    const nodes: Query[] = [
      { match_all: {} },
      { match: { field: 'content', query: '上海', operator: 'and' } },
      { match: { field: 'content', query: 'a b c', operator: 'or', minimum_should_match: 2, boost: 2 } },
      { match_phrase: { field: 'content', query: '上海' } },
      { term: { field: 'discoverable', value: true } },
      { terms: { field: 'recipients', values: ['u1', 'u2'] } },
      { prefix: { field: 'namePinyin', value: 'zh' } },
      { range: { field: 'sentAt', gt: 1, lte: 2 } },
      { exists: { field: 'location' } },
      { geo_distance: { field: 'location', center: { lat: 31, lon: 121 }, distance: 100 } },
      {
        geo_bounding_box: {
          field: 'location',
          top_left: { lat: 2, lon: 170 },
          bottom_right: { lat: 1, lon: -170 },
        },
      },
      {
        geo_polygon: {
          field: 'location',
          points: [
            { lat: 0, lon: 0 },
            { lat: 0, lon: 1 },
            { lat: 1, lon: 0 },
          ],
        },
      },
      { bool: { must: [], filter: [{ match_all: {} }], should: [], must_not: [], minimum_should_match: 0 } },
      { constant_score: { filter: { match_all: {} }, boost: 3 } },
      { nested: { path: 'tags', query: { match_all: {} }, score_mode: 'none' } },
      {
        function_score: {
          query: { match_all: {} },
          field_value_factor: { field: 'tags.weight', factor: 2, missing: 1 },
        },
      },
    ]
    for (const node of nodes) {
      const parsed = QuerySchema.safeParse(node)
      expect(parsed.success, JSON.stringify(node)).toBe(true)
      expect(parsed.data).toEqual(node)
      expect(queryKind(node)).toBe(Object.keys(node)[0])
    }
  })

  it.each<[string, unknown]>([
    ['an unknown key in a node', { term: { field: 'type', value: 'text', extra: 1 } }],
    ['an unknown node', { wildcard: { field: 'type', value: 't*' } }],
    ['two kinds in one node', { match_all: {}, term: { field: 'type', value: 'text' } }],
    ['Elasticsearch field-as-key form', { term: { type: 'text' } }],
    ['an unknown key in bool', { bool: { must: [], should_not: [] } }],
    ['an unknown key in match_all', { match_all: { foo: 1 } }],
    ['empty terms', { terms: { field: 'recipients', values: [] } }],
    ['an empty prefix', { prefix: { field: 'namePinyin', value: '' } }],
    ['an empty field name', { term: { field: '', value: 'x' } }],
    ['a non-positive boost', { match_all: { boost: 0 } }],
    ['a non-positive distance', { geo_distance: { field: 'l', center: { lat: 0, lon: 0 }, distance: 0 } }],
    ['a latitude beyond 90', { geo_distance: { field: 'l', center: { lat: 91, lon: 0 }, distance: 1 } }],
    ['a longitude beyond 180', { geo_distance: { field: 'l', center: { lat: 0, lon: 181 }, distance: 1 } }],
    [
      'a polygon of two points',
      {
        geo_polygon: {
          field: 'l',
          points: [
            { lat: 0, lon: 0 },
            { lat: 1, lon: 1 },
          ],
        },
      },
    ],
    ['an unknown operator', { match: { field: 'content', query: 'x', operator: 'xor' } }],
    ['minimum_should_match 0 on match', { match: { field: 'content', query: 'x', minimum_should_match: 0 } }],
    ['a fractional minimum_should_match', { bool: { should: [], minimum_should_match: 1.5 } }],
    ['an unknown score mode', { nested: { path: 'tags', query: { match_all: {} }, score_mode: 'min' } }],
    ['an object as a term value', { term: { field: 'type', value: { a: 1 } } }],
    ['a nested clause that is invalid', { bool: { filter: [{ term: { field: 'type' } }] } }],
    ['a query that is not an object', 'match_all'],
  ])('rejects %s', (_, query) => {
    expect(ok(query)).toBe(false)
  })
})

describe('SortSchema', () => {
  it('fills in default orders: score descending, field and distance ascending', () => {
    expect(SortSchema.parse({ score: {} })).toEqual({ score: { order: 'desc' } })
    expect(SortSchema.parse({ field: { name: 'sentAt' } })).toEqual({
      field: { name: 'sentAt', order: 'asc' },
    })
    expect(SortSchema.parse({ geo_distance: { field: 'location', center: { lat: 1, lon: 2 } } })).toEqual({
      geo_distance: { field: 'location', center: { lat: 1, lon: 2 }, order: 'asc' },
    })
  })

  it('rejects unknown keys and orders', () => {
    expect(SortSchema.safeParse({ field: { name: 'sentAt', order: 'up' } }).success).toBe(false)
    expect(SortSchema.safeParse({ field: { name: 'sentAt', missing: '_last' } }).success).toBe(false)
    expect(SortSchema.safeParse({ sentAt: 'desc' }).success).toBe(false)
  })
})
