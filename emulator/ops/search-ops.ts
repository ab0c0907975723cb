/**
 * @module The Search operation: query, sort, offset/limit or token paging, total count, columns.
 */
import { createHash } from 'node:crypto'
import { invalidParameter, unsupported } from '../errors.ts'
import { pkKey } from '../model/row.ts'
import { writeRow } from '../plainbuffer/writer.ts'
import type { SearchQueryMsg, SearchRequestMsg, SortMsg } from '../protocol/messages.ts'
import { decodeAs, encodeMessage, has, searchMessage } from '../protocol/proto.ts'
import type { AggContext, AggDecoders } from '../search/aggregations.ts'
import { decodeAggs, decodeGroupBys, encodeAggs, encodeGroupBys } from '../search/aggregations.ts'
import { columnsFromIndex, projectHit, RETURN_ALL } from '../search/columns.ts'
import { CorpusStats } from '../search/corpus-stats.ts'
import type { IndexedDoc } from '../search/documents.ts'
import { decodeHighlight, highlightHit } from '../search/highlight.ts'
import { checkPage, DEFAULT_LIMIT, decodeToken, encodeToken, queryDigest } from '../search/paging.ts'
import { decodeQuery } from '../search/query-decode.ts'
import { runQuery } from '../search/run-search.ts'
import type { SearchSchema } from '../search/schema.ts'
import type { SortSpec } from '../search/sort-spec.ts'
import { decodeSort } from '../search/sort-spec.ts'
import { compareKeys } from '../search/sorting.ts'
import type { Handler } from './context.ts'
import { consumed, decodeRequest, respond } from './context.ts'

/** Decodes query-time sorters, resolving nested filters with the query decoder. */
export function sortOf(msg: SortMsg, schema: SearchSchema): SortSpec[] {
  return decodeSort(msg, schema.byPath, (path, nf) => {
    if (!nf?.filter) throw invalidParameter('A nested filter needs a filter query.')
    return decodeQuery(nf.filter, schema, path.path)
  })
}

function rejectUnsupported(q: SearchQueryMsg, req: SearchRequestMsg): void {
  if (req.routingValues.length > 0) throw unsupported('Search routing_values')
  if (q.collapse) throw unsupported('Collapse (distinct)')
}

/**
 * The documents of the shards that answer a `partial` fault: one of two shards, picked by a hash of
 * the primary key so that the same rows are missing however the query pages.
 */
function answeringShard(docs: readonly IndexedDoc[]): IndexedDoc[] {
  return docs.filter((d) => createHash('md5').update(pkKey(d.row.pk)).digest()[0]! % 2 === 0)
}

const search: Handler = (state, body, mods) => {
  const req = decodeRequest<SearchRequestMsg>(searchMessage('SearchRequest'), body)
  state.catalog.table(req.tableName)
  const index = state.search.get(req.tableName, req.indexName)
  const { schema } = index
  const q = decodeRequest<SearchQueryMsg>(searchMessage('SearchQuery'), req.searchQuery)
  rejectUnsupported(q, req)
  const hasToken = has(q, 'token') && (q.token?.length ?? 0) > 0
  const offset = has(q, 'offset') ? (q.offset ?? 0) : 0
  const limit = has(q, 'limit') ? (q.limit ?? DEFAULT_LIMIT) : DEFAULT_LIMIT
  checkPage(offset, limit, columnsFromIndex(req.columnsToGet, schema))

  const digest = queryDigest(encodeMessage(searchMessage('Query'), q.query ?? {}))
  let sortBytes: Uint8Array | undefined
  let token: ReturnType<typeof decodeToken> | undefined
  if (hasToken && q.token) {
    if (q.sort) throw invalidParameter('Do not set sort when a token is given: the token already carries it.')
    if (offset > 0) throw invalidParameter('offset must be 0 when a token is given.')
    token = decodeToken(q.token, req.tableName, req.indexName, digest)
    sortBytes = token.sortBytes
  } else if (q.sort && q.sort.sorter.length > 0) {
    sortBytes = encodeMessage(searchMessage('Sort'), q.sort)
  }
  const sort = sortBytes
    ? sortOf(decodeAs<SortMsg>(searchMessage('Sort'), sortBytes), schema)
    : schema.indexSort

  const query = decodeQuery(q.query, schema)
  const highlight = q.highlight ? decodeHighlight(q.highlight, schema) : undefined
  const decoders: AggDecoders = {
    schema,
    query: (msg) => decodeQuery(msg, schema),
    sort: (msg) => sortOf(msg, schema),
  }
  const aggs = decodeAggs(q.aggs, decoders)
  const groupBys = decodeGroupBys(q.groupBys, decoders)
  const visible = index.documents(state.now())
  const docs = mods.partial ? answeringShard(visible) : visible
  const hits = runQuery(docs, schema, query, sort)
  const after = token?.after
  const start = after ? hits.findIndex((h) => compareKeys(sort, h.key, after) > 0) : offset
  const from = start < 0 ? hits.length : start
  const page = hits.slice(from, from + limit)
  const last = page.at(-1)
  const more = last !== undefined && from + page.length < hits.length

  const table = state.catalog.table(req.tableName)
  const aggContext: AggContext = {
    stats: new CorpusStats(docs, schema.byPath),
    rowOf: (doc) =>
      projectHit({ returnType: RETURN_ALL, columnNames: [] }, doc, table.get(doc.row.pk), schema),
  }
  return respond(searchMessage('SearchResponse'), {
    totalHits: q.getTotalCount ? hits.length : -1,
    rows: page.map((h) => writeRow(projectHit(req.columnsToGet, h.doc, table.get(h.doc.row.pk), schema))),
    isAllSucceeded: !mods.partial,
    // SearchHit (https://www.alibabacloud.com/help/en/tablestore/developer-reference/searchhit): "The
    // return value exists only when you use the highlight or KNN vector query feature" — so a hit's
    // score too. (KNN queries are refused: the emulator has no VECTOR fields.)
    searchHits: highlight
      ? page.map((h) => ({
          score: h.score,
          highlightResult: { highlightFields: highlightHit(highlight, query, h.doc) },
        }))
      : [],
    ...(more && last
      ? { nextToken: encodeToken(req.tableName, req.indexName, sortBytes, last.key, digest) }
      : {}),
    ...(aggs.length > 0 ? { aggs: encodeAggs(aggs, hits, aggContext) } : {}),
    ...(groupBys.length > 0 ? { groupBys: encodeGroupBys(groupBys, hits, aggContext) } : {}),
    consumed: consumed(Math.max(1, page.length), 0),
  })
}

export const searchHandlers: Readonly<Record<string, Handler>> = { Search: search }
