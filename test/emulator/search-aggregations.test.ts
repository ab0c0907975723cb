/**
 * @module Issue #12, part 1, step 4: Aggregations and GroupBy as Tablestore documents them and as
 * the SDK 5.6.5 encodes them — metrics, GroupByField (size up to 2000, sorts, min_doc_count,
 * sub-aggregations, sub-group-bys, TopRows), GroupByFilter, GroupByRange, GroupByHistogram — over
 * every matching row, and refused on fields without `enable_sort_and_agg`. The corpus is the shape
 * the service needs facets for: messages by conversation, sender, type and day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from './helpers.ts'
import { createTable, expectOtsError, ignore, long, pk, plain, startHarness, TableStore } from './helpers.ts'
import type { SdkAggResult, SdkGroupByItem, SdkGroupByResult } from './sdk.ts'

const Q = TableStore.QueryType
const R = TableStore.ColumnReturnType
const A = TableStore.AggregationType
const G = TableStore.GroupByType
const { FieldType } = TableStore
const DESC = TableStore.SortOrder.SORT_ORDER_DESC
const ASC = TableStore.SortOrder.SORT_ORDER_ASC
const DAY = 86_400_000
const T0 = Date.UTC(2026, 10, 1)

// id, conversation, sender, type, day, minute, size, tags
const MESSAGES: [string, string, string, string, number, number, number, string[]][] = [
  ['m01', 'c1', 'alice', 'text', 0, 1, 10, ['work']],
  ['m02', 'c1', 'bob', 'text', 0, 2, 20, ['work', 'urgent']],
  ['m03', 'c1', 'alice', 'image', 1, 3, 300, []],
  ['m04', 'c1', '张伟', 'text', 2, 4, 15, ['家庭']],
  ['m05', 'c1', 'alice', 'file', 2, 5, 1000, ['work']],
  ['m06', 'c2', 'bob', 'text', 0, 6, 12, ['urgent']],
  ['m07', 'c2', '张伟', 'text', 1, 7, 8, []],
  ['m08', 'c2', 'bob', 'image', 3, 8, 500, ['家庭']],
  ['m09', 'c3', 'carol', 'text', 3, 9, 30, []],
  ['m10', 'c3', 'carol', 'text', 4, 10, 40, ['work']],
]

let h: Harness
beforeAll(async () => {
  h = await startHarness()
  await createTable(h.client, 'msg')
  await h.client.createSearchIndex({
    tableName: 'msg',
    indexName: 'msg_idx',
    schema: {
      fieldSchemas: [
        { fieldName: 'conversation', fieldType: FieldType.KEYWORD, enableSortAndAgg: true },
        { fieldName: 'sender', fieldType: FieldType.KEYWORD, enableSortAndAgg: true },
        { fieldName: 'type', fieldType: FieldType.KEYWORD, enableSortAndAgg: true },
        { fieldName: 'ts', fieldType: FieldType.LONG, enableSortAndAgg: true },
        { fieldName: 'size', fieldType: FieldType.DOUBLE, enableSortAndAgg: true },
        { fieldName: 'tags', fieldType: FieldType.KEYWORD, isAnArray: true, enableSortAndAgg: true },
        { fieldName: 'text', fieldType: FieldType.TEXT },
        { fieldName: 'plain', fieldType: FieldType.KEYWORD },
      ],
    },
  })
  const rows = MESSAGES.map(([id, conversation, sender, type, day, minute, size, tags]) => ({
    type: 'PUT',
    condition: ignore(),
    primaryKey: [{ id }],
    attributeColumns: [
      { conversation },
      { sender },
      { type },
      { ts: long(T0 + day * DAY + minute * 60_000) },
      { size },
      ...(tags.length > 0 ? [{ tags: JSON.stringify(tags) }] : []),
      { text: `message ${id} 消息` },
      { plain: 'p' },
    ],
  }))
  await h.client.batchWriteRow({ tables: [{ tableName: 'msg', rows }] })
})
afterAll(async () => {
  await h.emu.close()
})

const matchAll = { queryType: Q.MATCH_ALL_QUERY, query: {} }
const term = (fieldName: string, value: string) => ({
  queryType: Q.TERM_QUERY,
  query: { fieldName, term: value },
})
const search = (extra: object, query: object = matchAll) =>
  h.client.search({
    tableName: 'msg',
    indexName: 'msg_idx',
    searchQuery: { offset: 0, limit: 0, query, ...extra },
    columnToGet: { returnType: R.RETURN_NONE },
  })
const aggValues = (results: SdkAggResult[] | undefined) =>
  Object.fromEntries((results ?? []).map((a) => [a.name, plain(a.aggResult.value)]))
const groups = (result: SdkGroupByResult | undefined) =>
  (result?.groupByResult.items ?? []).map((i: SdkGroupByItem) => [i.key, plain(i.rowCount)])
const groupBy = (name: string, type: number, body: object) => ({
  groupBys: { groupBys: [{ name, type, body }] },
})

describe('metric aggregations', () => {
  it('count, distinct count, min, max, sum and avg over every matching row, not only the page', async () => {
    const res = await search(
      {
        aggs: {
          aggs: [
            { name: 'n', type: A.AGG_COUNT, body: { fieldName: 'sender' } },
            { name: 'senders', type: A.AGG_DISTINCT_COUNT, body: { fieldName: 'sender' } },
            { name: 'first', type: A.AGG_MIN, body: { fieldName: 'ts' } },
            { name: 'last', type: A.AGG_MAX, body: { fieldName: 'ts' } },
            { name: 'bytes', type: A.AGG_SUM, body: { fieldName: 'size' } },
            { name: 'mean', type: A.AGG_AVG, body: { fieldName: 'size' } },
            { name: 'tagged', type: A.AGG_COUNT, body: { fieldName: 'tags' } },
          ],
        },
      },
      term('conversation', 'c1'),
    )
    expect(res.rows).toEqual([])
    expect(aggValues(res.aggs?.aggResults)).toEqual({
      n: 5,
      senders: 3,
      first: T0 + 60_000,
      last: T0 + 2 * DAY + 5 * 60_000,
      bytes: 1345,
      mean: 269,
      tagged: 4,
    })
  })

  it('missing stands in for rows without a value', async () => {
    const res = await search({
      aggs: {
        aggs: [
          { name: 'tags', type: A.AGG_DISTINCT_COUNT, body: { fieldName: 'tags', missing: '(none)' } },
          { name: 'no_missing', type: A.AGG_DISTINCT_COUNT, body: { fieldName: 'tags' } },
        ],
      },
    })
    expect(aggValues(res.aggs?.aggResults)).toEqual({ tags: 4, no_missing: 3 })
  })
})

describe('GroupByField', () => {
  it('groups by value, most rows first by default, and counts a row once per distinct array value', async () => {
    const res = await search(groupBy('by_conv', G.GROUP_BY_FIELD, { fieldName: 'conversation', size: 10 }))
    expect(groups(res.groupBys?.groupByResults[0])).toEqual([
      ['c1', 5],
      ['c2', 3],
      ['c3', 2],
    ])
    const tags = await search(groupBy('by_tag', G.GROUP_BY_FIELD, { fieldName: 'tags', size: 10 }))
    expect(groups(tags.groupBys?.groupByResults[0])).toEqual([
      ['work', 4],
      ['urgent', 2],
      ['家庭', 2],
    ])
  })

  it('keeps size groups, drops groups under min_doc_count, and sorts by key or by a sub-aggregation', async () => {
    const bySize = await search(groupBy('g', G.GROUP_BY_FIELD, { fieldName: 'sender', size: 2 }))
    expect(groups(bySize.groupBys?.groupByResults[0])).toEqual([
      ['alice', 3],
      ['bob', 3],
    ])
    const byKey = await search(
      groupBy('g', G.GROUP_BY_FIELD, {
        fieldName: 'sender',
        size: 10,
        minDocCount: 2,
        sort: { sorters: [{ groupKeySort: { order: DESC } }] },
      }),
    )
    expect(groups(byKey.groupBys?.groupByResults[0])).toEqual([
      ['张伟', 2],
      ['carol', 2],
      ['bob', 3],
      ['alice', 3],
    ])
    const byLatest = await search(
      groupBy('g', G.GROUP_BY_FIELD, {
        fieldName: 'conversation',
        size: 10,
        sort: { sorters: [{ subAggSort: { subAggName: 'last', order: DESC } }] },
        subAggs: { aggs: [{ name: 'last', type: A.AGG_MAX, body: { fieldName: 'ts' } }] },
      }),
    )
    const items = byLatest.groupBys?.groupByResults[0]?.groupByResult.items ?? []
    expect(items.map((i) => [i.key, aggValues(i.subAggsResult?.aggResults).last])).toEqual([
      ['c3', T0 + 4 * DAY + 10 * 60_000],
      ['c2', T0 + 3 * DAY + 8 * 60_000],
      ['c1', T0 + 2 * DAY + 5 * 60_000],
    ])
  })

  it('runs sub-group-bys and TopRows in each group (per-conversation facets and latest message)', async () => {
    const res = await search(
      groupBy('conv', G.GROUP_BY_FIELD, {
        fieldName: 'conversation',
        size: 10,
        sort: { sorters: [{ groupKeySort: { order: ASC } }] },
        subGroupBys: {
          groupBys: [{ name: 'type', type: G.GROUP_BY_FIELD, body: { fieldName: 'type', size: 10 } }],
        },
        subAggs: {
          aggs: [
            {
              name: 'latest',
              type: A.AGG_TOP_ROWS,
              body: { limit: 1, sort: { sorters: [{ fieldSort: { fieldName: 'ts', order: DESC } }] } },
            },
          ],
        },
      }),
    )
    const items = res.groupBys?.groupByResults[0]?.groupByResult.items ?? []
    expect(
      items.map((i) => [
        i.key,
        groups(i.subGroupBysResult?.groupByResults[0]),
        i.subAggsResult?.aggResults[0]?.aggResult.rows?.map((r) => pk(r).id),
      ]),
    ).toEqual([
      [
        'c1',
        [
          ['text', 3],
          ['file', 1],
          ['image', 1],
        ],
        ['m05'],
      ],
      [
        'c2',
        [
          ['text', 2],
          ['image', 1],
        ],
        ['m08'],
      ],
      ['c3', [['text', 2]], ['m10']],
    ])
  })

  it('accepts a size of 2000 and refuses 2001', async () => {
    await search(groupBy('g', G.GROUP_BY_FIELD, { fieldName: 'sender', size: 2000 }))
    await expectOtsError(
      search(groupBy('g', G.GROUP_BY_FIELD, { fieldName: 'sender', size: 2001 })),
      400,
      'OTSParameterInvalid',
    )
  })
})

describe('GroupByFilter, GroupByRange and GroupByHistogram', () => {
  it('GroupByFilter counts the rows of each filter, in request order', async () => {
    const res = await search(
      groupBy('f', G.GROUP_BY_FILTER, {
        filters: [term('type', 'image'), term('sender', 'bob'), term('type', 'none')],
      }),
    )
    expect(res.groupBys?.groupByResults[0]?.groupByResult.items.map((i) => plain(i.rowCount))).toEqual([
      2, 3, 0,
    ])
  })

  it('GroupByRange counts [from, to) per range', async () => {
    const res = await search(
      groupBy('r', G.GROUP_BY_RANGE, {
        fieldName: 'size',
        ranges: [
          { from: 0, to: 20 },
          { from: 20, to: 1000 },
          { from: 1000, to: 1e9 },
        ],
      }),
    )
    expect(
      res.groupBys?.groupByResults[0]?.groupByResult.items.map((i) => [i.from, i.to, plain(i.rowCount)]),
    ).toEqual([
      [0, 20, 4],
      [20, 1000, 5],
      [1000, 1e9, 1],
    ])
  })

  it('GroupByHistogram buckets a LONG timestamp by day (UTC), key ascending, empty days left out', async () => {
    const res = await search(
      groupBy('day', G.GROUP_BY_HISTOGRAM, { fieldName: 'ts', interval: long(DAY), minDocCount: 1 }),
      term('conversation', 'c2'),
    )
    const items = res.groupBys?.groupByResults[0]?.groupByResult.items ?? []
    expect(items.map((i) => [plain(i.key as unknown), plain(i.value)])).toEqual([
      [T0, 1],
      [T0 + DAY, 1],
      [T0 + 3 * DAY, 1],
    ])
  })
})

describe('refusals', () => {
  it('aggregating or grouping on a field without enable_sort_and_agg, or on TEXT', async () => {
    const message = await expectOtsError(
      search({ aggs: { aggs: [{ name: 'n', type: A.AGG_COUNT, body: { fieldName: 'plain' } }] } }),
      400,
      'OTSParameterInvalid',
    )
    expect(message).toContain('enable_sort_and_agg')
    await expectOtsError(
      search(groupBy('g', G.GROUP_BY_FIELD, { fieldName: 'plain', size: 10 })),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      search(groupBy('g', G.GROUP_BY_FIELD, { fieldName: 'text', size: 10 })),
      400,
      'OTSParameterInvalid',
    )
  })

  it('TopRows outside a group, duplicate names, and date histograms (no DATE fields)', async () => {
    await expectOtsError(
      search({ aggs: { aggs: [{ name: 't', type: A.AGG_TOP_ROWS, body: { limit: 1 } }] } }),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      search({
        aggs: {
          aggs: [
            { name: 'x', type: A.AGG_COUNT, body: { fieldName: 'sender' } },
            { name: 'x', type: A.AGG_MAX, body: { fieldName: 'ts' } },
          ],
        },
      }),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      search(groupBy('d', G.GROUP_BY_DATE_HISTOGRAM, { fieldName: 'ts', interval: { value: 1, unit: 5 } })),
      400,
      'OTSParameterInvalid',
    )
  })
})
