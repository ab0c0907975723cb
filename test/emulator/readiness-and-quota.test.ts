/**
 * @module Issue #12, part 1, step 1: what a fresh Tablestore instance does that an always-ready one
 * would hide — a new table refuses reads and writes for a while (retryable), a new search index
 * answers without the rows that existed before it until its full sync, the instance holds at most
 * 64 tables (index tables included), a search may answer from part of its shards, and the emulator
 * counts round trips per operation.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Harness } from './helpers.ts'
import { attrs, createTable, expectOtsError, ignore, pk, startHarness, TableStore } from './helpers.ts'

const Q = TableStore.QueryType
const R = TableStore.ColumnReturnType

let h: Harness | undefined
afterEach(async () => {
  await h?.emu.close()
  h = undefined
})

const put = (harness: Harness, table: string, id: string) =>
  harness.client.putRow({
    tableName: table,
    condition: ignore(),
    primaryKey: [{ id }],
    attributeColumns: [{ kind: 'k' }],
  })

const searchIds = async (harness: Harness, table: string, index: string) => {
  const res = await harness.client.search({
    tableName: table,
    indexName: index,
    searchQuery: {
      offset: 0,
      limit: 100,
      query: { queryType: Q.MATCH_ALL_QUERY, query: {} },
      getTotalCount: true,
    },
    columnToGet: { returnType: R.RETURN_NONE },
  })
  return {
    ids: res.rows.map((r) => String(pk(r).id)).sort(),
    total: Number(res.totalCounts),
    ok: res.isAllSucceeded,
  }
}

describe('a new table is not ready at once (CreateTable usage notes)', () => {
  it('refuses reads and writes with 503 OTSTableNotReady until tableReadyMs have passed, writing nothing', async () => {
    let now = 1_000_000
    h = await startHarness({ tableReadyMs: 60_000, clock: () => now })
    const harness = h
    await createTable(harness.client, 't')
    await expectOtsError(put(harness, 't', 'a'), 503, 'OTSTableNotReady')
    await expectOtsError(
      harness.client.getRow({ tableName: 't', primaryKey: [{ id: 'a' }] }),
      503,
      'OTSTableNotReady',
    )
    await expectOtsError(
      harness.client.getRange({
        tableName: 't',
        direction: TableStore.Direction.FORWARD,
        inclusiveStartPrimaryKey: [{ id: TableStore.INF_MIN }],
        exclusiveEndPrimaryKey: [{ id: TableStore.INF_MAX }],
      }),
      503,
      'OTSTableNotReady',
    )
    // DescribeTable answers meanwhile: it is how a client learns the table exists.
    await harness.client.describeTable({ tableName: 't' })
    // In a batch the table's rows fail one by one, as rows of an unavailable partition do.
    const batch = await harness.client.batchWriteRow({
      tables: [
        {
          tableName: 't',
          rows: [
            {
              type: 'PUT',
              condition: ignore(),
              primaryKey: [{ id: 'b' }],
              attributeColumns: [{ kind: 'k' }],
            },
          ],
        },
      ],
    })
    expect(batch.tables[0]).toMatchObject({ isOk: false, errorCode: 'OTSTableNotReady' })
    now += 59_999
    await expectOtsError(put(harness, 't', 'a'), 503, 'OTSTableNotReady')
    now += 1
    await put(harness, 't', 'a')
    const got = await harness.client.getRow({ tableName: 't', primaryKey: [{ id: 'a' }] })
    expect(attrs(got.row)).toEqual({ kind: 'k' })
    const none = await harness.client.getRow({ tableName: 't', primaryKey: [{ id: 'b' }] })
    expect(attrs(none.row)).toEqual({})
  })

  it('is ready at once by default', async () => {
    h = await startHarness()
    await createTable(h.client, 't')
    await put(h, 't', 'a')
  })
})

describe('a new search index syncs the existing rows first (limits on search indexes)', () => {
  it('answers without the rows written before CreateSearchIndex until indexReadyMs, reports SyncPhase FULL meanwhile, then catches up', async () => {
    let now = 1_000_000
    h = await startHarness({ indexReadyMs: 60_000, clock: () => now })
    const harness = h
    await createTable(harness.client, 't')
    await put(harness, 't', 'old1')
    await put(harness, 't', 'old2')
    await harness.client.createSearchIndex({
      tableName: 't',
      indexName: 'idx',
      schema: { fieldSchemas: [{ fieldName: 'kind', fieldType: TableStore.FieldType.KEYWORD }] },
    })
    await put(harness, 't', 'new')
    await harness.client.deleteRow({ tableName: 't', condition: ignore(), primaryKey: [{ id: 'old2' }] })
    expect((await searchIds(harness, 't', 'idx')).ids).toEqual(['new'])
    const during = await harness.client.describeSearchIndex({ tableName: 't', indexName: 'idx' })
    expect(during.syncStat?.syncPhase).toBe(1)
    now += 60_000
    expect((await searchIds(harness, 't', 'idx')).ids).toEqual(['new', 'old1'])
    const after = await harness.client.describeSearchIndex({ tableName: 't', indexName: 'idx' })
    expect(after.syncStat?.syncPhase).toBe(2)
  })
})

describe('the table quota (general limits: 64 tables per instance, index tables included)', () => {
  it('refuses CreateTable and CreateIndex past maxTables with 403 OTSQuotaExhausted, creating nothing', async () => {
    h = await startHarness({ maxTables: 3 })
    await createTable(h.client, 'a', [{ name: 'id', type: 'STRING' }], {
      tableMeta: {
        tableName: 'a',
        primaryKey: [{ name: 'id', type: 'STRING' }],
        definedColumn: [{ name: 'v', type: TableStore.DefinedColumnType.DCT_STRING }],
      },
      indexMetas: [{ name: 'a_by_v', primaryKey: ['v'], definedColumn: [] }],
    })
    await createTable(h.client, 'b')
    await expectOtsError(createTable(h.client, 'c'), 403, 'OTSQuotaExhausted')
    await expectOtsError(
      h.client.createIndex({
        mainTableName: 'b',
        indexMeta: { name: 'b_idx', primaryKey: ['id'], definedColumn: [] },
      }),
      403,
      'OTSQuotaExhausted',
    )
    expect((await h.client.listTable({})).tableNames).toEqual(['a', 'b'])
    await h.client.deleteTable({ tableName: 'b' })
    await createTable(h.client, 'c')
  })

  it('allows 64 tables by default and refuses the 65th', async () => {
    h = await startHarness()
    expect(h.emu.maxTables).toBe(64)
    for (let i = 0; i < 64; i++) await createTable(h.client, `t${i}`)
    await expectOtsError(createTable(h.client, 't64'), 403, 'OTSQuotaExhausted')
  })
})

describe('a partial search answer (Search: is_all_succeeded)', () => {
  it('answers is_all_succeeded false with part of the rows and a total that counts only them', async () => {
    h = await startHarness()
    await createTable(h.client, 't')
    await h.client.createSearchIndex({
      tableName: 't',
      indexName: 'idx',
      schema: { fieldSchemas: [{ fieldName: 'kind', fieldType: TableStore.FieldType.KEYWORD }] },
    })
    for (let i = 0; i < 20; i++) await put(h, 't', `r${i}`)
    const whole = await searchIds(h, 't', 'idx')
    expect(whole).toMatchObject({ ok: true, total: 20 })
    h.emu.faults.inject({ kind: 'partial', count: 1 })
    const part = await searchIds(h, 't', 'idx')
    expect(part.ok).toBe(false)
    expect(part.ids.length).toBeGreaterThan(0)
    expect(part.ids.length).toBeLessThan(20)
    expect(part.total).toBe(part.ids.length)
    expect(part.ids.every((id) => whole.ids.includes(id))).toBe(true)
    expect(await searchIds(h, 't', 'idx')).toMatchObject({ ok: true, total: 20 })
    expect(h.emu.faults.counts()).toEqual({ partial: 1 })
  })

  it('applies to Search only', async () => {
    h = await startHarness()
    expect(() => h?.emu.faults.inject({ kind: 'partial', operations: ['GetRow'] })).toThrow(/Search only/)
  })
})

describe('request counts per operation (round trips)', () => {
  it('counts every request by operation, refused ones included, and starts again from zero on reset', async () => {
    h = await startHarness()
    await createTable(h.client, 't')
    await put(h, 't', 'a')
    await put(h, 't', 'b')
    await expectOtsError(
      h.client.getRow({ tableName: 'missing', primaryKey: [{ id: 'a' }] }),
      404,
      'OTSObjectNotExist',
    )
    expect(h.emu.requestCounts()).toEqual({ CreateTable: 1, PutRow: 2, GetRow: 1 })
    h.emu.resetRequestCounts()
    await h.client.getRow({ tableName: 't', primaryKey: [{ id: 'a' }] })
    expect(h.emu.requestCounts()).toEqual({ GetRow: 1 })
  })
})
