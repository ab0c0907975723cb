/**
 * @module Compiled-query tests (STYLE.md 7, kysely's `testSql`): the exact SearchQuery each DSL
 * node and sort compiles to, without the emulator or the network.
 */
import { describe, expect, it } from 'vitest'
import { TablestoreQueryError } from '../../adapters/tablestore/errors.ts'
import {
  compileQuery,
  countQueries,
  MATCH_NONE,
  type TsQuery,
} from '../../adapters/tablestore/query-compiler.ts'
import { QueryType as Q, QueryOperator, ScoreMode } from '../../adapters/tablestore/sdk-constants.ts'
import { compileSort } from '../../adapters/tablestore/sort-compiler.ts'
import type { Query } from '../../src/query/dsl.ts'
import type { IndexName } from '../../src/query/index-schemas.ts'
import type { Sort } from '../../src/query/sort.ts'

/** A recognisable stand-in for `TableStore.Long.fromNumber`. */
const long = (n: number) => ({ long: n })
const recipientSets = new Map<string, string[]>([
  ['alice', ['s-ab', 's-abc']],
  ['nobody', []],
])
const compile = (index: IndexName, query: Query) => compileQuery(query, { index, long, recipientSets })

const MATCH_ALL: TsQuery = { queryType: Q.MATCH_ALL_QUERY }
const carrier = (index: IndexName, weight: number): TsQuery => ({
  queryType: Q.TERMS_QUERY,
  query: { fieldName: '_doc', terms: [index], weight },
})

const cases: [title: string, index: IndexName, dsl: Query, expected: TsQuery][] = [
  ['match_all', 'messages', { match_all: {} }, MATCH_ALL],
  [
    'match_all with a boost is the weighted _doc carrier',
    'messages',
    { match_all: { boost: 3 } },
    carrier('messages', 3),
  ],
  [
    'match_phrase on content: the query tokens on content_tokens',
    'messages',
    { match_phrase: { field: 'content', query: 'ＪＷＴ令牌' } },
    { queryType: Q.MATCH_PHRASE_QUERY, query: { fieldName: 'content_tokens', text: 'jwt 令 牌' } },
  ],
  [
    'match_phrase with a boost',
    'groups',
    { match_phrase: { field: 'description', query: 'Golf lovers', boost: 2 } },
    {
      queryType: Q.MATCH_PHRASE_QUERY,
      query: { fieldName: 'description_tokens', text: 'golf lovers', weight: 2 },
    },
  ],
  [
    'match_phrase with no token matches nothing',
    'messages',
    { match_phrase: { field: 'content', query: '！？' } },
    MATCH_NONE,
  ],
  [
    'match and',
    'messages',
    { match: { field: 'content', query: 'fox quick fox', operator: 'and' } },
    {
      queryType: Q.MATCH_QUERY,
      query: { fieldName: 'content_tokens', text: 'fox quick', operator: QueryOperator.AND },
    },
  ],
  [
    'match or: minimum_should_match capped at the distinct tokens',
    'messages',
    { match: { field: 'content', query: 'fox jwt', minimum_should_match: 5, boost: 0.5 } },
    {
      queryType: Q.MATCH_QUERY,
      query: {
        fieldName: 'content_tokens',
        text: 'fox jwt',
        operator: QueryOperator.OR,
        minimumShouldMatch: 2,
        weight: 0.5,
      },
    },
  ],
  [
    'match_phrase on a fuzzy field: the compact needle, constant score',
    'users',
    { match_phrase: { field: 'nameCompact', query: 'Liam L' } },
    {
      queryType: Q.CONST_SCORE_QUERY,
      query: {
        filter: { queryType: Q.MATCH_PHRASE_QUERY, query: { fieldName: 'nameCompact', text: 'liaml' } },
      },
    },
  ],
  [
    'match on a fuzzy field with a boost',
    'users',
    { match: { field: 'nameCompact', query: '伟', boost: 4 } },
    {
      queryType: Q.BOOL_QUERY,
      query: {
        mustQueries: [carrier('users', 4)],
        filterQueries: [{ queryType: Q.MATCH_PHRASE_QUERY, query: { fieldName: 'nameCompact', text: '伟' } }],
      },
    },
  ],
  [
    'term: a one-value TermsQuery (constant score)',
    'messages',
    { term: { field: 'type', value: 'file', boost: 5 } },
    { queryType: Q.TERMS_QUERY, query: { fieldName: 'type', terms: ['file'], weight: 5 } },
  ],
  [
    'term on a LONG field sends a Long',
    'groups',
    { term: { field: 'memberCount', value: 12 } },
    { queryType: Q.TERMS_QUERY, query: { fieldName: 'memberCount', terms: [long(12)] } },
  ],
  [
    'term with a value of the wrong type matches nothing',
    'groups',
    { term: { field: 'memberCount', value: 'x' } },
    MATCH_NONE,
  ],
  [
    'term on a boolean',
    'users',
    { term: { field: 'discoverable', value: false } },
    { queryType: Q.TERMS_QUERY, query: { fieldName: 'discoverable', terms: [false] } },
  ],
  [
    'terms on a LONG field drops fractions, keeps Longs',
    'groups',
    { terms: { field: 'memberCount', values: [12, 40.5, 41] } },
    { queryType: Q.TERMS_QUERY, query: { fieldName: 'memberCount', terms: [long(12), long(41)] } },
  ],
  [
    'terms on recipients: the callers recipient sets',
    'messages',
    { terms: { field: 'recipients', values: ['alice'] } },
    { queryType: Q.TERMS_QUERY, query: { fieldName: 'recipient_set', terms: ['s-ab', 's-abc'] } },
  ],
  [
    'terms on recipients with no set matches nothing (never dropped)',
    'messages',
    { terms: { field: 'recipients', values: ['nobody'] } },
    MATCH_NONE,
  ],
  [
    'exists on recipients is exists on the set column',
    'messages',
    { exists: { field: 'recipients' } },
    { queryType: Q.EXISTS_QUERY, query: { fieldName: 'recipient_set' } },
  ],
  [
    'prefix with a boost',
    'users',
    { prefix: { field: 'namePinyin', value: 'zhang', boost: 2 } },
    { queryType: Q.PREFIX_QUERY, query: { fieldName: 'namePinyin', prefix: 'zhang', weight: 2 } },
  ],
  [
    'range on a LONG field: tighter bound, Longs, fractions rounded inward',
    'messages',
    { range: { field: 'sentAt', gt: 10, gte: 5, lt: 20.5 } },
    {
      queryType: Q.RANGE_QUERY,
      query: {
        fieldName: 'sentAt',
        rangeFrom: long(10),
        includeLower: false,
        rangeTo: long(20),
        includeUpper: true,
      },
    },
  ],
  [
    'range on a DOUBLE field keeps numbers',
    'users',
    {
      nested: {
        path: 'tags',
        query: { range: { field: 'tags.weight', gte: 1.5 } },
      },
    },
    {
      queryType: Q.NESTED_QUERY,
      query: {
        path: 'tags',
        query: {
          queryType: Q.RANGE_QUERY,
          query: { fieldName: 'tags.weight', rangeFrom: 1.5, includeLower: true },
        },
        scoreMode: ScoreMode.SCORE_MODE_AVG,
      },
    },
  ],
  ['an empty range matches nothing', 'groups', { range: { field: 'memberCount', gt: 3, lt: 4 } }, MATCH_NONE],
  [
    'range with a boost is filtered under the carrier',
    'groups',
    { range: { field: 'memberCount', lte: 4, boost: 0.5 } },
    {
      queryType: Q.BOOL_QUERY,
      query: {
        mustQueries: [carrier('groups', 0.5)],
        filterQueries: [
          {
            queryType: Q.RANGE_QUERY,
            query: { fieldName: 'memberCount', rangeTo: long(4), includeUpper: true },
          },
        ],
      },
    },
  ],
  [
    'exists on a text field uses its token column',
    'messages',
    { exists: { field: 'content' } },
    { queryType: Q.EXISTS_QUERY, query: { fieldName: 'content_tokens' } },
  ],
  [
    'geo_distance',
    'users',
    { geo_distance: { field: 'location', center: { lat: 31.23, lon: 121.47 }, distance: 5000 } },
    {
      queryType: Q.GEO_DISTANCE_QUERY,
      query: { fieldName: 'location', centerPoint: '31.23,121.47', distance: 5000 },
    },
  ],
  [
    'geo_bounding_box',
    'users',
    {
      geo_bounding_box: {
        field: 'location',
        top_left: { lat: -10, lon: 170 },
        bottom_right: { lat: -20, lon: -170 },
      },
    },
    {
      queryType: Q.GEO_BOUNDING_BOX_QUERY,
      query: { fieldName: 'location', topLeft: '-10,170', bottomRight: '-20,-170' },
    },
  ],
  [
    'geo_polygon',
    'groups',
    {
      geo_polygon: {
        field: 'location',
        points: [
          { lat: 30.5, lon: 119.9 },
          { lat: 30.5, lon: 120.5 },
          { lat: 30, lon: 120.2 },
        ],
      },
    },
    {
      queryType: Q.GEO_POLYGON_QUERY,
      query: { fieldName: 'location', points: ['30.5,119.9', '30.5,120.5', '30,120.2'] },
    },
  ],
  [
    'bool: every list, should with its effective minimum',
    'messages',
    {
      bool: {
        must: [{ match_all: {} }],
        filter: [{ term: { field: 'senderId', value: 'bob' } }],
        should: [{ term: { field: 'type', value: 'file' } }],
        must_not: [{ exists: { field: 'type' } }],
      },
    },
    {
      queryType: Q.BOOL_QUERY,
      query: {
        mustQueries: [MATCH_ALL],
        filterQueries: [{ queryType: Q.TERMS_QUERY, query: { fieldName: 'senderId', terms: ['bob'] } }],
        mustNotQueries: [{ queryType: Q.EXISTS_QUERY, query: { fieldName: 'type' } }],
        shouldQueries: [{ queryType: Q.TERMS_QUERY, query: { fieldName: 'type', terms: ['file'] } }],
        minimumShouldMatch: 0,
      },
    },
  ],
  [
    'bool: only should needs one',
    'messages',
    { bool: { should: [{ match_all: {} }] } },
    { queryType: Q.BOOL_QUERY, query: { shouldQueries: [MATCH_ALL], minimumShouldMatch: 1 } },
  ],
  [
    'bool: a minimum above the should clauses matches nothing',
    'messages',
    { bool: { should: [], minimum_should_match: 1 } },
    MATCH_NONE,
  ],
  [
    'bool: empty matches all, scoring 0',
    'messages',
    { bool: {} },
    { queryType: Q.BOOL_QUERY, query: { filterQueries: [MATCH_ALL] } },
  ],
  [
    'constant_score on a term puts the boost on the TermsQuery',
    'users',
    { constant_score: { filter: { term: { field: 'nameNormalized', value: '张伟', boost: 3 } }, boost: 16 } },
    { queryType: Q.TERMS_QUERY, query: { fieldName: 'nameNormalized', terms: ['张伟'], weight: 16 } },
  ],
  [
    'constant_score 1 over a bool is a ConstScoreQuery',
    'users',
    { constant_score: { filter: { bool: { must: [{ exists: { field: 'location' } }] } } } },
    {
      queryType: Q.CONST_SCORE_QUERY,
      query: {
        filter: {
          queryType: Q.BOOL_QUERY,
          query: { mustQueries: [{ queryType: Q.EXISTS_QUERY, query: { fieldName: 'location' } }] },
        },
      },
    },
  ],
  [
    'nested with score mode sum over a function_score (tags weighted)',
    'users',
    {
      nested: {
        path: 'tags',
        score_mode: 'sum',
        query: {
          function_score: {
            query: { terms: { field: 'tags.name', values: ['golf'] } },
            field_value_factor: { field: 'tags.weight' },
          },
        },
      },
    },
    {
      queryType: Q.NESTED_QUERY,
      query: {
        path: 'tags',
        query: {
          queryType: Q.FUNCTION_SCORE_QUERY,
          query: {
            query: { queryType: Q.TERMS_QUERY, query: { fieldName: 'tags.name', terms: ['golf'] } },
            fieldValueFactor: { fieldName: 'tags.weight' },
          },
        },
        scoreMode: ScoreMode.SCORE_MODE_TOTAL,
      },
    },
  ],
  [
    'nested score mode none',
    'groups',
    { nested: { path: 'tags', score_mode: 'none', query: { term: { field: 'tags.name', value: 'golf' } } } },
    {
      queryType: Q.NESTED_QUERY,
      query: {
        path: 'tags',
        query: { queryType: Q.TERMS_QUERY, query: { fieldName: 'tags.name', terms: ['golf'] } },
        scoreMode: ScoreMode.SCORE_MODE_NONE,
      },
    },
  ],
  [
    'function_score with a factor on an always-present field',
    'groups',
    {
      function_score: {
        query: { term: { field: 'visibility', value: 'public' } },
        field_value_factor: { field: 'memberCount', factor: 0.5 },
      },
    },
    {
      queryType: Q.FUNCTION_SCORE_QUERY,
      query: {
        query: {
          queryType: Q.TERMS_QUERY,
          query: { fieldName: 'visibility', terms: ['public'], weight: 0.5 },
        },
        fieldValueFactor: { fieldName: 'memberCount' },
      },
    },
  ],
]

describe('query compiler: each DSL node', () => {
  it.each(cases)('%s', (_title, index, dsl, expected) => {
    expect(compile(index, dsl)).toEqual(expected)
  })

  it('recipient sets beyond 1,024 become should-chunks of TermsQueries', () => {
    const many = Array.from({ length: 2050 }, (_, i) => `s${String(i).padStart(4, '0')}`)
    const out = compileQuery(
      { terms: { field: 'recipients', values: ['u'], boost: 2 } },
      { index: 'messages', long, recipientSets: new Map([['u', many]]) },
    )
    expect(out.queryType).toBe(Q.BOOL_QUERY)
    const should = out.query?.shouldQueries as TsQuery[]
    expect(should.map((c) => (c.query?.terms as string[] | undefined)?.length)).toEqual([1024, 1024, 2])
    expect(should.every((c) => c.query?.weight === 2 && c.query.fieldName === 'recipient_set')).toBe(true)
    expect(out.query?.minimumShouldMatch).toBe(1)
  })

  it('unresolved recipients are a programmer error, not a dropped filter', () => {
    expect(() =>
      compileQuery({ terms: { field: 'recipients', values: ['x'] } }, { index: 'messages', long }),
    ).toThrow(/not resolved/)
  })

  it('more than 1,024 sub-queries is a clear error', () => {
    const should: Query[] = Array.from({ length: 1100 }, (_, i) => ({
      term: { field: 'type', value: `t${i}` },
    }))
    expect(() => compile('messages', { bool: { should } })).toThrow(TablestoreQueryError)
    expect(countQueries(compile('messages', { bool: { should: should.slice(0, 10) } }))).toBe(11)
  })

  it('a weighted constant score inside nested is refused, not approximated', () => {
    const query: Query = {
      nested: {
        path: 'tags',
        query: { constant_score: { filter: { exists: { field: 'tags.name' } }, boost: 3 } },
      },
    }
    expect(() => compile('users', query)).toThrow(TablestoreQueryError)
  })

  it('prefix on recipients is refused', () => {
    expect(() => compile('messages', { prefix: { field: 'recipients', value: 'a' } })).toThrow(
      TablestoreQueryError,
    )
  })
})

describe('sort compiler', () => {
  const PK = { primaryKeySort: { order: 0 } }
  const sorts: [title: string, sort: Sort[] | undefined, expected: object[]][] = [
    ['no sort: score descending, then the primary key', undefined, [{ scoreSort: { order: 1 } }, PK]],
    [
      'fields',
      [{ field: { name: 'sentAt', order: 'desc' } }, { field: { name: 'sequenceId', order: 'asc' } }],
      [
        { fieldSort: { fieldName: 'sentAt', order: 1 } },
        { fieldSort: { fieldName: 'sequenceId', order: 0 } },
        PK,
      ],
    ],
    [
      'geo distance',
      [{ geo_distance: { field: 'location', center: { lat: 31.2304, lon: 121.4737 }, order: 'asc' } }],
      [{ geoDistanceSort: { fieldName: 'location', points: ['31.2304,121.4737'], order: 0 } }, PK],
    ],
    ['score ascending', [{ score: { order: 'asc' } }], [{ scoreSort: { order: 0 } }, PK]],
  ]
  it.each(sorts)('%s', (_title, sort, expected) => {
    expect(compileSort(sort).sorters).toEqual(expected)
  })
})
