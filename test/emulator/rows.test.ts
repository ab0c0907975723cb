import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from './helpers.ts'
import {
  attrs,
  createTable,
  expectExist,
  expectNotExist,
  expectOtsError,
  ignore,
  long,
  pk,
  startHarness,
  TableStore,
} from './helpers.ts'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
  await createTable(h.client, 'rows')
  await createTable(h.client, 'auto', [
    { name: 'part', type: 'STRING' },
    { name: 'seq', type: 'INTEGER', option: 'AUTO_INCREMENT' },
  ])
})
afterAll(async () => {
  await h.emu.close()
})

const get = async (id: string, extra: Record<string, unknown> = {}) =>
  (await h.client.getRow({ tableName: 'rows', primaryKey: [{ id }], ...extra })).row

describe('single-row operations', () => {
  it('round-trips every value type and timestamps', async () => {
    const bin = Buffer.from([0, 1, 2, 255])
    await h.client.putRow({
      tableName: 'rows',
      condition: ignore(),
      primaryKey: [{ id: 'types' }],
      attributeColumns: [
        { i: long(-42) },
        { d: 2.5 },
        { b: false },
        { s: '你好, world' },
        { bin },
        { ts: 'x', timestamp: 1234 },
      ],
    })
    const row = await get('types')
    expect(pk(row)).toEqual({ id: 'types' })
    expect(attrs(row)).toEqual({ b: false, bin, d: 2.5, i: -42, s: '你好, world', ts: 'x' })
    expect(row.attributes?.find((a) => a.columnName === 'ts')?.timestamp?.toNumber()).toBe(1234)
    // A missing row comes back as an empty object, as from the real service.
    expect(await get('missing')).toEqual({})
  })

  it('updates with PUT, DELETE (one version), DELETE_ALL and INCREMENT', async () => {
    await h.client.putRow({
      tableName: 'rows',
      condition: ignore(),
      primaryKey: [{ id: 'upd' }],
      attributeColumns: [{ keep: 'k' }, { gone: 'g' }, { versioned: 'v', timestamp: 1000 }, { n: long(10) }],
    })
    await h.client.updateRow({
      tableName: 'rows',
      condition: expectExist(),
      primaryKey: [{ id: 'upd' }],
      updateOfAttributeColumns: [
        { PUT: [{ added: 'a' }] },
        { DELETE_ALL: ['gone'] },
        { DELETE: [{ versioned: long(1000) }] },
        { INCREMENT: [{ n: long(5) }] },
      ],
    })
    expect(attrs(await get('upd'))).toEqual({ added: 'a', keep: 'k', n: 15 })
    // UpdateRow on a missing row with IGNORE creates it.
    await h.client.updateRow({
      tableName: 'rows',
      condition: ignore(),
      primaryKey: [{ id: 'upd-new' }],
      updateOfAttributeColumns: [{ INCREMENT: [{ counter: long(1) }] }],
    })
    expect(attrs(await get('upd-new'))).toEqual({ counter: 1 })
    // RT_AFTER_MODIFY returns the requested columns after the change (typically counters).
    const after = await h.client.updateRow({
      tableName: 'rows',
      condition: ignore(),
      primaryKey: [{ id: 'upd-new' }],
      updateOfAttributeColumns: [{ INCREMENT: [{ counter: long(4) }] }],
      returnContent: { returnType: TableStore.ReturnType.AfterModify, returnColumns: ['counter'] },
    })
    expect(attrs(after.row)).toEqual({ counter: 5 })
    await expectOtsError(
      h.client.updateRow({
        tableName: 'rows',
        condition: ignore(),
        primaryKey: [{ id: 'upd' }],
        updateOfAttributeColumns: [{ INCREMENT: [{ keep: long(1) }] }],
      }),
      400,
      'OTSParameterInvalid',
    )
  })

  it('checks row existence conditions', async () => {
    const put = (id: string, condition: object) =>
      h.client.putRow({ tableName: 'rows', condition, primaryKey: [{ id }], attributeColumns: [{ v: 'x' }] })
    await put('cond', expectNotExist())
    await expectOtsError(put('cond', expectNotExist()), 403, 'OTSConditionCheckFail')
    await put('cond', expectExist())
    await expectOtsError(put('cond-missing', expectExist()), 403, 'OTSConditionCheckFail')
    await expectOtsError(
      h.client.deleteRow({
        tableName: 'rows',
        condition: expectExist(),
        primaryKey: [{ id: 'cond-missing' }],
      }),
      403,
      'OTSConditionCheckFail',
    )
    await h.client.deleteRow({ tableName: 'rows', condition: expectExist(), primaryKey: [{ id: 'cond' }] })
    expect(await get('cond')).toEqual({})
  })

  it('checks column conditions (single and composite)', async () => {
    await h.client.putRow({
      tableName: 'rows',
      condition: ignore(),
      primaryKey: [{ id: 'colcond' }],
      attributeColumns: [{ version: long(3) }, { state: 'open' }],
    })
    const cond = (c: object) => new TableStore.Condition(TableStore.RowExistenceExpectation.EXPECT_EXIST, c)
    const versionIs = (n: number) =>
      new TableStore.SingleColumnCondition('version', long(n), TableStore.ComparatorType.EQUAL)
    const update = (condition: object, value: string) =>
      h.client.updateRow({
        tableName: 'rows',
        condition,
        primaryKey: [{ id: 'colcond' }],
        updateOfAttributeColumns: [{ PUT: [{ state: value }] }],
      })
    await expectOtsError(update(cond(versionIs(2)), 'x'), 403, 'OTSConditionCheckFail')
    await update(cond(versionIs(3)), 'closed')
    const both = new TableStore.CompositeCondition(TableStore.LogicalOperator.AND)
    both.addSubCondition(versionIs(3))
    both.addSubCondition(
      new TableStore.SingleColumnCondition('state', 'closed', TableStore.ComparatorType.EQUAL),
    )
    await update(cond(both), 'archived')
    // A missing column fails the condition unless passIfMissing is set.
    const missing = new TableStore.SingleColumnCondition('nope', 'x', TableStore.ComparatorType.EQUAL, false)
    await expectOtsError(update(cond(missing), 'y'), 403, 'OTSConditionCheckFail')
    const passIfMissing = new TableStore.SingleColumnCondition(
      'nope',
      'x',
      TableStore.ComparatorType.EQUAL,
      true,
    )
    await update(cond(passIfMissing), 'z')
    expect(attrs(await get('colcond')).state).toBe('z')
    // At most 10 column conditions in one condition (nested ones counted too).
    const allOf = (n: number) => {
      const inner = new TableStore.CompositeCondition(TableStore.LogicalOperator.AND)
      for (let i = 0; i < n - 1; i++) inner.addSubCondition(versionIs(3))
      const outer = new TableStore.CompositeCondition(TableStore.LogicalOperator.AND)
      outer.addSubCondition(inner)
      outer.addSubCondition(passIfMissing)
      return outer
    }
    await update(cond(allOf(10)), 'ten')
    expect(attrs(await get('colcond')).state).toBe('ten')
    await expectOtsError(update(cond(allOf(11)), 'eleven'), 400, 'OTSParameterInvalid')
    expect(attrs(await get('colcond')).state).toBe('ten')
  })

  it('applies read filters and columns to get on GetRow', async () => {
    await h.client.putRow({
      tableName: 'rows',
      condition: ignore(),
      primaryKey: [{ id: 'read' }],
      attributeColumns: [{ a: 'A' }, { b: 'B' }, { c: long(1) }],
    })
    expect(attrs(await get('read', { columnsToGet: ['a', 'c'] }))).toEqual({ a: 'A', c: 1 })
    expect(await get('read', { columnsToGet: ['zzz'] })).toEqual({})
    const filter = new TableStore.SingleColumnCondition('c', long(2), TableStore.ComparatorType.EQUAL)
    expect(await get('read', { columnFilter: filter })).toEqual({})
    const pass = new TableStore.SingleColumnCondition('c', long(1), TableStore.ComparatorType.GREATER_EQUAL)
    expect(attrs(await get('read', { columnFilter: pass }))).toEqual({ a: 'A', b: 'B', c: 1 })
  })

  it('validates primary keys against the schema', async () => {
    await expectOtsError(get(long(1) as unknown as string), 400, 'OTSInvalidPK')
    await expectOtsError(
      h.client.putRow({
        tableName: 'rows',
        condition: ignore(),
        primaryKey: [{ other: 'x' }],
        attributeColumns: [],
      }),
      400,
      'OTSInvalidPK',
    )
    await expectOtsError(
      h.client.putRow({
        tableName: 'nope',
        condition: ignore(),
        primaryKey: [{ id: 'x' }],
        attributeColumns: [],
      }),
      404,
      'OTSObjectNotExist',
    )
  })

  it('fills auto-increment keys and returns them with ReturnType RT_PK', async () => {
    const seqs: number[] = []
    for (let i = 0; i < 3; i++) {
      const res = await h.client.putRow({
        tableName: 'auto',
        condition: ignore(),
        primaryKey: [{ part: 'p' }, { seq: TableStore.PK_AUTO_INCR }],
        attributeColumns: [{ i: long(i) }],
        returnContent: { returnType: TableStore.ReturnType.Primarykey },
      })
      expect(pk(res.row).part).toBe('p')
      seqs.push(pk(res.row).seq as number)
    }
    expect(seqs[0]).toBeLessThan(seqs[1] as number)
    expect(seqs[1]).toBeLessThan(seqs[2] as number)
    const row = await h.client.getRow({
      tableName: 'auto',
      primaryKey: [{ part: 'p' }, { seq: long(seqs[1] as number) }],
    })
    expect(attrs(row.row)).toEqual({ i: 1 })
    // Without a return type the response row is empty.
    const plainPut = await h.client.putRow({
      tableName: 'auto',
      condition: ignore(),
      primaryKey: [{ part: 'p' }, { seq: TableStore.PK_AUTO_INCR }],
      attributeColumns: [{ i: long(9) }],
    })
    expect(plainPut.row).toEqual({})
    // The auto-increment placeholder is refused where it makes no sense.
    await expectOtsError(
      h.client.putRow({
        tableName: 'rows',
        condition: ignore(),
        primaryKey: [{ id: TableStore.PK_AUTO_INCR }],
        attributeColumns: [],
      }),
      400,
      'OTSParameterInvalid',
    )
  })
})

describe('batch operations', () => {
  it('writes many rows with per-row results', async () => {
    await h.client.putRow({
      tableName: 'rows',
      condition: ignore(),
      primaryKey: [{ id: 'b-exists' }],
      attributeColumns: [{ v: 'old' }],
    })
    const res = await h.client.batchWriteRow({
      tables: [
        {
          tableName: 'rows',
          rows: [
            {
              type: 'PUT',
              condition: ignore(),
              primaryKey: [{ id: 'b1' }],
              attributeColumns: [{ v: 'one' }],
            },
            {
              type: 'PUT',
              condition: expectNotExist(),
              primaryKey: [{ id: 'b-exists' }],
              attributeColumns: [{ v: 'x' }],
            },
            {
              type: 'UPDATE',
              condition: ignore(),
              primaryKey: [{ id: 'b-upd' }],
              attributeColumns: [{ PUT: [{ w: 'new' }] }],
            },
            { type: 'DELETE', condition: ignore(), primaryKey: [{ id: 'read' }] },
          ],
        },
      ],
    })
    expect(res.tables.map((r) => [r.tableName, r.isOk, r.errorCode])).toEqual([
      ['rows', true, null],
      ['rows', false, 'OTSConditionCheckFail'],
      ['rows', true, null],
      ['rows', true, null],
    ])
    expect(attrs(await get('b1'))).toEqual({ v: 'one' })
    expect(attrs(await get('b-exists'))).toEqual({ v: 'old' })
    expect(attrs(await get('b-upd'))).toEqual({ w: 'new' })
    expect(await get('read')).toEqual({})
  })

  it('reads many rows across tables in request order', async () => {
    const res = await h.client.batchGetRow({
      tables: [
        {
          tableName: 'rows',
          primaryKey: [[{ id: 'b1' }], [{ id: 'absent' }], [{ id: 'b-exists' }]],
          columnsToGet: ['v'],
        },
      ],
    })
    const [rows] = res.tables
    expect(
      rows?.map((r) => [
        r.isOk,
        r.primaryKey ? pk(r as never) : null,
        r.attributes ? attrs(r as never) : null,
      ]),
    ).toEqual([
      [true, { id: 'b1' }, { v: 'one' }],
      [true, null, null],
      [true, { id: 'b-exists' }, { v: 'old' }],
    ])
  })
})
