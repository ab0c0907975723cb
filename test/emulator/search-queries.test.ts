import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from './helpers.ts'
import { expectOtsError, long, startHarness, TableStore } from './helpers.ts'
import { INDEX, loadCorpus, searchIds, TABLE } from './search-fixture.ts'

const Q = TableStore.QueryType
let h: Harness
beforeAll(async () => {
  h = await startHarness()
  await loadCorpus(h.client)
})
afterAll(async () => {
  await h.emu.close()
})

const ids = (query: object, extra?: Record<string, unknown>) => searchIds(h.client, query, extra)
const sorted = async (query: object) => (await ids(query)).sort()
const term = (fieldName: string, t: unknown) => ({ queryType: Q.TERM_QUERY, query: { fieldName, term: t } })

describe('full-text queries and analyzers', () => {
  it('match_all returns every indexed row, in primary-key order by default', async () => {
    expect(await ids({ queryType: Q.MATCH_ALL_QUERY })).toEqual(['d1', 'd2', 'd3', 'd4', 'd5'])
  })

  it('match uses OR by default, AND on request, and minimum_should_match', async () => {
    const match = (extra: object) => ({
      queryType: Q.MATCH_QUERY,
      query: { fieldName: 'title', text: 'WEST lake', ...extra },
    })
    expect(
      await ids(match({}), {
        sort: { sorters: [{ scoreSort: { order: TableStore.SortOrder.SORT_ORDER_DESC } }] },
      }),
    ).toEqual(['d1', 'd3'])
    expect(await ids(match({ operator: TableStore.QueryOperator.AND }))).toEqual(['d1'])
    expect(await ids(match({ minimumShouldMatch: 2 }))).toEqual(['d1'])
  })

  it('single_word splits CJK per character and lower-cases letter runs', async () => {
    expect(await sorted({ queryType: Q.MATCH_QUERY, query: { fieldName: 'title', text: '西湖' } })).toEqual([
      'd1',
      'd4',
    ])
    expect(await sorted(term('title', 'hangzhou'))).toEqual(['d1'])
    // term is not analysed: the index holds lower-cased tokens only.
    expect(await sorted(term('title', 'Hangzhou'))).toEqual([])
  })

  it('single_word honours caseSensitive and delimitWord', async () => {
    expect(await sorted(term('title_cs', 'iPhone'))).toEqual(['d2'])
    expect(await sorted(term('title_cs', 'iphone'))).toEqual([])
    expect(await sorted({ queryType: Q.MATCH_QUERY, query: { fieldName: 'title_cs', text: '6' } })).toEqual([
      'd2',
    ])
  })

  it('match_phrase needs the tokens contiguous and in order', async () => {
    const phrase = (text: string) => ({
      queryType: Q.MATCH_PHRASE_QUERY,
      query: { fieldName: 'title', text },
    })
    expect(await sorted(phrase('west lake'))).toEqual(['d1'])
    expect(await sorted(phrase('lake west'))).toEqual([])
    expect(await sorted(phrase('湖 boat'))).toEqual(['d4'])
    expect(await sorted(phrase('杭州 西湖'))).toEqual(['d1'])
  })

  it('split tokenises on the delimiter (default whitespace) and ignores case', async () => {
    expect(await sorted(term('csv', 'green'))).toEqual(['d1'])
    expect(await sorted({ queryType: Q.MATCH_QUERY, query: { fieldName: 'csv', text: 'RED' } })).toEqual([
      'd1',
    ])
    expect(await sorted({ queryType: Q.MATCH_QUERY, query: { fieldName: 'words', text: 'foo' } })).toEqual([
      'd1',
    ])
  })

  it('fuzzy matches phrases as substrings, case-insensitively', async () => {
    const phrase = (text: string) => ({ queryType: Q.MATCH_PHRASE_QUERY, query: { fieldName: 'name', text } })
    expect(await sorted(phrase('XAND'))).toEqual(['d1', 'd2', 'd4'])
    expect(await sorted(phrase('lexa'))).toEqual(['d1', 'd2'])
    expect(await sorted(phrase('alexander'))).toEqual(['d1'])
    expect(await sorted(phrase('zzz'))).toEqual([])
  })
})

describe('term-level queries', () => {
  it('term and terms on keywords, arrays, numbers and booleans', async () => {
    expect(await sorted(term('status', 'open'))).toEqual(['d1', 'd3', 'd5'])
    expect(
      await sorted({ queryType: Q.TERMS_QUERY, query: { fieldName: 'status', terms: ['closed', 'draft'] } }),
    ).toEqual(['d2', 'd4'])
    expect(await sorted(term('labels', 'b'))).toEqual(['d1', 'd2'])
    expect(await sorted(term('likes', long(20)))).toEqual(['d3'])
    expect(await sorted(term('scores', long(9)))).toEqual(['d1'])
    expect(await sorted(term('price', 2.5))).toEqual(['d2'])
    expect(await sorted(term('pinned', true))).toEqual(['d1'])
  })

  it('rejects a JS number (sent as DOUBLE) against a LONG field', async () => {
    const msg = await expectOtsError(
      h.client.search({
        tableName: TABLE,
        indexName: INDEX,
        searchQuery: { offset: 0, limit: 10, query: term('likes', 20) },
        columnToGet: { returnType: TableStore.ColumnReturnType.RETURN_NONE },
      }),
      400,
      'OTSParameterInvalid',
    )
    expect(msg).toContain('TableStore.Long')
  })

  it('prefix and wildcard', async () => {
    expect(await sorted({ queryType: Q.PREFIX_QUERY, query: { fieldName: 'status', prefix: 'dr' } })).toEqual(
      ['d4'],
    )
    expect(
      await sorted({ queryType: Q.PREFIX_QUERY, query: { fieldName: 'title', prefix: 'shang' } }),
    ).toEqual(['d2'])
    expect(
      await sorted({ queryType: Q.WILDCARD_QUERY, query: { fieldName: 'status', value: 'o*n' } }),
    ).toEqual(['d1', 'd3', 'd5'])
    expect(
      await sorted({ queryType: Q.WILDCARD_QUERY, query: { fieldName: 'status', value: 'd?aft' } }),
    ).toEqual(['d4'])
  })

  it('range with inclusive and exclusive bounds on LONG, DOUBLE and KEYWORD', async () => {
    const range = (fieldName: string, q: object) => ({ queryType: Q.RANGE_QUERY, query: { fieldName, ...q } })
    expect(
      await sorted(
        range('likes', { rangeFrom: long(5), includeLower: true, rangeTo: long(10), includeUpper: false }),
      ),
    ).toEqual(['d2', 'd4'])
    expect(await sorted(range('likes', { rangeFrom: long(10), includeLower: false }))).toEqual(['d3'])
    expect(await sorted(range('price', { rangeFrom: 1.0, includeLower: false }))).toEqual(['d1', 'd2'])
    expect(
      await sorted(
        range('status', { rangeFrom: 'c', includeLower: true, rangeTo: 'o', includeUpper: false }),
      ),
    ).toEqual(['d2', 'd4'])
  })

  it('exists', async () => {
    expect(await sorted({ queryType: Q.EXISTS_QUERY, query: { fieldName: 'price' } })).toEqual([
      'd1',
      'd2',
      'd3',
    ])
    expect(await sorted({ queryType: Q.EXISTS_QUERY, query: { fieldName: 'comments' } })).toEqual([
      'd1',
      'd2',
    ])
  })
})

describe('compound queries', () => {
  it('bool combines must, filter, must_not and should with minimum_should_match', async () => {
    const bool = (q: object) => ({ queryType: Q.BOOL_QUERY, query: q })
    expect(
      await sorted(
        bool({
          mustQueries: [term('status', 'open')],
          filterQueries: [
            {
              queryType: Q.RANGE_QUERY,
              query: { fieldName: 'likes', rangeFrom: long(10), includeLower: true },
            },
          ],
          mustNotQueries: [term('labels', 'a')],
        }),
      ),
    ).toEqual(['d3'])
    expect(
      await sorted(
        bool({
          shouldQueries: [term('status', 'open'), term('labels', 'b'), term('pinned', true)],
          minimumShouldMatch: 2,
        }),
      ),
    ).toEqual(['d1'])
    expect(
      await sorted(bool({ mustNotQueries: [{ queryType: Q.EXISTS_QUERY, query: { fieldName: 'title' } }] })),
    ).toEqual(['d5'])
  })

  it('const_score gives every hit score 1 and function_score multiplies by a field', async () => {
    const constRes = await h.client.search({
      tableName: TABLE,
      indexName: INDEX,
      searchQuery: {
        offset: 0,
        limit: 10,
        query: { queryType: Q.CONST_SCORE_QUERY, query: { filter: term('status', 'open') } },
        // Hits (and their scores) come back only with highlighting.
        highlight: { highlightParameters: [{ fieldName: 'title' }] },
      },
      columnToGet: { returnType: TableStore.ColumnReturnType.RETURN_NONE },
    })
    expect(constRes.searchHits.map((hit) => hit.score)).toEqual([1, 1, 1])
    const byLikes = await ids(
      {
        queryType: Q.FUNCTION_SCORE_QUERY,
        query: { query: { queryType: Q.MATCH_ALL_QUERY }, fieldValueFactor: { fieldName: 'likes' } },
      },
      { sort: { sorters: [{ scoreSort: { order: TableStore.SortOrder.SORT_ORDER_DESC } }] } },
    )
    expect(byLikes).toEqual(['d3', 'd1', 'd4', 'd2', 'd5'])
  })

  it('nested queries match within one child object', async () => {
    const nested = (query: object, scoreMode?: number) => ({
      queryType: Q.NESTED_QUERY,
      query: { path: 'comments', query, ...(scoreMode ? { scoreMode } : {}) },
    })
    const bobHighStars = {
      queryType: Q.BOOL_QUERY,
      query: {
        mustQueries: [
          term('comments.author', 'bob'),
          {
            queryType: Q.RANGE_QUERY,
            query: { fieldName: 'comments.stars', rangeFrom: long(4), includeLower: true },
          },
        ],
      },
    }
    // d1 has bob (2 stars) and a 5-star comment by ann, but not in the same child: no match.
    expect(await sorted(nested(bobHighStars))).toEqual(['d2'])
    expect(
      await sorted(
        nested({ queryType: Q.MATCH_QUERY, query: { fieldName: 'comments.text', text: 'night view' } }),
      ),
    ).toEqual(['d1', 'd2'])
    expect(await sorted(nested(term('comments.author', 'bob'), TableStore.ScoreMode.SCORE_MODE_MAX))).toEqual(
      ['d1', 'd2'],
    )
    await expectOtsError(
      h.client.search({
        tableName: TABLE,
        indexName: INDEX,
        searchQuery: { offset: 0, limit: 10, query: term('comments.author', 'bob') },
        columnToGet: { returnType: TableStore.ColumnReturnType.RETURN_NONE },
      }),
      400,
      'OTSParameterInvalid',
    )
  })
})

describe('geo queries', () => {
  it('geo_distance, geo_bounding_box and geo_polygon', async () => {
    expect(
      await sorted({
        queryType: Q.GEO_DISTANCE_QUERY,
        query: { fieldName: 'loc', centerPoint: '30.26,120.16', distance: 10_000 },
      }),
    ).toEqual(['d1'])
    expect(
      await sorted({
        queryType: Q.GEO_DISTANCE_QUERY,
        query: { fieldName: 'loc', centerPoint: '30.26,120.16', distance: 200_000 },
      }),
    ).toEqual(['d1', 'd2'])
    expect(
      await sorted({
        queryType: Q.GEO_BOUNDING_BOX_QUERY,
        query: { fieldName: 'loc', topLeft: '32,120', bottomRight: '30,122' },
      }),
    ).toEqual(['d1', 'd2'])
    expect(
      await sorted({
        queryType: Q.GEO_POLYGON_QUERY,
        query: { fieldName: 'loc', points: ['38,-123', '38,-122', '37,-122', '37,-123'] },
      }),
    ).toEqual(['d3'])
  })
})
