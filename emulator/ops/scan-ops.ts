/**
 * @module ComputeSplits and ParallelScan: export every matching row of a search index in pages.
 *
 * One split only (`splits_size` 1), so `max_parallel` must be 1 and `current_parallel_id` 0.
 * Rows come from the snapshot taken at the session's first ParallelScan, in primary-key order.
 */
import { invalidParameter } from '../errors.ts'
import { writeRow } from '../plainbuffer/writer.ts'
import type { ComputeSplitsRequestMsg, ParallelScanRequestMsg } from '../protocol/messages.ts'
import { encodeMessage, has, searchMessage } from '../protocol/proto.ts'
import { projectHit, RETURN_ALL } from '../search/columns.ts'
import { decodeToken, encodeToken, queryDigest } from '../search/paging.ts'
import { decodeQuery } from '../search/query-decode.ts'
import { runQuery } from '../search/run-search.ts'
import { SPLITS } from '../search/scan-sessions.ts'
import type { SortSpec } from '../search/sort-spec.ts'
import { compareKeys } from '../search/sorting.ts'
import type { Handler } from './context.ts'
import { decodeRequest, respond } from './context.ts'

/** Documented per-call cap for ParallelScan. */
const MAX_SCAN_LIMIT = 2000
const PK_ORDER: readonly SortSpec[] = [{ kind: 'pk', desc: false }]

const computeSplits: Handler = (state, body) => {
  const msg = decodeRequest<ComputeSplitsRequestMsg>(searchMessage('ComputeSplitsRequest'), body)
  state.catalog.table(msg.tableName)
  const indexName = msg.searchIndexSplitsOptions?.indexName
  if (!indexName) throw invalidParameter('ComputeSplits needs search_index_splits_options.index_name.')
  const index = state.search.get(msg.tableName, indexName)
  return respond(searchMessage('ComputeSplitsResponse'), {
    sessionId: state.scans.open(index, state.now()),
    splitsSize: SPLITS,
  })
}

const parallelScan: Handler = (state, body) => {
  const msg = decodeRequest<ParallelScanRequestMsg>(searchMessage('ParallelScanRequest'), body)
  state.catalog.table(msg.tableName)
  const index = state.search.get(msg.tableName, msg.indexName)
  const scan = msg.scanQuery
  if (!scan) throw invalidParameter('ParallelScan needs a scan_query.')
  if (!msg.sessionId || msg.sessionId.length === 0) throw invalidParameter('ParallelScan needs a session_id.')
  const maxParallel = has(scan, 'maxParallel') ? (scan.maxParallel ?? 1) : 1
  const current = has(scan, 'currentParallelId') ? (scan.currentParallelId ?? 0) : 0
  if (maxParallel < 1 || maxParallel > SPLITS)
    throw invalidParameter(`max_parallel must be in [1, ${SPLITS}].`)
  if (current < 0 || current >= maxParallel)
    throw invalidParameter('current_parallel_id must be in [0, max_parallel).')
  const limit = has(scan, 'limit') ? (scan.limit ?? MAX_SCAN_LIMIT) : MAX_SCAN_LIMIT
  if (limit < 1 || limit > MAX_SCAN_LIMIT)
    throw invalidParameter(`The ParallelScan limit must be in [1, ${MAX_SCAN_LIMIT}].`)
  if ((msg.columnsToGet?.returnType ?? 0) === RETURN_ALL)
    throw invalidParameter(
      'ParallelScan only returns columns stored in the index; RETURN_ALL is not allowed.',
    )
  const now = state.now()
  const session = state.scans.touch(msg.sessionId, index, now, scan.aliveTime)
  session.snapshot ??= index.documents(now)

  const digest = queryDigest(encodeMessage(searchMessage('Query'), scan.query ?? {}))
  const hits = runQuery(session.snapshot, index.schema, decodeQuery(scan.query, index.schema), PK_ORDER)
  const after =
    scan.token && scan.token.length > 0
      ? decodeToken(scan.token, msg.tableName, msg.indexName, digest).after
      : undefined
  const from = after ? hits.findIndex((h) => compareKeys(PK_ORDER, h.key, after) > 0) : 0
  const start = from < 0 ? hits.length : from
  const page = hits.slice(start, start + limit)
  const last = page.at(-1)
  const more = last !== undefined && start + page.length < hits.length
  return respond(searchMessage('ParallelScanResponse'), {
    rows: page.map((h) => writeRow(projectHit(msg.columnsToGet, h.doc, undefined, index.schema))),
    ...(more && last
      ? { nextToken: encodeToken(msg.tableName, msg.indexName, undefined, last.key, digest) }
      : {}),
  })
}

export const scanHandlers: Readonly<Record<string, Handler>> = {
  ComputeSplits: computeSplits,
  ParallelScan: parallelScan,
}
