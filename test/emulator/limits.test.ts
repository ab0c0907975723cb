/**
 * @module Issue #12, part 1, step 2: Tablestore's documented limits on writes and reads, each refused
 * whole with its error code and HTTP status and nothing written. Pages: BatchWriteRow
 * (https://help.aliyun.com/document_detail/27311.htm), BatchGetRow
 * (https://www.alibabacloud.com/help/doc-detail/27310.html), limits on the Wide Column model
 * (https://www.alibabacloud.com/help/en/tablestore/limits-on-widecolumn-model).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from './helpers.ts'
import { attrs, createTable, expectOtsError, ignore, pk, startHarness, TableStore } from './helpers.ts'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
  await createTable(h.client, 'lim')
  await createTable(h.client, 'other')
})
afterAll(async () => {
  await h.emu.close()
})

const putOf = (id: string, columns: Record<string, unknown>[] = [{ v: 'x' }]) => ({
  type: 'PUT',
  condition: ignore(),
  primaryKey: [{ id }],
  attributeColumns: columns,
})
const count = async (table = 'lim') => {
  const res = await h.client.getRange({
    tableName: table,
    direction: TableStore.Direction.FORWARD,
    inclusiveStartPrimaryKey: [{ id: TableStore.INF_MIN }],
    exclusiveEndPrimaryKey: [{ id: TableStore.INF_MAX }],
  })
  return res.rows.length
}
const batch = (tables: { tableName: string; rows: unknown[] }[]) => h.client.batchWriteRow({ tables })
/** A CJK string of `chars` characters: 3 UTF-8 bytes each. */
const cjk = (chars: number) => '消息'.repeat(Math.ceil(chars / 2)).slice(0, chars)

describe('BatchWriteRow is refused whole, nothing written', () => {
  it('over 200 row operations: 400 OTSParameterInvalid', async () => {
    const rows = Array.from({ length: 201 }, (_, i) => putOf(`n${i}`))
    await expectOtsError(batch([{ tableName: 'lim', rows }]), 400, 'OTSParameterInvalid')
    expect(await count()).toBe(0)
  })

  it('over 4 MB of data in 200 rows or fewer: 400 OTSParameterInvalid', async () => {
    // 3 rows of 1.5 MB of CJK text (500,000 characters, 3 bytes each): 4.5 MB, each value under 2 MB.
    const rows = [0, 1, 2].map((i) => putOf(`big${i}`, [{ content: cjk(500_000) }]))
    await expectOtsError(batch([{ tableName: 'lim', rows }]), 400, 'OTSParameterInvalid')
    expect(await count()).toBe(0)
    // Two of them (3 MB) pass.
    await batch([{ tableName: 'lim', rows: rows.slice(0, 2) }])
    expect(await count()).toBe(2)
    await batch([
      {
        tableName: 'lim',
        rows: ['big0', 'big1'].map((id) => ({ type: 'DELETE', condition: ignore(), primaryKey: [{ id }] })),
      },
    ])
  })

  it('the same row twice in one table: 400 OTSParameterInvalid', async () => {
    await expectOtsError(
      batch([{ tableName: 'lim', rows: [putOf('dup'), putOf('dup')] }]),
      400,
      'OTSParameterInvalid',
    )
    expect(await count()).toBe(0)
  })

  it('a table with no row operations: 400 OTSParameterInvalid', async () => {
    await expectOtsError(
      batch([
        { tableName: 'lim', rows: [putOf('a')] },
        { tableName: 'other', rows: [] },
      ]),
      400,
      'OTSParameterInvalid',
    )
    expect(await count()).toBe(0)
  })

  it('the same table twice: 400 OTSParameterInvalid', async () => {
    await expectOtsError(
      batch([
        { tableName: 'lim', rows: [putOf('a')] },
        { tableName: 'lim', rows: [putOf('b')] },
      ]),
      400,
      'OTSParameterInvalid',
    )
    expect(await count()).toBe(0)
  })

  it('a table that does not exist: 404 OTSObjectNotExist', async () => {
    await expectOtsError(
      batch([
        { tableName: 'lim', rows: [putOf('a')] },
        { tableName: 'nope', rows: [putOf('b')] },
      ]),
      404,
      'OTSObjectNotExist',
    )
    expect(await count()).toBe(0)
  })

  it('one row over a value limit or with a bad key refuses the others too', async () => {
    await expectOtsError(
      batch([
        { tableName: 'lim', rows: [putOf('ok'), putOf('too-big', [{ v: 'x'.repeat(2 * 1024 * 1024 + 1) }])] },
      ]),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      batch([{ tableName: 'lim', rows: [putOf('ok'), { ...putOf('x'), primaryKey: [{ wrong: 'x' }] }] }]),
      400,
      'OTSInvalidPK',
    )
    expect(await count()).toBe(0)
  })

  it('more than 1024 columns in one row: 400 OTSParameterInvalid', async () => {
    const columns = Array.from({ length: 1025 }, (_, i) => ({ [`c${i}`]: 'x' }))
    await expectOtsError(
      batch([{ tableName: 'lim', rows: [putOf('wide', columns)] }]),
      400,
      'OTSParameterInvalid',
    )
    expect(await count()).toBe(0)
  })
})

describe('BatchGetRow is refused whole', () => {
  it('over 100 rows, a table with no rows, or a table that does not exist', async () => {
    const keys = Array.from({ length: 101 }, (_, i) => [{ id: `k${i}` }])
    await expectOtsError(
      h.client.batchGetRow({ tables: [{ tableName: 'lim', primaryKey: keys }] }),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      h.client.batchGetRow({
        tables: [
          { tableName: 'lim', primaryKey: [[{ id: 'a' }]] },
          { tableName: 'other', primaryKey: [] },
        ],
      }),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      h.client.batchGetRow({ tables: [{ tableName: 'nope', primaryKey: [[{ id: 'a' }]] }] }),
      404,
      'OTSObjectNotExist',
    )
  })
})

describe('single-row limits (limits on the Wide Column model)', () => {
  it('a primary-key string over 1 KB: 400 OTSParameterInvalid', async () => {
    await expectOtsError(
      h.client.putRow({
        tableName: 'lim',
        condition: ignore(),
        primaryKey: [{ id: 'k'.repeat(1025) }],
        attributeColumns: [{ v: 'x' }],
      }),
      400,
      'OTSParameterInvalid',
    )
    // 1 KB exactly is allowed, and so is reading it back.
    const id = 'k'.repeat(1024)
    await h.client.putRow({
      tableName: 'lim',
      condition: ignore(),
      primaryKey: [{ id }],
      attributeColumns: [{ v: 'x' }],
    })
    expect(pk((await h.client.getRow({ tableName: 'lim', primaryKey: [{ id }] })).row)).toEqual({ id })
    await h.client.deleteRow({ tableName: 'lim', condition: ignore(), primaryKey: [{ id }] })
  })

  it('an attribute value over 2 MB: 400 OTSParameterInvalid', async () => {
    await expectOtsError(
      h.client.putRow({
        tableName: 'lim',
        condition: ignore(),
        primaryKey: [{ id: 'v' }],
        attributeColumns: [{ v: cjk(700_000) }],
      }),
      400,
      'OTSParameterInvalid',
    )
    expect(await count()).toBe(0)
  })

  it('a PutRow or UpdateRow over 4 MB of data: 400 OTSParameterInvalid', async () => {
    // 3 values of 1.44 MB (4.32 MB > 4 MiB), under the 5 MB request body.
    const columns = [{ a: cjk(480_000) }, { b: cjk(480_000) }, { c: cjk(480_000) }]
    await expectOtsError(
      h.client.putRow({
        tableName: 'lim',
        condition: ignore(),
        primaryKey: [{ id: 'p' }],
        attributeColumns: columns,
      }),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      h.client.updateRow({
        tableName: 'lim',
        condition: ignore(),
        primaryKey: [{ id: 'p' }],
        updateOfAttributeColumns: [{ PUT: columns }],
      }),
      400,
      'OTSParameterInvalid',
    )
    expect(await count()).toBe(0)
  })

  it('more than 128 columns to get: 400 OTSParameterInvalid', async () => {
    const columnsToGet = Array.from({ length: 129 }, (_, i) => `c${i}`)
    await expectOtsError(
      h.client.getRow({ tableName: 'lim', primaryKey: [{ id: 'a' }], columnsToGet }),
      400,
      'OTSParameterInvalid',
    )
  })

  it('a request body over 5 MB: 413 OTSRequestBodyTooLarge', async () => {
    const rows = [0, 1, 2, 3].map((i) => putOf(`huge${i}`, [{ content: 'x'.repeat(1_500_000) }]))
    await expectOtsError(batch([{ tableName: 'lim', rows }]), 413, 'OTSRequestBodyTooLarge')
    expect(await count()).toBe(0)
  })
})

describe('GetRange stops at 4 MB', () => {
  it('returns whole rows up to 4 MB and the next row key to continue from', async () => {
    await createTable(h.client, 'wide')
    for (let i = 0; i < 5; i++)
      await h.client.putRow({
        tableName: 'wide',
        condition: ignore(),
        primaryKey: [{ id: `w${i}` }],
        attributeColumns: [{ v: 'x'.repeat(1_500_000) }],
      })
    const res = await h.client.getRange({
      tableName: 'wide',
      direction: TableStore.Direction.FORWARD,
      inclusiveStartPrimaryKey: [{ id: TableStore.INF_MIN }],
      exclusiveEndPrimaryKey: [{ id: TableStore.INF_MAX }],
    })
    expect(res.rows.map((r) => pk(r).id)).toEqual(['w0', 'w1', 'w2'])
    expect(res.nextStartPrimaryKey?.[0]?.value).toBe('w3')
    expect(attrs(res.rows[0]).v).toHaveLength(1_500_000)
  })
})
