import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from './helpers.ts'
import { attrs, createTable, expectOtsError, ignore, long, pk, startHarness, TableStore } from './helpers.ts'

const Q = TableStore.QueryType
const R = TableStore.ColumnReturnType
const LAG_MS = 150
let lagged: Harness
let h: Harness

async function setup(harness: Harness): Promise<void> {
  await createTable(harness.client, 'items')
  await harness.client.createSearchIndex({
    tableName: 'items',
    indexName: 'items_idx',
    schema: {
      fieldSchemas: [
        { fieldName: 'kind', fieldType: TableStore.FieldType.KEYWORD },
        { fieldName: 'n', fieldType: TableStore.FieldType.LONG },
      ],
    },
  })
}

beforeAll(async () => {
  lagged = await startHarness({ indexLagMs: LAG_MS })
  h = await startHarness()
  await setup(lagged)
  await setup(h)
  const rows = Array.from({ length: 9 }, (_, i) => ({
    type: 'PUT',
    condition: ignore(),
    primaryKey: [{ id: `i${i}` }],
    attributeColumns: [{ kind: i % 3 === 0 ? 'odd' : 'even' }, { n: long(i) }, { secret: 'table only' }],
  }))
  await h.client.batchWriteRow({ tables: [{ tableName: 'items', rows }] })
})
afterAll(async () => {
  await lagged.emu.close()
  await h.emu.close()
})

const kindIds = async (harness: Harness, kind: string) => {
  const res = await harness.client.search({
    tableName: 'items',
    indexName: 'items_idx',
    searchQuery: {
      offset: 0,
      limit: 10,
      query: { queryType: Q.TERM_QUERY, query: { fieldName: 'kind', term: kind } },
    },
    columnToGet: { returnType: R.RETURN_NONE },
  })
  return res.rows.map((r) => pk(r).id)
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('index lag', () => {
  it('makes writes visible to search only after the configured lag, while GetRow sees them at once', async () => {
    await lagged.client.putRow({
      tableName: 'items',
      condition: ignore(),
      primaryKey: [{ id: 'a' }],
      attributeColumns: [{ kind: 'k' }],
    })
    expect(
      attrs((await lagged.client.getRow({ tableName: 'items', primaryKey: [{ id: 'a' }] })).row),
    ).toEqual({ kind: 'k' })
    expect(await kindIds(lagged, 'k')).toEqual([])
    await sleep(LAG_MS + 50)
    expect(await kindIds(lagged, 'k')).toEqual(['a'])
    await lagged.client.deleteRow({ tableName: 'items', condition: ignore(), primaryKey: [{ id: 'a' }] })
    expect(await kindIds(lagged, 'k')).toEqual(['a'])
    await sleep(LAG_MS + 50)
    expect(await kindIds(lagged, 'k')).toEqual([])
  })

  it('is synchronous by default', async () => {
    await h.client.putRow({
      tableName: 'items',
      condition: ignore(),
      primaryKey: [{ id: 'now' }],
      attributeColumns: [{ kind: 'instant' }],
    })
    expect(await kindIds(h, 'instant')).toEqual(['now'])
  })
})

describe('ComputeSplits and ParallelScan', () => {
  it('exports every match in pages with a token, from a snapshot', async () => {
    const splits = await h.client.computeSplits({
      tableName: 'items',
      searchIndexSplitsOptions: { indexName: 'items_idx' },
    })
    expect(splits.splitsSize).toBe(1)
    const scan = (token?: Buffer) =>
      h.client.parallelScan({
        tableName: 'items',
        indexName: 'items_idx',
        columnToGet: { returnType: R.RETURN_ALL_FROM_INDEX },
        sessionId: splits.sessionId,
        scanQuery: {
          query: { queryType: Q.TERM_QUERY, query: { fieldName: 'kind', term: 'even' } },
          limit: 2,
          aliveTime: 30,
          currentParallelId: 0,
          maxParallel: 1,
          ...(token ? { token } : {}),
        },
      })
    const seen: string[] = []
    let res = await scan()
    // Written after the first scan call: not in this session's snapshot.
    await h.client.putRow({
      tableName: 'items',
      condition: ignore(),
      primaryKey: [{ id: 'late' }],
      attributeColumns: [{ kind: 'even' }],
    })
    for (;;) {
      seen.push(...res.rows.map((r) => String(pk(r).id)))
      for (const r of res.rows) expect(Object.keys(attrs(r)).sort()).toEqual(['kind', 'n'])
      if (!res.nextToken || res.nextToken.length === 0) break
      res = await scan(res.nextToken)
    }
    expect(seen).toEqual(['i1', 'i2', 'i4', 'i5', 'i7', 'i8'])
  })

  it('enforces the scan limits and session rules', async () => {
    const { sessionId } = await h.client.computeSplits({
      tableName: 'items',
      searchIndexSplitsOptions: { indexName: 'items_idx' },
    })
    const scan = (
      scanQuery: object,
      columnToGet: object = { returnType: R.RETURN_NONE },
      sid: Buffer = sessionId,
    ) =>
      h.client.parallelScan({
        tableName: 'items',
        indexName: 'items_idx',
        columnToGet,
        sessionId: sid,
        scanQuery: {
          query: { queryType: Q.MATCH_ALL_QUERY },
          currentParallelId: 0,
          maxParallel: 1,
          ...scanQuery,
        },
      })
    expect((await scan({ limit: 2000 })).rows.length).toBeGreaterThan(0)
    await expectOtsError(scan({ limit: 2001 }), 400, 'OTSParameterInvalid')
    await expectOtsError(scan({ limit: 10, maxParallel: 2 }), 400, 'OTSParameterInvalid')
    await expectOtsError(scan({ limit: 10 }, { returnType: R.RETURN_ALL }), 400, 'OTSParameterInvalid')
    await expectOtsError(scan({ limit: 10 }, undefined, Buffer.from('nope')), 400, 'OTSParameterInvalid')
  })
})
