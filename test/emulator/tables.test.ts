import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from './helpers.ts'
import { createTable, expectOtsError, ignore, long, startHarness, TableStore } from './helpers.ts'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => {
  await h.emu.close()
})

describe('table operations', () => {
  it('creates, lists, describes and deletes tables', async () => {
    await createTable(h.client, 'tbl_a')
    await createTable(h.client, 'tbl_b', [
      { name: 'pk1', type: 'STRING' },
      { name: 'pk2', type: 'INTEGER', option: 'AUTO_INCREMENT' },
    ])
    expect((await h.client.listTable({})).tableNames).toEqual(expect.arrayContaining(['tbl_a', 'tbl_b']))

    const described = await h.client.describeTable({ tableName: 'tbl_b' })
    expect(described.tableMeta.tableName).toBe('tbl_b')
    // pbjs puts the enum default (AUTO_INCREMENT = 1) on the prototype, so presence is an own property.
    const option = (c: object & { option?: number }) => (Object.hasOwn(c, 'option') ? c.option : null)
    expect(described.tableMeta.primaryKey.map((c) => [c.name, c.type, option(c)])).toEqual([
      ['pk1', TableStore.PrimaryKeyType.STRING, null],
      ['pk2', TableStore.PrimaryKeyType.INTEGER, TableStore.PrimaryKeyOption.AUTO_INCREMENT],
    ])
    expect(described.tableOptions.maxVersions).toBe(1)
    expect(described.tableOptions.timeToLive).toBe(-1)

    await h.client.deleteTable({ tableName: 'tbl_a' })
    expect((await h.client.listTable({})).tableNames).not.toContain('tbl_a')
  })

  it('answers Tablestore errors for duplicates, missing tables and bad schemas', async () => {
    await createTable(h.client, 'tbl_dup')
    await expectOtsError(createTable(h.client, 'tbl_dup'), 409, 'OTSObjectAlreadyExist')
    await expectOtsError(h.client.describeTable({ tableName: 'nope' }), 404, 'OTSObjectNotExist')
    await expectOtsError(h.client.deleteTable({ tableName: 'nope' }), 404, 'OTSObjectNotExist')
    await expectOtsError(
      createTable(
        h.client,
        'tbl_five',
        ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, type: 'STRING' })),
      ),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      createTable(h.client, 'tbl_autofirst', [{ name: 'id', type: 'INTEGER', option: 'AUTO_INCREMENT' }]),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(createTable(h.client, '9bad-name'), 400, 'OTSParameterInvalid')
  })

  it('refuses table options it does not emulate instead of ignoring them', async () => {
    const msg = await expectOtsError(
      h.client.createTable({
        tableMeta: { tableName: 'tbl_ttl', primaryKey: [{ name: 'id', type: 'STRING' }] },
        reservedThroughput: { capacityUnit: { read: 0, write: 0 } },
        tableOptions: { timeToLive: 3600, maxVersions: 1 },
      }),
      400,
      'OTSParameterInvalid',
    )
    expect(msg).toContain('not supported by the local emulator')
  })

  it('creates global secondary indexes at table creation and with CreateIndex, and drops them', async () => {
    await h.client.createTable({
      tableMeta: {
        tableName: 'tbl_gsi',
        primaryKey: [{ name: 'id', type: 'STRING' }],
        definedColumn: [
          { name: 'owner', type: TableStore.DefinedColumnType.DCT_STRING },
          { name: 'score', type: TableStore.DefinedColumnType.DCT_INTEGER },
        ],
      },
      reservedThroughput: { capacityUnit: { read: 0, write: 0 } },
      tableOptions: { timeToLive: -1, maxVersions: 1 },
      indexMetas: [{ name: 'tbl_gsi_by_owner', primaryKey: ['owner'], definedColumn: ['score'] }],
    })
    await h.client.putRow({
      tableName: 'tbl_gsi',
      condition: ignore(),
      primaryKey: [{ id: 'r1' }],
      attributeColumns: [{ owner: 'ann' }, { score: long(3) }],
    })
    await h.client.createIndex({
      mainTableName: 'tbl_gsi',
      indexMeta: { name: 'tbl_gsi_by_score', primaryKey: ['score'], definedColumn: [] },
      includeBaseData: true,
    })
    const described = await h.client.describeTable({ tableName: 'tbl_gsi' })
    expect(described.indexMetas.map((i) => [i.name, i.primaryKey, i.definedColumn])).toEqual([
      ['tbl_gsi_by_owner', ['owner'], ['score']],
      ['tbl_gsi_by_score', ['score'], []],
    ])
    // include_base_data back-filled the existing row into the new index.
    const range = await h.client.getRange({
      tableName: 'tbl_gsi_by_score',
      direction: TableStore.Direction.FORWARD,
      inclusiveStartPrimaryKey: [{ score: TableStore.INF_MIN }, { id: TableStore.INF_MIN }],
      exclusiveEndPrimaryKey: [{ score: TableStore.INF_MAX }, { id: TableStore.INF_MAX }],
    })
    expect(range.rows).toHaveLength(1)
    await h.client.dropIndex({ mainTableName: 'tbl_gsi', indexName: 'tbl_gsi_by_score' })
    expect((await h.client.describeTable({ tableName: 'tbl_gsi' })).indexMetas.map((i) => i.name)).toEqual([
      'tbl_gsi_by_owner',
    ])
    await expectOtsError(
      h.client.dropIndex({ mainTableName: 'tbl_gsi', indexName: 'tbl_gsi_by_score' }),
      404,
      'OTSObjectNotExist',
    )
    await expectOtsError(
      h.client.createIndex({
        mainTableName: 'tbl_gsi',
        indexMeta: { name: 'tbl_gsi_bad', primaryKey: ['not_defined'], definedColumn: [] },
      }),
      400,
      'OTSParameterInvalid',
    )
  })
})
