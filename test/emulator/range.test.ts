import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from './helpers.ts'
import { attrs, createTable, expectOtsError, ignore, long, pk, startHarness, TableStore } from './helpers.ts'

let h: Harness
const { INF_MIN, INF_MAX } = TableStore

beforeAll(async () => {
  h = await startHarness()
  await createTable(h.client, 'grid', [
    { name: 'g', type: 'STRING' },
    { name: 'n', type: 'INTEGER' },
  ])
  const rows = []
  for (const g of ['a', 'b', 'B', 'é']) for (const n of [-5, 2, 10, 100]) rows.push({ g, n })
  await h.client.batchWriteRow({
    tables: [
      {
        tableName: 'grid',
        rows: rows.map(({ g, n }) => ({
          type: 'PUT',
          condition: ignore(),
          primaryKey: [{ g }, { n: long(n) }],
          attributeColumns: [{ label: `${g}${n}` }, { even: n % 2 === 0 }],
        })),
      },
    ],
  })
})
afterAll(async () => {
  await h.emu.close()
})

type Bound = Record<string, unknown>[]
const range = (direction: string, start: Bound, end: Bound, extra: Record<string, unknown> = {}) =>
  h.client.getRange({
    tableName: 'grid',
    direction,
    inclusiveStartPrimaryKey: start,
    exclusiveEndPrimaryKey: end,
    ...extra,
  })

const keys = (rows: { primaryKey: { name: string; value: unknown }[] }[]) =>
  rows.map((r) => {
    const k = pk(r)
    return `${k.g}${k.n}`
  })

describe('GetRange', () => {
  it('orders by key columns: strings bytewise, integers numerically', async () => {
    const res = await range(
      TableStore.Direction.FORWARD,
      [{ g: INF_MIN }, { n: INF_MIN }],
      [{ g: INF_MAX }, { n: INF_MAX }],
    )
    expect(keys(res.rows)).toEqual([
      'B-5',
      'B2',
      'B10',
      'B100',
      'a-5',
      'a2',
      'a10',
      'a100',
      'b-5',
      'b2',
      'b10',
      'b100',
      'é-5',
      'é2',
      'é10',
      'é100',
    ])
    expect(res.nextStartPrimaryKey).toBeNull()
  })

  it('pages forward with limit and nextStartPrimaryKey', async () => {
    const seen: string[] = []
    let start: Bound = [{ g: 'a' }, { n: INF_MIN }]
    for (;;) {
      const res = await range(TableStore.Direction.FORWARD, start, [{ g: 'b' }, { n: long(10) }], {
        limit: 3,
      })
      seen.push(...keys(res.rows))
      if (!res.nextStartPrimaryKey) break
      start = res.nextStartPrimaryKey.map((c) => ({ [c.name]: c.value }))
    }
    expect(seen).toEqual(['a-5', 'a2', 'a10', 'a100', 'b-5', 'b2'])
  })

  it('pages backward from the start key down to the exclusive end key', async () => {
    const seen: string[] = []
    let start: Bound = [{ g: 'b' }, { n: INF_MAX }]
    for (;;) {
      const res = await range(TableStore.Direction.BACKWARD, start, [{ g: 'a' }, { n: long(2) }], {
        limit: 2,
      })
      seen.push(...keys(res.rows))
      if (!res.nextStartPrimaryKey) break
      start = res.nextStartPrimaryKey.map((c) => ({ [c.name]: c.value }))
    }
    expect(seen).toEqual(['b100', 'b10', 'b2', 'b-5', 'a100', 'a10'])
  })

  it('returns only the requested columns and applies column filters', async () => {
    const res = await range(
      TableStore.Direction.FORWARD,
      [{ g: 'a' }, { n: INF_MIN }],
      [{ g: 'a' }, { n: INF_MAX }],
      {
        columnsToGet: ['label'],
        columnFilter: new TableStore.SingleColumnCondition(
          'label',
          'a2',
          TableStore.ComparatorType.NOT_EQUAL,
        ),
      },
    )
    expect(res.rows.map((r) => attrs(r))).toEqual([{ label: 'a-5' }, { label: 'a10' }, { label: 'a100' }])
  })

  it('rejects inverted ranges and malformed bounds', async () => {
    await expectOtsError(
      range(TableStore.Direction.FORWARD, [{ g: 'b' }, { n: INF_MIN }], [{ g: 'a' }, { n: INF_MIN }]),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      range(TableStore.Direction.BACKWARD, [{ g: 'a' }, { n: INF_MIN }], [{ g: 'b' }, { n: INF_MIN }]),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      range(TableStore.Direction.FORWARD, [{ g: INF_MIN }], [{ g: INF_MAX }]),
      400,
      'OTSInvalidPK',
    )
  })
})

describe('global secondary index', () => {
  it('is maintained on put, update and delete and readable with GetRange', async () => {
    await h.client.createTable({
      tableMeta: {
        tableName: 'msgs',
        primaryKey: [{ name: 'id', type: 'STRING' }],
        definedColumn: [
          { name: 'conv', type: TableStore.DefinedColumnType.DCT_STRING },
          { name: 'ts', type: TableStore.DefinedColumnType.DCT_INTEGER },
          { name: 'body', type: TableStore.DefinedColumnType.DCT_STRING },
        ],
      },
      reservedThroughput: { capacityUnit: { read: 0, write: 0 } },
      tableOptions: { timeToLive: -1, maxVersions: 1 },
      indexMetas: [{ name: 'msgs_by_conv', primaryKey: ['conv', 'ts'], definedColumn: ['body'] }],
    })
    const put = (id: string, conv: string, ts: number, body: string) =>
      h.client.putRow({
        tableName: 'msgs',
        condition: ignore(),
        primaryKey: [{ id }],
        attributeColumns: [{ conv }, { ts: long(ts) }, { body }, { extra: 'not in index' }],
      })
    await put('m1', 'c1', 30, 'third')
    await put('m2', 'c1', 10, 'first')
    await put('m3', 'c2', 20, 'other')
    await put('m4', 'c1', 20, 'second')
    // A row without the index key columns has no index row.
    await h.client.putRow({
      tableName: 'msgs',
      condition: ignore(),
      primaryKey: [{ id: 'm5' }],
      attributeColumns: [{ body: 'orphan' }],
    })

    const readConv = async (conv: string) => {
      const res = await h.client.getRange({
        tableName: 'msgs_by_conv',
        direction: TableStore.Direction.FORWARD,
        inclusiveStartPrimaryKey: [{ conv }, { ts: INF_MIN }, { id: INF_MIN }],
        exclusiveEndPrimaryKey: [{ conv }, { ts: INF_MAX }, { id: INF_MAX }],
      })
      return res.rows.map((r) => ({ ...pk(r), ...attrs(r) }))
    }
    // Index PK = index columns, then the remaining base PK columns; attributes = defined columns only.
    expect(await readConv('c1')).toEqual([
      { conv: 'c1', ts: 10, id: 'm2', body: 'first' },
      { conv: 'c1', ts: 20, id: 'm4', body: 'second' },
      { conv: 'c1', ts: 30, id: 'm1', body: 'third' },
    ])
    await h.client.updateRow({
      tableName: 'msgs',
      condition: ignore(),
      primaryKey: [{ id: 'm1' }],
      updateOfAttributeColumns: [{ PUT: [{ conv: 'c2' }] }],
    })
    await h.client.deleteRow({ tableName: 'msgs', condition: ignore(), primaryKey: [{ id: 'm2' }] })
    expect((await readConv('c1')).map((r) => r.id)).toEqual(['m4'])
    expect((await readConv('c2')).map((r) => r.id)).toEqual(['m3', 'm1'])
    const point = await h.client.getRow({
      tableName: 'msgs_by_conv',
      primaryKey: [{ conv: 'c2' }, { ts: long(30) }, { id: 'm1' }],
    })
    expect(attrs(point.row)).toEqual({ body: 'third' })
    // Index tables are read-only.
    await expectOtsError(
      h.client.putRow({
        tableName: 'msgs_by_conv',
        condition: ignore(),
        primaryKey: [{ conv: 'x' }],
        attributeColumns: [],
      }),
      400,
      'OTSParameterInvalid',
    )
  })
})
