/**
 * @module The search backend on Tablestore search indexes: one document table per index (keyed by
 * the index's id field), the DSL compiled to SearchQuery, token paging, recipient sets for the
 * permission filter. Tablestore's search indexes follow their tables asynchronously, so the
 * backend promises `eventual` consistency; `settle()` waits until completed writes are searchable.
 */
import { randomUUID } from 'node:crypto'
import type { DocumentOf } from '../../src/ports/documents.ts'
import {
  type IndexStats,
  InvalidPageTokenError,
  RebuildInProgressError,
  type RebuildOptions,
  type SearchBackend,
  type SearchHit,
  type SearchPage,
  type SearchRequest,
} from '../../src/ports/search-backend.ts'
import type { Query } from '../../src/query/dsl.ts'
import { INDEX_NAMES, type IndexName } from '../../src/query/index-schemas.ts'
import { otsCode, TablestoreClient } from './client.ts'
import { type ResolvedOptions, resolveOptions, type TablestoreOptions } from './config.ts'
import { ADAPTER_NAME } from './constants.ts'
import { decodeDocument, docId, encodeDocument, storedColumns } from './doc-codec.ts'
import { TablestoreError, TablestoreQueryError } from './errors.ts'
import { RECIPIENT_SET_COLUMN, RECIPIENTS_FIELD, WRITE_COLUMN } from './index-fields.ts'
import { decodePageToken, encodePageToken, type PageState } from './page-token.ts'
import { compileQuery, type TsQuery } from './query-compiler.ts'
import { RecipientSets } from './recipient-sets.ts'
import { batchWrite, cells, condition, plainRow } from './rows.ts'
import { DOC_KEYS, docTable, docTableSpec, searchIndexName, type TableNames, tableNames } from './schema.ts'
import { long, rowExists, type SdkParams, type SdkSearchResult } from './sdk.ts'
import { ColumnReturnType, QueryType } from './sdk-constants.ts'
import { ensureTables, specsFor } from './setup.ts'
import { compileSort } from './sort-compiler.ts'
import { type Pending, WriteTracker } from './write-tracker.ts'

/** How long a process trusts its cached live generation before re-reading it (another process may rebuild). */
const GENERATION_TTL_MS = 5_000

interface NextGeneration {
  generation: number
  table: string
  /** Ids written or removed by live traffic since the rebuild began: they win over `documents`. */
  touched: Set<string>
  /** The rebuild's batch under way: live writes to the new table wait for it, so that they land after it. */
  writing?: Promise<unknown> | undefined
}

/** The port's page size bounds, which are also Tablestore's `limit` cap when rows are read back. */
const MAX_LIMIT = 100

export class TablestoreBackend implements SearchBackend {
  readonly name = ADAPTER_NAME
  readonly consistency = 'eventual'
  readonly #options: ResolvedOptions
  readonly #client: TablestoreClient
  readonly #t: TableNames
  readonly #sets: RecipientSets
  readonly #writes = new WriteTracker()
  readonly #live = new Map<IndexName, { generation: number; readAt: number }>()
  readonly #next = new Map<IndexName, NextGeneration>()
  /** Document table → its index, for every table this backend wrote to. */
  readonly #tableIndex = new Map<string, IndexName>()
  #ready: Promise<void> | undefined
  #closed = false

  constructor(options: TablestoreOptions, client?: TablestoreClient) {
    this.#options = resolveOptions(options)
    this.#client = client ?? new TablestoreClient(this.#options)
    this.#t = tableNames(this.#options.tablePrefix)
    this.#sets = new RecipientSets(this.#client, {
      setTable: this.#t.recipientSet,
      memberTable: this.#t.recipientSetMember,
    })
  }

  async index<I extends IndexName>(index: I, documents: readonly DocumentOf<I>[]): Promise<void> {
    await this.#open(index)
    // One row per id, the last one winning, as if the documents were written in order.
    const byId = new Map<string, DocumentOf<I>>()
    for (const doc of documents) {
      const id = docId(index, doc)
      byId.delete(id)
      byId.set(id, doc)
    }
    if (byId.size === 0) return
    const token = randomUUID()
    const setIds = new Map<string, string>()
    if (index === 'messages')
      for (const [id, doc] of byId)
        setIds.set(id, await this.#sets.ensure((doc as DocumentOf<'messages'>).recipients))
    const rows = [...byId].map(([id, doc]) => ({
      type: 'PUT' as const,
      ...encodeDocument(index, doc, token, setIds.get(id)),
    }))
    for (const table of await this.#writeTables(index, [...byId.keys()])) {
      await this.#afterRebuildBatch(index, table)
      await batchWrite(this.#client, table, rows)
      this.#writes.put(table, [...byId.keys()], token)
    }
  }

  async remove(index: IndexName, ids: readonly string[]): Promise<void> {
    await this.#open(index)
    const unique = [...new Set(ids)]
    if (unique.length === 0) return
    for (const table of await this.#writeTables(index, unique)) {
      await this.#afterRebuildBatch(index, table)
      await this.#showWritesOf(index, table, unique)
      await batchWrite(
        this.#client,
        table,
        unique.map((id) => ({ type: 'DELETE' as const, key: { [DOC_KEYS[index]]: id } })),
      )
      this.#writes.remove(table, unique)
    }
  }

  /**
   * Builds generation n+1 in its own table and search index while generation n serves, then
   * points the index at it (the reindex-job row) and drops generation n-1. Live writes meanwhile
   * go to both tables and win over `documents` (in this process; see the README).
   */
  async rebuild<I extends IndexName>(index: I, options: RebuildOptions<I>): Promise<number> {
    await this.#open(index)
    if (this.#next.has(index)) throw new RebuildInProgressError(`a rebuild of ${index} is running`)
    const live = await this.#generation(index, true)
    const generation = live + 1
    const table = docTable(this.#options.tablePrefix, index, generation)
    const next: NextGeneration = { generation, table, touched: new Set() }
    this.#next.set(index, next)
    try {
      await this.#job(index, { generation: live, state: 'running', target: generation })
      await ensureTables(this.#client, [docTableSpec(this.#options.tablePrefix, index, generation)])
      let done = 0
      for await (const page of options.documents()) {
        options.signal?.throwIfAborted()
        await this.#write(index, next, page)
        done += page.length
        options.onProgress?.(done)
      }
      options.signal?.throwIfAborted()
      // Swap only once the new search index shows what was written to its table.
      await this.settle()
      await this.#job(index, { generation, state: 'done', target: generation })
      this.#live.set(index, { generation, readAt: Date.now() })
      this.#next.delete(index)
      if (live > 1) await this.#dropTable(docTable(this.#options.tablePrefix, index, live - 1))
      return generation
    } catch (error) {
      this.#next.delete(index)
      await this.#job(index, { generation: live, state: 'failed', target: generation }).catch(() => {})
      await this.#dropTable(table).catch(() => {})
      throw error
    }
  }

  /** Writes a page of a rebuild to the new table, leaving out what live traffic touched. */
  async #write<I extends IndexName>(
    index: I,
    next: NextGeneration,
    docs: readonly DocumentOf<I>[],
  ): Promise<void> {
    const token = randomUUID()
    const rows = []
    for (const doc of docs) {
      const set =
        index === 'messages' ? await this.#sets.ensure((doc as DocumentOf<'messages'>).recipients) : undefined
      rows.push({
        id: docId(index, doc),
        row: { type: 'PUT' as const, ...encodeDocument(index, doc, token, set) },
      })
    }
    // Filtered after the awaits above and marked under way in the same tick: a live write of one of
    // these ids either came first (and is left alone) or waits for this batch (and lands after it).
    const fresh = rows.filter((r) => !next.touched.has(r.id))
    if (fresh.length === 0) return
    const writing = batchWrite(
      this.#client,
      next.table,
      fresh.map((r) => r.row),
    )
    next.writing = writing.catch(() => {})
    await writing
    this.#tableIndex.set(next.table, index)
    this.#writes.put(
      next.table,
      fresh.map((r) => r.id),
      token,
    )
  }

  /** A live write to the table being rebuilt waits for the rebuild's batch under way (see `#write`). */
  async #afterRebuildBatch(index: IndexName, table: string): Promise<void> {
    const next = this.#next.get(index)
    if (next?.table === table) await next.writing
  }

  async #liveTable(index: IndexName): Promise<string> {
    return docTable(this.#options.tablePrefix, index, await this.#generation(index))
  }

  /** The live table, and the table being rebuilt (which then records the ids as touched). */
  async #writeTables(index: IndexName, ids: readonly string[]): Promise<string[]> {
    const live = await this.#liveTable(index)
    this.#tableIndex.set(live, index)
    const next = this.#next.get(index)
    if (!next) return [live]
    for (const id of ids) next.touched.add(id)
    this.#tableIndex.set(next.table, index)
    return [live, next.table]
  }

  /** The live generation of an index, from the reindex-job row (cached for a few seconds). */
  async #generation(index: IndexName, fresh = false): Promise<number> {
    const cached = this.#live.get(index)
    if (cached && !fresh && Date.now() - cached.readAt < GENERATION_TTL_MS) return cached.generation
    const { row } = await this.#client.call('getRow', {
      tableName: this.#t.reindexJob,
      primaryKey: cells({ index_name: index }),
      maxVersions: 1,
    })
    const generation = rowExists(row) ? Number(plainRow(row).generation) || 1 : 1
    this.#live.set(index, { generation, readAt: Date.now() })
    return generation
  }

  async #job(index: IndexName, job: { generation: number; state: string; target: number }): Promise<void> {
    await this.#client.call('putRow', {
      tableName: this.#t.reindexJob,
      condition: condition('IGNORE'),
      primaryKey: cells({ index_name: index }),
      attributeColumns: cells({
        generation: long(job.generation),
        state: job.state,
        target: long(job.target),
        updated_at: long(Date.now()),
      }),
    })
  }

  async #dropTable(table: string): Promise<void> {
    this.#writes.forget(table)
    this.#tableIndex.delete(table)
    const gone = (error: unknown) => {
      if (otsCode(error) !== 'OTSObjectNotExist') throw error
    }
    await this.#client
      .call('deleteSearchIndex', { tableName: table, indexName: searchIndexName(table) })
      .catch(gone)
    await this.#client.call('deleteTable', { tableName: table }).catch(gone)
  }

  async search<I extends IndexName>(index: I, request: SearchRequest): Promise<SearchPage<I>> {
    await this.#open(index)
    if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > MAX_LIMIT)
      throw new TablestoreQueryError(`limit must be 1..${MAX_LIMIT} (got ${request.limit})`)
    const state = request.after === undefined ? undefined : decodePageToken(request.after)
    const query = compileQuery(request.query, {
      index,
      long,
      recipientSets: await this.#recipientSets(index, request.query),
    })
    let result: SdkSearchResult
    try {
      result = await this.#search(await this.#liveTable(index), index, {
        limit: request.limit,
        query,
        // The token carries the sort and the position; a later page resends neither. The total is
        // asked for on every page: a cursor kept across a recall or an opt-out reports today's count.
        getTotalCount: true,
        ...(state ? { token: state.token } : { sort: compileSort(request.sort) }),
      })
    } catch (error) {
      if (state && otsCode(error) === 'OTSParameterInvalid')
        throw new InvalidPageTokenError('page token was refused by Tablestore', { cause: error })
      throw error
    }
    const total = Number(result.totalCounts ?? result.rows.length)
    const plainRows = result.rows.map(plainRow)
    const members = await this.#sets.membersOf(
      plainRows.map((r) => r[RECIPIENT_SET_COLUMN]).filter((s): s is string => typeof s === 'string'),
    )
    const hits: SearchHit<I>[] = plainRows.map((row, i) => ({
      id: String(row[DOC_KEYS[index]]),
      score: result.searchHits?.[i]?.score ?? 0,
      document: decodeDocument(index, row, (set) => {
        const list = members.get(set)
        if (!list)
          throw new TablestoreError(`recipient set ${set} is missing`, 'search', undefined, undefined)
        return list
      }),
    }))
    const returned = (state?.returned ?? 0) + hits.length
    const token = result.nextToken && result.nextToken.length > 0 ? Buffer.from(result.nextToken) : undefined
    const next: PageState | undefined =
      token && morePages(hits.length, request.limit, returned, total, state)
        ? { token, returned, total }
        : undefined
    return { hits, total, ...(next ? { next: encodePageToken(next) } : {}) }
  }

  async stats(index: IndexName): Promise<IndexStats> {
    await this.#open(index)
    const generation = await this.#generation(index)
    const documents = await this.#count(await this.#liveTable(index), {
      queryType: QueryType.MATCH_ALL_QUERY,
    })
    return { documents, generation, rebuilding: this.#next.has(index) }
  }

  /**
   * Waits until every completed `index`/`remove` of this backend is visible to search, polling
   * (5 ms, growing to 200 ms) up to `indexLagTimeoutMs`; never a blind sleep.
   */
  async settle(): Promise<void> {
    const deadline = Date.now() + this.#options.indexLagTimeoutMs
    for (const [table, pending] of this.#writes.snapshot()) {
      // Re-read each round: what a later write replaced is no longer waited for.
      await this.#poll(table, deadline, () => this.#visible(table, this.#writes.current(table, pending)))
      this.#writes.clear(table, pending)
    }
  }

  /**
   * Before ids are removed from a table, waits until their unconfirmed writes show: "the index
   * finds none of these ids" proves a removal visible only once the index had caught up with what
   * came before it. Else a write and a removal within the index lag would settle at once, and the
   * write show afterwards (found by the reindex oracle test).
   */
  async #showWritesOf(index: IndexName, table: string, ids: readonly string[]): Promise<void> {
    const unconfirmed = [...this.#writes.unconfirmed(table, ids)]
    for (let i = 0; i < unconfirmed.length; i += 1024) {
      const chunk = unconfirmed.slice(i, i + 1024)
      const query = {
        queryType: QueryType.BOOL_QUERY,
        query: {
          mustQueries: [
            {
              queryType: QueryType.TERMS_QUERY,
              query: { fieldName: WRITE_COLUMN, terms: [...new Set(chunk.map(([, token]) => token))] },
            },
            {
              queryType: QueryType.TERMS_QUERY,
              query: { fieldName: DOC_KEYS[index], terms: chunk.map(([id]) => id) },
            },
          ],
        },
      }
      const deadline = Date.now() + this.#options.indexLagTimeoutMs
      await this.#poll(table, deadline, async () => (await this.#count(table, query)) >= chunk.length)
    }
  }

  /** Polls `check` (5 ms, growing to 200 ms) until it holds; past the deadline, fails. */
  async #poll(table: string, deadline: number, check: () => Promise<boolean>): Promise<void> {
    let wait = 5
    while (!(await check())) {
      if (Date.now() > deadline)
        throw new TablestoreError(
          `the search index of ${table} did not show the latest writes within ${this.#options.indexLagTimeoutMs} ms`,
          'settle',
          undefined,
          undefined,
        )
      await new Promise((resolve) => setTimeout(resolve, wait))
      wait = Math.min(200, Math.ceil(wait * 1.5))
    }
  }

  async close(): Promise<void> {
    this.#closed = true
  }

  async #visible(table: string, pending: Pending): Promise<boolean> {
    const index = this.#tableIndex.get(table)
    if (!index) return true
    const tokens = [...pending.tokens.keys()]
    for (let i = 0; i < tokens.length; i += 1024) {
      const chunk = tokens.slice(i, i + 1024)
      const expected = chunk.reduce((n, t) => n + (pending.tokens.get(t) ?? 0), 0)
      const shown = await this.#count(table, {
        queryType: QueryType.TERMS_QUERY,
        query: { fieldName: WRITE_COLUMN, terms: chunk },
      })
      if (shown < expected) return false
    }
    for (let i = 0; i < pending.removed.length; i += 1024) {
      const chunk = pending.removed.slice(i, i + 1024)
      const shown = await this.#count(table, {
        queryType: QueryType.TERMS_QUERY,
        query: { fieldName: DOC_KEYS[index], terms: chunk },
      })
      if (shown > 0) return false
    }
    return true
  }

  async #count(table: string, query: TsQuery): Promise<number> {
    const result = await this.#search(table, undefined, { limit: 0, query, getTotalCount: true })
    return Number(result.totalCounts ?? 0)
  }

  /** A search of a document table; `index` undefined returns no columns (counts). */
  #search(table: string, index: IndexName | undefined, searchQuery: SdkParams): Promise<SdkSearchResult> {
    return this.#client.call('search', {
      tableName: table,
      indexName: searchIndexName(table),
      searchQuery,
      columnToGet: index
        ? { returnType: ColumnReturnType.RETURN_SPECIFIED, returnNames: storedColumns(index) }
        : { returnType: ColumnReturnType.RETURN_NONE },
    })
  }

  /** The caller's recipient set ids, for every user a `recipients` term names (one GetRange each). */
  async #recipientSets(index: IndexName, query: Query): Promise<Map<string, string[]>> {
    const users = new Set<string>()
    if (index === 'messages') collectRecipients(query, users)
    const out = new Map<string, string[]>()
    await Promise.all([...users].map(async (user) => out.set(user, await this.#sets.setsOf(user))))
    return out
  }

  async #open(index: IndexName): Promise<void> {
    if (this.#closed) throw new Error('[im-search] [tablestore] the backend is closed')
    if (!INDEX_NAMES.includes(index)) throw new Error(`[im-search] [tablestore] unknown index ${index}`)
    if (!this.#options.ensureTables) return
    this.#ready ??= ensureTables(this.#client, specsFor(this.#options.tablePrefix, 'search')).then(() => {})
    await this.#ready
  }
}

/**
 * Whether a page with a Tablestore token is not the last one. A short page is the last (Tablestore
 * ran out of rows). A full page is the last when the hits returned so far reach the total and the
 * total is the one the previous page reported: counting positions is exact only while the data
 * holds still; once a recall or an opt-out changed the total, a full page is never taken for the
 * last (at worst one empty page follows) rather than cutting the answer short.
 */
function morePages(
  hits: number,
  limit: number,
  returned: number,
  total: number,
  previous: PageState | undefined,
): boolean {
  if (hits < limit) return false
  const unchanged = previous === undefined || previous.total === total
  return !(unchanged && returned >= total)
}

/** Users named by `term`/`terms` on `recipients` anywhere in the query (outside nested). */
function collectRecipients(query: Query, into: Set<string>): void {
  if ('bool' in query) {
    for (const list of [query.bool.must, query.bool.filter, query.bool.should, query.bool.must_not])
      for (const clause of list ?? []) collectRecipients(clause, into)
  } else if ('constant_score' in query) collectRecipients(query.constant_score.filter, into)
  else if ('function_score' in query) collectRecipients(query.function_score.query, into)
  else if ('term' in query && query.term.field === RECIPIENTS_FIELD) {
    if (typeof query.term.value === 'string') into.add(query.term.value)
  } else if ('terms' in query && query.terms.field === RECIPIENTS_FIELD) {
    for (const v of query.terms.values) if (typeof v === 'string') into.add(v)
  }
}
