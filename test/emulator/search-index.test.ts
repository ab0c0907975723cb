import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from './helpers.ts'
import { createTable, expectOtsError, ignore, long, pk, startHarness, TableStore } from './helpers.ts'
import { FIELD_SCHEMAS, INDEX, loadCorpus, searchIds, TABLE } from './search-fixture.ts'

const Q = TableStore.QueryType
const F = TableStore.FieldType
const R = TableStore.ColumnReturnType
let h: Harness
beforeAll(async () => {
  h = await startHarness()
  await loadCorpus(h.client)
})
afterAll(async () => {
  await h.emu.close()
})

describe('search index lifecycle', () => {
  it('describes the schema with analyzer parameters and server defaults', async () => {
    const d = await h.client.describeSearchIndex({ tableName: TABLE, indexName: INDEX })
    expect(d.indexStatus.status).toBe('running')
    expect(d.meteringInfo?.rowCount.toNumber()).toBe(5)
    const byName = new Map(d.schema.fieldSchemas.map((f) => [f.fieldName, f]))
    expect(d.schema.fieldSchemas.map((f) => f.fieldName)).toEqual(FIELD_SCHEMAS.map((f) => f.fieldName))
    expect(byName.get('title')?.analyzer).toBe('single_word')
    expect(byName.get('title_cs')?.analyzerParameter).toEqual({ caseSensitive: true, delimitWord: true })
    expect(byName.get('csv')?.analyzerParameter).toEqual({ delimiter: ',' })
    expect(byName.get('name')?.analyzerParameter).toEqual({ minChars: 1, maxChars: 5 })
    expect(byName.get('labels')?.isArray).toBe(true)
    expect(byName.get('comments')?.fieldSchemas).toHaveLength(3)
  })

  it('lists, deletes and refuses duplicates', async () => {
    await h.client.createSearchIndex({
      tableName: TABLE,
      indexName: 'second_idx',
      schema: { fieldSchemas: [{ fieldName: 'status', fieldType: F.KEYWORD }] },
    })
    await expectOtsError(
      h.client.createSearchIndex({
        tableName: TABLE,
        indexName: 'second_idx',
        schema: { fieldSchemas: [{ fieldName: 'status', fieldType: F.KEYWORD }] },
      }),
      409,
      'OTSObjectAlreadyExist',
    )
    expect(
      (await h.client.listSearchIndex({ tableName: TABLE })).indices.map((i) => i.indexName).sort(),
    ).toEqual([INDEX, 'second_idx'])
    await h.client.deleteSearchIndex({ tableName: TABLE, indexName: 'second_idx' })
    expect((await h.client.listSearchIndex({ tableName: TABLE })).indices.map((i) => i.indexName)).toEqual([
      INDEX,
    ])
    await expectOtsError(
      h.client.describeSearchIndex({ tableName: TABLE, indexName: 'second_idx' }),
      404,
      'OTSObjectNotExist',
    )
    await expectOtsError(
      h.client.createSearchIndex({
        tableName: 'nope',
        indexName: 'x',
        schema: { fieldSchemas: FIELD_SCHEMAS },
      }),
      404,
      'OTSObjectNotExist',
    )
  })

  it('refuses analyzers and features it does not emulate', async () => {
    const create = (fieldSchemas: object[]) =>
      h.client.createSearchIndex({ tableName: TABLE, indexName: 'bad_idx', schema: { fieldSchemas } })
    const msg = await expectOtsError(
      create([{ fieldName: 'title', fieldType: F.TEXT, analyzer: 'max_word', analyzerParameter: {} }]),
      400,
      'OTSParameterInvalid',
    )
    expect(msg).toContain('not supported by the local emulator')
    await expectOtsError(create([{ fieldName: 'status', fieldType: F.DATE }]), 400, 'OTSParameterInvalid')
    await expectOtsError(
      create([{ fieldName: 'status', fieldType: F.KEYWORD, analyzer: 'split', analyzerParameter: {} }]),
      400,
      'OTSParameterInvalid',
    )
    await expectOtsError(
      h.client.search({
        tableName: TABLE,
        indexName: INDEX,
        searchQuery: {
          offset: 0,
          limit: 10,
          query: { queryType: Q.MATCH_ALL_QUERY },
          aggs: {
            aggs: [
              {
                name: 'p',
                type: TableStore.AggregationType.AGG_PERCENTILES,
                body: { fieldName: 'likes', percentiles: [50] },
              },
            ],
          },
        },
        columnToGet: { returnType: R.RETURN_NONE },
      }),
      400,
      'OTSParameterInvalid',
    )
  })

  it('keeps the index in step with puts, updates and deletes, and indexes existing rows on creation', async () => {
    await createTable(h.client, 'live')
    await h.client.putRow({
      tableName: 'live',
      condition: ignore(),
      primaryKey: [{ id: 'pre' }],
      attributeColumns: [{ tag: 'x' }],
    })
    await h.client.createSearchIndex({
      tableName: 'live',
      indexName: 'live_idx',
      schema: { fieldSchemas: [{ fieldName: 'tag', fieldType: F.KEYWORD }] },
    })
    const tagged = async (tag: string) => {
      const res = await h.client.search({
        tableName: 'live',
        indexName: 'live_idx',
        searchQuery: {
          offset: 0,
          limit: 10,
          query: { queryType: Q.TERM_QUERY, query: { fieldName: 'tag', term: tag } },
        },
        columnToGet: { returnType: R.RETURN_NONE },
      })
      return res.rows.map((r) => pk(r).id)
    }
    expect(await tagged('x')).toEqual(['pre'])
    await h.client.putRow({
      tableName: 'live',
      condition: ignore(),
      primaryKey: [{ id: 'new' }],
      attributeColumns: [{ tag: 'x' }],
    })
    await h.client.updateRow({
      tableName: 'live',
      condition: ignore(),
      primaryKey: [{ id: 'pre' }],
      updateOfAttributeColumns: [{ PUT: [{ tag: 'y' }] }],
    })
    expect(await tagged('x')).toEqual(['new'])
    expect(await tagged('y')).toEqual(['pre'])
    await h.client.deleteRow({ tableName: 'live', condition: ignore(), primaryKey: [{ id: 'new' }] })
    expect(await tagged('x')).toEqual([])
  })
})

describe('array limits and unparseable rows', () => {
  it('leaves rows with more than 256 array elements out of the index and reports them', async () => {
    const put = (id: string, labels: unknown) =>
      h.client.putRow({
        tableName: TABLE,
        condition: ignore(),
        primaryKey: [{ id }],
        attributeColumns: [
          { status: 'arr' },
          { labels: typeof labels === 'string' ? labels : JSON.stringify(labels) },
        ],
      })
    await put(
      'max',
      Array.from({ length: 256 }, (_, i) => `l${i}`),
    )
    await put(
      'over',
      Array.from({ length: 257 }, (_, i) => `l${i}`),
    )
    await put('badjson', '[not json')
    await h.client.putRow({
      tableName: TABLE,
      condition: ignore(),
      primaryKey: [{ id: 'badtype' }],
      attributeColumns: [{ status: 'arr' }, { likes: 'ten' }],
    })
    const found = await searchIds(h.client, {
      queryType: Q.TERM_QUERY,
      query: { fieldName: 'status', term: 'arr' },
    })
    expect(found).toEqual(['max'])
    const failures = h.emu.indexingFailures().map((f) => f.reason)
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.stringContaining('257 elements, more than 256'),
        expect.stringContaining('valid JSON'),
        expect.stringContaining('expected an integer for LONG'),
      ]),
    )
    expect(
      await searchIds(h.client, { queryType: Q.TERM_QUERY, query: { fieldName: 'likes', term: long(10) } }),
    ).toEqual(['d1'])
  })
})
