/**
 * @module CreateSearchIndex, DescribeSearchIndex, ListSearchIndex, UpdateSearchIndex, DeleteSearchIndex.
 */
import { invalidParameter, notExist, unsupported } from '../errors.ts'
import type { CreateSearchIndexRequestMsg, SearchIndexNameRequestMsg } from '../protocol/messages.ts'
import { encodeMessage, has, searchMessage } from '../protocol/proto.ts'
import type { Analyzer } from '../search/analyzers.ts'
import type { FieldSpec } from '../search/schema.ts'
import { parseSchema } from '../search/schema.ts'
import type { SearchIndex } from '../search/search-index.ts'
import { validateName } from '../store/schema.ts'
import type { Handler } from './context.ts'
import { decodeRequest, respond } from './context.ts'

const FIELD_TYPE_NUM = {
  LONG: 1,
  DOUBLE: 2,
  BOOLEAN: 3,
  KEYWORD: 4,
  TEXT: 5,
  NESTED: 6,
  GEO_POINT: 7,
} as const

function analyzerParameter(a: Analyzer): Uint8Array {
  switch (a.name) {
    case 'single_word':
      return encodeMessage(searchMessage('SingleWordAnalyzerParameter'), {
        caseSensitive: a.caseSensitive,
        delimitWord: a.delimitWord,
      })
    case 'split':
      return encodeMessage(
        searchMessage('SplitAnalyzerParameter'),
        a.delimiter ? { delimiter: a.delimiter } : {},
      )
    case 'fuzzy':
      return encodeMessage(searchMessage('FuzzyAnalyzerParameter'), {
        minChars: a.minChars,
        maxChars: a.maxChars,
      })
  }
}

/** The effective field schema, with the server defaults filled in (as DescribeSearchIndex reports it). */
function fieldMsg(f: FieldSpec): object {
  return {
    fieldName: f.name,
    fieldType: FIELD_TYPE_NUM[f.type],
    index: true,
    docValues: f.sortable,
    store: f.type !== 'NESTED',
    isArray: f.isArray,
    ...(f.highlight ? { enableHighlighting: true } : {}),
    ...(f.analyzer ? { analyzer: f.analyzer.name, analyzerParameter: analyzerParameter(f.analyzer) } : {}),
    fieldSchemas: f.children.map(fieldMsg),
  }
}

const createSearchIndex: Handler = (state, body) => {
  const msg = decodeRequest<CreateSearchIndexRequestMsg>(searchMessage('CreateSearchIndexRequest'), body)
  validateName('search index', msg.indexName)
  const table = state.catalog.table(msg.tableName)
  if (has(msg, 'sourceIndexName') && msg.sourceIndexName)
    throw unsupported('Creating a search index from a source index')
  if (has(msg, 'timeToLive') && msg.timeToLive !== -1)
    throw unsupported('Search index time_to_live other than -1')
  if (table.options.maxVersions !== 1)
    throw invalidParameter('A table with a search index must have max_versions = 1.')
  const schema = parseSchema(msg.schema)
  const now = state.now()
  state.search.create(table, msg.indexName, schema, {
    lagMs: state.indexLagMs,
    now,
    fullSyncUntil: now + state.indexReadyMs,
  })
  return respond(searchMessage('CreateSearchIndexResponse'), {})
}

function describe(index: SearchIndex, now: number): object {
  const { schema } = index
  return {
    schema: {
      fieldSchemas: schema.fields.map(fieldMsg),
      indexSetting: { numberOfShards: 1, routingFields: schema.raw.indexSetting?.routingFields ?? [] },
      indexSort:
        schema.raw.indexSort && schema.raw.indexSort.sorter.length > 0
          ? schema.raw.indexSort
          : { sorter: [{ pkSort: { order: 0 } }] },
    },
    // SyncPhase FULL (1) while the rows that existed before the index are being copied, then INCR (2).
    syncStat: {
      syncPhase: index.inFullSync(now) ? 1 : 2,
      currentSyncTimestamp: (BigInt(now) * 1_000_000n).toString(),
    },
    meteringInfo: {
      storageSize: 0,
      rowCount: index.size(now),
      reservedReadCu: 0,
      timestamp: Math.floor(now / 1000),
    },
    createTime: (BigInt(index.createdAt) * 1000n).toString(),
    timeToLive: -1,
    indexStatus: { status: 3, statusDescription: '' },
  }
}

const describeSearchIndex: Handler = (state, body) => {
  const msg = decodeRequest<SearchIndexNameRequestMsg>(searchMessage('DescribeSearchIndexRequest'), body)
  state.catalog.table(msg.tableName)
  const index = state.search.get(msg.tableName, msg.indexName)
  return respond(searchMessage('DescribeSearchIndexResponse'), describe(index, state.now()))
}

const listSearchIndex: Handler = (state, body) => {
  const msg = decodeRequest<{ tableName?: string }>(searchMessage('ListSearchIndexRequest'), body)
  const tableName = has(msg, 'tableName') && msg.tableName ? msg.tableName : undefined
  if (tableName) state.catalog.table(tableName)
  const indexes = tableName ? state.search.forTable(tableName) : state.search.all()
  return respond(searchMessage('ListSearchIndexResponse'), {
    indices: indexes.map((i) => ({ tableName: i.tableName, indexName: i.name })),
  })
}

const updateSearchIndex: Handler = (state, body) => {
  const msg = decodeRequest<SearchIndexNameRequestMsg & { timeToLive?: number }>(
    searchMessage('UpdateSearchIndexRequest'),
    body,
  )
  state.search.get(msg.tableName, msg.indexName)
  if (has(msg, 'timeToLive') && msg.timeToLive !== -1)
    throw unsupported('Search index time_to_live other than -1')
  return respond(searchMessage('UpdateSearchIndexResponse'), {})
}

const deleteSearchIndex: Handler = (state, body) => {
  const msg = decodeRequest<SearchIndexNameRequestMsg>(searchMessage('DeleteSearchIndexRequest'), body)
  if (!state.catalog.nameTaken(msg.tableName)) throw notExist('Requested table does not exist.')
  state.search.drop(msg.tableName, msg.indexName)
  return respond(searchMessage('DeleteSearchIndexResponse'), {})
}

export const searchIndexHandlers: Readonly<Record<string, Handler>> = {
  CreateSearchIndex: createSearchIndex,
  DescribeSearchIndex: describeSearchIndex,
  ListSearchIndex: listSearchIndex,
  UpdateSearchIndex: updateSearchIndex,
  DeleteSearchIndex: deleteSearchIndex,
}
