/**
 * @module A small corpus and search index used by the search suites.
 */

import { createTable, ignore, long, TableStore } from './helpers.ts'
import type { SdkClient } from './sdk.ts'

const { FieldType } = TableStore

export const TABLE = 'docs'
export const INDEX = 'docs_idx'

// Sorting and aggregating need `enableSortAndAgg` (off unless set, as in Tablestore).
export const FIELD_SCHEMAS = [
  { fieldName: 'title', fieldType: FieldType.TEXT, enableHighlighting: true },
  {
    fieldName: 'title_cs',
    fieldType: FieldType.TEXT,
    analyzer: 'single_word',
    analyzerParameter: { caseSensitive: true, delimitWord: true },
  },
  { fieldName: 'csv', fieldType: FieldType.TEXT, analyzer: 'split', analyzerParameter: { delimiter: ',' } },
  // The SDK throws unless analyzerParameter is given with an analyzer; {} means "server default".
  { fieldName: 'words', fieldType: FieldType.TEXT, analyzer: 'split', analyzerParameter: {} },
  {
    fieldName: 'name',
    fieldType: FieldType.TEXT,
    analyzer: 'fuzzy',
    analyzerParameter: { minChars: 1, maxChars: 5 },
  },
  { fieldName: 'status', fieldType: FieldType.KEYWORD, enableSortAndAgg: true },
  { fieldName: 'labels', fieldType: FieldType.KEYWORD, enableSortAndAgg: true, isAnArray: true },
  { fieldName: 'likes', fieldType: FieldType.LONG, enableSortAndAgg: true },
  { fieldName: 'scores', fieldType: FieldType.LONG, enableSortAndAgg: true, isAnArray: true },
  { fieldName: 'price', fieldType: FieldType.DOUBLE, enableSortAndAgg: true },
  { fieldName: 'pinned', fieldType: FieldType.BOOLEAN, enableSortAndAgg: true },
  { fieldName: 'loc', fieldType: FieldType.GEO_POINT, enableSortAndAgg: true },
  {
    fieldName: 'comments',
    fieldType: FieldType.NESTED,
    fieldSchemas: [
      { fieldName: 'author', fieldType: FieldType.KEYWORD, enableSortAndAgg: true },
      { fieldName: 'stars', fieldType: FieldType.LONG, enableSortAndAgg: true },
      { fieldName: 'text', fieldType: FieldType.TEXT },
    ],
  },
]

type Doc = Record<string, string | number | boolean | object>

export const DOCS: Record<string, Doc> = {
  d1: {
    title: 'Hangzhou West Lake 杭州西湖',
    csv: 'red,green',
    words: 'Foo Bar',
    name: 'Alexander',
    status: 'open',
    labels: ['a', 'b'],
    likes: 10,
    scores: [3, 9],
    price: 1.5,
    pinned: true,
    loc: '30.25,120.15',
    comments: [
      { author: 'ann', stars: 5, text: 'great view' },
      { author: 'bob', stars: 2, text: 'too crowded' },
    ],
  },
  d2: {
    title: 'Shanghai Bund night view',
    title_cs: 'iPhone6 Case',
    name: 'Alexandra',
    status: 'closed',
    labels: ['b'],
    likes: 5,
    scores: [5],
    price: 2.5,
    pinned: false,
    loc: '31.23,121.47',
    comments: [{ author: 'bob', stars: 4, text: 'nice night' }],
  },
  d3: {
    title: 'West coast trip',
    name: 'Bob',
    status: 'open',
    likes: 20,
    scores: [1, 2],
    price: 0.5,
    loc: '37.77,-122.42',
  },
  d4: { title: '西湖 boat tour', name: 'Xander', status: 'draft', labels: ['c'], likes: 7 },
  d5: { status: 'open', likes: 1, extra: 'not indexed' },
}

/** Table columns for a doc: arrays and nested values as JSON strings, integers as Long. */
export function columns(doc: Doc): Record<string, unknown>[] {
  return Object.entries(doc).map(([k, v]) => {
    if (typeof v === 'object') return { [k]: JSON.stringify(v) }
    if (typeof v === 'number' && Number.isInteger(v) && k !== 'price') return { [k]: long(v) }
    return { [k]: v }
  })
}

export async function loadCorpus(client: SdkClient): Promise<void> {
  await createTable(client, TABLE)
  for (const [id, doc] of Object.entries(DOCS))
    await client.putRow({
      tableName: TABLE,
      condition: ignore(),
      primaryKey: [{ id }],
      attributeColumns: columns(doc),
    })
  await client.createSearchIndex({
    tableName: TABLE,
    indexName: INDEX,
    schema: { fieldSchemas: FIELD_SCHEMAS },
  })
}

/** Runs a search and returns the ids in result order. */
export async function searchIds(
  client: SdkClient,
  query: object,
  extra: Record<string, unknown> = {},
  columnToGet: object = { returnType: TableStore.ColumnReturnType.RETURN_NONE },
): Promise<string[]> {
  const res = await client.search({
    tableName: TABLE,
    indexName: INDEX,
    searchQuery: { offset: 0, limit: 100, query, ...extra },
    columnToGet,
  })
  return res.rows.map((r) => String(r.primaryKey[0]?.value))
}
