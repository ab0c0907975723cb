import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from './helpers.ts'
import { attrs, createTable, expectOtsError, ignore, long, pk, startHarness, TableStore } from './helpers.ts'
import { INDEX, loadCorpus, searchIds, TABLE } from './search-fixture.ts'

const Q = TableStore.QueryType
const { SORT_ORDER_ASC: ASC, SORT_ORDER_DESC: DESC } = TableStore.SortOrder
const R = TableStore.ColumnReturnType
let h: Harness

beforeAll(async () => {
  h = await startHarness()
  await loadCorpus(h.client)
  await createTable(h.client, 'many')
  const rows = Array.from({ length: 57 }, (_, i) => ({
    type: 'PUT',
    condition: ignore(),
    primaryKey: [{ id: `r${String(i).padStart(2, '0')}` }],
    // Many ties on `bucket`, so paging must break ties by primary key to avoid skips and repeats.
    attributeColumns: [{ bucket: long(i % 4) }, { body: `row ${i}` }],
  }))
  await h.client.batchWriteRow({ tables: [{ tableName: 'many', rows }] })
  await h.client.createSearchIndex({
    tableName: 'many',
    indexName: 'many_idx',
    schema: {
      fieldSchemas: [{ fieldName: 'bucket', fieldType: TableStore.FieldType.LONG, enableSortAndAgg: true }],
    },
  })
})
afterAll(async () => {
  await h.emu.close()
})

const matchAll = { queryType: Q.MATCH_ALL_QUERY }
const ids = (sorters: object[]) => searchIds(h.client, matchAll, { sort: { sorters } })

describe('sorting', () => {
  it('FieldSort ascending and descending, missing values last', async () => {
    expect(await ids([{ fieldSort: { fieldName: 'likes', order: ASC } }])).toEqual([
      'd5',
      'd2',
      'd4',
      'd1',
      'd3',
    ])
    expect(await ids([{ fieldSort: { fieldName: 'likes', order: DESC } }])).toEqual([
      'd3',
      'd1',
      'd4',
      'd2',
      'd5',
    ])
    expect(await ids([{ fieldSort: { fieldName: 'price', order: ASC } }])).toEqual([
      'd3',
      'd1',
      'd2',
      'd4',
      'd5',
    ])
    expect(await ids([{ fieldSort: { fieldName: 'price', order: DESC } }])).toEqual([
      'd2',
      'd1',
      'd3',
      'd4',
      'd5',
    ])
  })

  it('FieldSort uses a missing value and the array mode', async () => {
    expect(await ids([{ fieldSort: { fieldName: 'price', order: ASC, missingValue: 1.0 } }])).toEqual([
      'd3',
      'd4',
      'd5',
      'd1',
      'd2',
    ])
    // scores: d1 [3, 9], d2 [5], d3 [1, 2]
    const byScores = (order: number, mode?: number) =>
      ids([{ fieldSort: { fieldName: 'scores', order, ...(mode === undefined ? {} : { mode }) } }])
    expect((await byScores(ASC, TableStore.SortMode.SORT_MODE_MIN)).slice(0, 3)).toEqual(['d3', 'd1', 'd2'])
    expect((await byScores(DESC, TableStore.SortMode.SORT_MODE_MAX)).slice(0, 3)).toEqual(['d1', 'd2', 'd3'])
    expect((await byScores(ASC, TableStore.SortMode.SORT_MODE_AVG)).slice(0, 3)).toEqual(['d3', 'd2', 'd1'])
  })

  it('multiple sorters, PrimaryKeySort and GeoDistanceSort', async () => {
    expect(
      await ids([{ fieldSort: { fieldName: 'status', order: ASC } }, { primaryKeySort: { order: DESC } }]),
    ).toEqual(['d2', 'd4', 'd5', 'd3', 'd1'])
    expect(await ids([{ primaryKeySort: { order: DESC } }])).toEqual(['d5', 'd4', 'd3', 'd2', 'd1'])
    expect(
      await ids([{ geoDistanceSort: { fieldName: 'loc', points: ['31.2,121.5'], order: ASC } }]),
    ).toEqual(['d2', 'd1', 'd3', 'd4', 'd5'])
  })

  it('ScoreSort orders by BM25 relevance (scores come back with highlighting)', async () => {
    const res = await h.client.search({
      tableName: TABLE,
      indexName: INDEX,
      searchQuery: {
        offset: 0,
        limit: 10,
        query: { queryType: Q.MATCH_QUERY, query: { fieldName: 'title', text: 'west lake tour' } },
        sort: { sorters: [{ scoreSort: { order: DESC } }] },
        highlight: { highlightParameters: [{ fieldName: 'title' }] },
      },
      columnToGet: { returnType: R.RETURN_NONE },
    })
    expect(res.rows.map((r) => pk(r).id)).toEqual(['d1', 'd4', 'd3'])
    const scores = res.searchHits.map((hit) => hit.score ?? 0)
    expect(scores[0]).toBeGreaterThan(scores[1] ?? 0)
  })

  it('refuses to sort on TEXT fields', async () => {
    await expectOtsError(
      h.client.search({
        tableName: TABLE,
        indexName: INDEX,
        searchQuery: {
          offset: 0,
          limit: 10,
          query: matchAll,
          sort: { sorters: [{ fieldSort: { fieldName: 'title', order: ASC } }] },
        },
        columnToGet: { returnType: R.RETURN_NONE },
      }),
      400,
      'OTSParameterInvalid',
    )
  })
})

describe('paging', () => {
  const page = (searchQuery: Record<string, unknown>, columnToGet: object = { returnType: R.RETURN_NONE }) =>
    h.client.search({
      tableName: 'many',
      indexName: 'many_idx',
      searchQuery: { query: matchAll, ...searchQuery },
      columnToGet,
    })

  it('walks every row exactly once with next_token, keeping the first page sort', async () => {
    const sort = { sorters: [{ fieldSort: { fieldName: 'bucket', order: DESC } }] }
    const seen: string[] = []
    let res = await page({ offset: 0, limit: 10, sort, getTotalCount: true })
    expect(res.totalCounts).toBe('57')
    let pages = 1
    for (;;) {
      seen.push(...res.rows.map((r) => String(pk(r).id)))
      if (!res.nextToken || res.nextToken.length === 0) break
      res = await page({ limit: 10, token: res.nextToken })
      pages++
    }
    expect(pages).toBe(6)
    expect(new Set(seen).size).toBe(57)
    const expected = Array.from({ length: 57 }, (_, i) => ({
      id: `r${String(i).padStart(2, '0')}`,
      bucket: i % 4,
    }))
      .sort((a, b) => b.bucket - a.bucket || (a.id < b.id ? -1 : 1))
      .map((r) => r.id)
    expect(seen).toEqual(expected)
  })

  it('offset + limit pages and total counts', async () => {
    const first = await page({ offset: 0, limit: 20 })
    const second = await page({ offset: 20, limit: 20, getTotalCount: true })
    expect(first.totalCounts).toBeUndefined()
    expect(second.totalCounts).toBe('57')
    expect(second.rows.map((r) => pk(r).id)[0]).toBe('r20')
    expect(new Set([...first.rows, ...second.rows].map((r) => pk(r).id)).size).toBe(40)
    const countOnly = await page({ offset: 0, limit: 0, getTotalCount: true })
    expect([countOnly.rows.length, countOnly.totalCounts]).toEqual([0, '57'])
  })

  it('enforces the documented limits', async () => {
    await expectOtsError(
      page({ offset: 0, limit: 101 }, { returnType: R.RETURN_ALL }),
      400,
      'OTSParameterInvalid',
    )
    // Up to 1000 rows when every returned column comes from the index.
    expect(
      (await page({ offset: 0, limit: 1000 }, { returnType: R.RETURN_ALL_FROM_INDEX })).rows,
    ).toHaveLength(57)
    await expectOtsError(
      page({ offset: 0, limit: 1001 }, { returnType: R.RETURN_NONE }),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(page({ offset: 99_990, limit: 20 }), 400, 'OTSParameterInvalid')
    const first = await page({ offset: 0, limit: 5 })
    const token = first.nextToken ?? Buffer.alloc(0)
    await expectOtsError(
      page({ limit: 5, token, sort: { sorters: [{ primaryKeySort: { order: ASC } }] } }),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(page({ limit: 5, token: Buffer.from('forged') }), 400, 'OTSParameterInvalid')
    await expectOtsError(
      h.client.search({
        tableName: TABLE,
        indexName: INDEX,
        searchQuery: { limit: 5, token, query: matchAll },
        columnToGet: { returnType: R.RETURN_NONE },
      }),
      400,
      'OTSParameterInvalid',
    )
  })
})

describe('columns to get', () => {
  const get = async (columnToGet: object) => {
    const res = await h.client.search({
      tableName: TABLE,
      indexName: INDEX,
      searchQuery: {
        offset: 0,
        limit: 1,
        query: { queryType: Q.TERM_QUERY, query: { fieldName: 'status', term: 'open' } },
      },
      columnToGet,
    })
    return res.rows.map((r) => ({ ...pk(r), ...attrs(r) }))
  }

  it('returns the primary key only, chosen columns, all columns, or the indexed columns', async () => {
    expect(await get({ returnType: R.RETURN_NONE })).toEqual([{ id: 'd1' }])
    expect(await get({ returnType: R.RETURN_SPECIFIED, returnNames: ['likes', 'status'] })).toEqual([
      { id: 'd1', likes: 10, status: 'open' },
    ])
    const all = await h.client.search({
      tableName: TABLE,
      indexName: INDEX,
      searchQuery: {
        offset: 0,
        limit: 10,
        query: { queryType: Q.TERM_QUERY, query: { fieldName: 'likes', term: long(1) } },
      },
      columnToGet: { returnType: R.RETURN_ALL },
    })
    expect(attrs(all.rows[0])).toEqual({ extra: 'not indexed', likes: 1, status: 'open' })
    const fromIndex = await h.client.search({
      tableName: TABLE,
      indexName: INDEX,
      searchQuery: {
        offset: 0,
        limit: 10,
        query: { queryType: Q.TERM_QUERY, query: { fieldName: 'likes', term: long(1) } },
      },
      columnToGet: { returnType: R.RETURN_ALL_FROM_INDEX },
    })
    expect(attrs(fromIndex.rows[0])).toEqual({ likes: 1, status: 'open' })
  })
})
