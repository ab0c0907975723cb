/**
 * @module Issue #12, part 1, step 5: sorting needs `enable_sort_and_agg` (FieldSchema,
 * https://alibabacloud.com/help/en/tablestore/developer-reference/fieldschema); a `next_token` is
 * refused with a different query (the docs are silent: the emulator refuses); a global secondary index
 * follows its table asynchronously (IndexType,
 * https://www.alibabacloud.com/help/en/tablestore/developer-reference/indextype).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Harness } from './helpers.ts'
import { createTable, expectOtsError, ignore, long, pk, startHarness, TableStore } from './helpers.ts'

const Q = TableStore.QueryType
const R = TableStore.ColumnReturnType
const { FieldType } = TableStore
const ASC = TableStore.SortOrder.SORT_ORDER_ASC

let h: Harness | undefined
afterEach(async () => {
  await h?.emu.close()
  h = undefined
})

async function indexed(harness: Harness): Promise<void> {
  await createTable(harness.client, 's')
  await harness.client.createSearchIndex({
    tableName: 's',
    indexName: 's_idx',
    schema: {
      fieldSchemas: [
        { fieldName: 'n', fieldType: FieldType.LONG, enableSortAndAgg: true },
        { fieldName: 'm', fieldType: FieldType.LONG },
        { fieldName: 'loc', fieldType: FieldType.GEO_POINT },
        { fieldName: 'k', fieldType: FieldType.KEYWORD, enableSortAndAgg: true },
      ],
    },
  })
  const rows = Array.from({ length: 6 }, (_, i) => ({
    type: 'PUT',
    condition: ignore(),
    primaryKey: [{ id: `r${i}` }],
    attributeColumns: [{ n: long(i) }, { m: long(i) }, { loc: '30,120' }, { k: i % 2 ? 'odd' : 'even' }],
  }))
  await harness.client.batchWriteRow({ tables: [{ tableName: 's', rows }] })
}

const search = (harness: Harness, searchQuery: object) =>
  harness.client.search({
    tableName: 's',
    indexName: 's_idx',
    searchQuery,
    columnToGet: { returnType: R.RETURN_NONE },
  })
const matchAll = { queryType: Q.MATCH_ALL_QUERY, query: {} }

describe('sorting needs enable_sort_and_agg', () => {
  it('refuses a FieldSort or GeoDistanceSort on a field created without it, and sorts on one created with it', async () => {
    h = await startHarness()
    await indexed(h)
    const message = await expectOtsError(
      search(h, {
        offset: 0,
        limit: 10,
        query: matchAll,
        sort: { sorters: [{ fieldSort: { fieldName: 'm', order: ASC } }] },
      }),
      400,
      'OTSParameterInvalid',
    )
    expect(message).toContain('enable_sort_and_agg')
    await expectOtsError(
      search(h, {
        offset: 0,
        limit: 10,
        query: matchAll,
        sort: { sorters: [{ geoDistanceSort: { fieldName: 'loc', points: ['30,120'], order: ASC } }] },
      }),
      400,
      'OTSParameterInvalid',
    )
    const ok = await search(h, {
      offset: 0,
      limit: 10,
      query: matchAll,
      sort: { sorters: [{ fieldSort: { fieldName: 'n', order: TableStore.SortOrder.SORT_ORDER_DESC } }] },
    })
    expect(ok.rows.map((r) => pk(r).id)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1', 'r0'])
  })
})

describe('next_token', () => {
  it('continues the query it came from and is refused with another query', async () => {
    h = await startHarness()
    await indexed(h)
    const even = { queryType: Q.TERM_QUERY, query: { fieldName: 'k', term: 'even' } }
    const sort = { sorters: [{ fieldSort: { fieldName: 'n', order: ASC } }] }
    const first = await search(h, { offset: 0, limit: 2, query: even, sort })
    expect(first.rows.map((r) => pk(r).id)).toEqual(['r0', 'r2'])
    const token = first.nextToken
    expect(token?.length).toBeGreaterThan(0)
    const next = await search(h, { limit: 2, query: even, token })
    expect(next.rows.map((r) => pk(r).id)).toEqual(['r4'])
    await expectOtsError(
      search(h, {
        limit: 2,
        query: { queryType: Q.TERM_QUERY, query: { fieldName: 'k', term: 'odd' } },
        token,
      }),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(search(h, { limit: 2, query: even, token, sort }), 400, 'OTSParameterInvalid')
  })
})

describe('global secondary index', () => {
  it('follows its table secondaryIndexLagMs later, while the table answers at once', async () => {
    let now = 1_000_000
    h = await startHarness({ secondaryIndexLagMs: 500, clock: () => now })
    await createTable(h.client, 'g', [{ name: 'id', type: 'STRING' }], {
      tableMeta: {
        tableName: 'g',
        primaryKey: [{ name: 'id', type: 'STRING' }],
        definedColumn: [{ name: 'owner', type: TableStore.DefinedColumnType.DCT_STRING }],
      },
      indexMetas: [{ name: 'g_by_owner', primaryKey: ['owner'], definedColumn: [] }],
    })
    await h.client.putRow({
      tableName: 'g',
      condition: ignore(),
      primaryKey: [{ id: 'a' }],
      attributeColumns: [{ owner: '李雷' }],
    })
    const byOwner = async () =>
      (
        await h?.client.getRange({
          tableName: 'g_by_owner',
          direction: TableStore.Direction.FORWARD,
          inclusiveStartPrimaryKey: [{ owner: TableStore.INF_MIN }, { id: TableStore.INF_MIN }],
          exclusiveEndPrimaryKey: [{ owner: TableStore.INF_MAX }, { id: TableStore.INF_MAX }],
        })
      )?.rows.map((r) => pk(r))
    expect(await byOwner()).toEqual([])
    now += 499
    expect(await byOwner()).toEqual([])
    now += 1
    expect(await byOwner()).toEqual([{ owner: '李雷', id: 'a' }])
  })
})
