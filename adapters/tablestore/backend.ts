/**
 * @module The search backend on Tablestore search indexes: one document table per index (keyed by
 * the index's id field), the DSL compiled to SearchQuery, token paging, recipient sets for the
 * permission filter. Tablestore's search indexes follow their tables asynchronously, so the
 * backend promises `eventual` consistency; `settle()` waits until completed writes are searchable.
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { DocumentOf } from '../../src/ports/documents.ts'
import type {
  FacetCounts,
  FacetRequest,
  GroupedSearchPage,
  GroupedSearchRequest,
} from '../../src/ports/facets.ts'
import {
  type IndexStats,
  InvalidPageTokenError,
  type RebuildOptions,
  type SearchBackend,
  type SearchHit,
  type SearchPage,
  type SearchRequest,
} from '../../src/ports/search-backend.ts'
import type { Query } from '../../src/query/dsl.ts'
import { INDEX_NAMES, type IndexName } from '../../src/query/index-schemas.ts'
import {
  aggregationValues,
  dayBoundsAggregations,
  dayGroupBy,
  dayRanges,
  dayValues,
  decodeGroupToken,
  emptyFacets,
  encodeGroupToken,
  groupByResults,
  groupedGroupBy,
  TOP,
  termsGroupBys,
  termsValues,
} from './aggregation-compiler.ts'
import { type CallOptions, otsCode, TablestoreClient } from './client.ts'
import { type ResolvedOptions, resolveOptions, type TablestoreOptions } from './config.ts'
import { ADAPTER_NAME } from './constants.ts'
import { decodeDocument, docId, encodeDocument, storedColumns } from './doc-codec.ts'
import { TablestoreError, TablestoreQueryError } from './errors.ts'
import { GenerationRows, type GenerationState } from './generation-row.ts'
import { RECIPIENT_SET_COLUMN, RECIPIENTS_FIELD, WRITE_COLUMN } from './index-fields.ts'
import { decodePageToken, encodePageToken, type PageState } from './page-token.ts'
import { compileQuery, type TsQuery } from './query-compiler.ts'
import { RebuildLease } from './rebuild-lease.ts'
import { RecipientSets } from './recipient-sets.ts'
import { type BatchPut, batchWrite, plainRow } from './rows.ts'
import { DOC_KEYS, docTable, docTableSpec, searchIndexName, type TableNames, tableNames } from './schema.ts'
import { long, type SdkParams, type SdkRow, type SdkSearchResult } from './sdk.ts'
import { ColumnReturnType, QueryType } from './sdk-constants.ts'
import { ensureTables, tablesOnFirstUse } from './setup.ts'
import { compileSort } from './sort-compiler.ts'
import { type Pending, WriteTracker } from './write-tracker.ts'

/**
 * The `_write` value of a tombstone: the row a removal leaves in a table a rebuild fills, so that
 * the rebuild's copy of an older record (written only where no row is) cannot bring the document
 * back. Searches and counts leave tombstones out; write tokens are UUIDs, never this.
 */
const TOMBSTONE = 'tombstone'

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
  readonly #uncertainListeners: ((index: IndexName, ids: readonly string[]) => void)[] = []
  readonly #rows: GenerationRows
  /** What this process last read of each index's generations, and when it started reading. */
  readonly #states = new Map<IndexName, { state: GenerationState; readAt: number }>()
  /** Document table → its index, for every table this backend wrote to. */
  readonly #tableIndex = new Map<string, IndexName>()
  readonly #ensure: () => Promise<void>
  #closed = false

  constructor(options: TablestoreOptions, client?: TablestoreClient) {
    this.#options = resolveOptions(options)
    this.#client = client ?? new TablestoreClient(this.#options)
    this.#ensure = tablesOnFirstUse(this.#client, this.#options, 'search')
    this.#t = tableNames(this.#options.tablePrefix)
    this.#rows = new GenerationRows(this.#client, this.#t.reindexJob)
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
    // Unconditional, also in a table a rebuild fills: a live write wins over the rebuild's copy.
    await this.#reportingUncertainty(index, [...byId.keys()], (options) =>
      this.#eachTable(index, async (table) => {
        await batchWrite(this.#client, table, rows, options)
        this.#writes.put(table, [...byId.keys()], token)
      }),
    )
  }

  async remove(index: IndexName, ids: readonly string[]): Promise<void> {
    await this.#open(index)
    const unique = [...new Set(ids)]
    if (unique.length === 0) return
    await this.#reportingUncertainty(index, unique, (options) =>
      this.#eachTable(index, async (table, building) => {
        await this.#showWritesOf(index, table, unique)
        const key = (id: string) => ({ [DOC_KEYS[index]]: id })
        await batchWrite(
          this.#client,
          table,
          unique.map((id) =>
            building
              ? { type: 'PUT' as const, key: key(id), columns: { [WRITE_COLUMN]: TOMBSTONE } }
              : { type: 'DELETE' as const, key: key(id) },
          ),
          options,
        )
        this.#writes.remove(table, unique)
      }),
    )
  }

  onUncertainWrite(listener: (index: IndexName, ids: readonly string[]) => void): void {
    this.#uncertainListeners.push(listener)
  }

  /**
   * Runs a document write and, when one of its calls timed out or lost its answer, tells the
   * listeners afterwards (succeeded or not): Tablestore may still apply that attempt, after a
   * newer write of the same documents.
   */
  async #reportingUncertainty(
    index: IndexName,
    ids: readonly string[],
    write: (options: CallOptions) => Promise<void>,
  ): Promise<void> {
    let uncertain = false
    try {
      await write({ onUncertain: () => (uncertain = true) })
    } finally {
      if (uncertain) for (const listener of this.#uncertainListeners) listener(index, ids)
    }
  }

  /**
   * Builds generation n+1 in its own table and search index while generation n serves, then
   * points the index at it and drops generation n-1. Across replicas (see the README):
   * 1. the table is created, then "building n+1" is claimed in the index's `reindex_job` row
   *    (conditional: a second rebuilder gets RebuildInProgressError), with a heartbeat;
   * 2. wait `rebuildGraceMs`, longer than any replica's cached view (`generationTtlMs`): from then
   *    on every replica writes to both tables, so any write either reached the record store before
   *    the scan reads its key (and is copied) or reaches the new table itself;
   * 3. copy the records where no row is yet: a row there is a live write or a removal's tombstone,
   *    newer than the copy, from whichever replica;
   * 4. once the new index shows this process's writes, swap (conditional). Generation n-1 is
   *    dropped only now: no replica has read or written it since the previous swap, which came
   *    before this rebuild's grace. Generation n stays for replicas whose view is still older.
   */
  async rebuild<I extends IndexName>(index: I, options: RebuildOptions<I>): Promise<number> {
    await this.#open(index)
    const seen = await this.#rows.read(index)
    const generation = seen.live + 1
    const table = docTable(this.#options.tablePrefix, index, generation)
    const lease = await RebuildLease.claim(this.#rows, index, seen, {
      staleMs: this.#options.rebuildStaleMs,
      // Before the marker, so that a replica that sees it can write there at once. A marker
      // abandoned by a stopped process leaves its table, which is taken over as it is: every write
      // since that rebuild's grace reached it, so what it holds is as new as the record store.
      prepare: () => ensureTables(this.#client, [docTableSpec(this.#options.tablePrefix, index, generation)]),
    })
    this.#remember(index, lease.state, Date.now())
    const signal = options.signal ? AbortSignal.any([options.signal, lease.lost]) : lease.lost
    try {
      await sleep(this.#options.rebuildGraceMs, undefined, { signal })
      let done = 0
      for await (const page of options.documents()) {
        signal.throwIfAborted()
        await this.#copy(index, table, page)
        done += page.length
        options.onProgress?.(done)
      }
      signal.throwIfAborted()
      // Swap only once the new search index shows what was written to its table.
      await this.settle()
      this.#remember(index, await lease.swap(), Date.now())
      if (seen.live > 1) await this.#dropTable(docTable(this.#options.tablePrefix, index, seen.live - 1))
      return generation
    } catch (error) {
      // A lease another replica took over keeps its table: that rebuild goes on in it.
      if (await lease.release().catch(() => false)) await this.#dropTable(table).catch(() => {})
      this.#states.delete(index)
      throw lease.lost.aborted ? lease.lost.reason : error
    } finally {
      lease.stop()
    }
  }

  /**
   * Copies a page of records to the table being built, only where no row is yet: a row there was
   * written by live traffic (a document or a tombstone) after the record was read, on some replica.
   */
  async #copy<I extends IndexName>(index: I, table: string, docs: readonly DocumentOf<I>[]): Promise<void> {
    const token = randomUUID()
    const rows: (BatchPut & { id: string })[] = []
    for (const doc of docs) {
      const set =
        index === 'messages' ? await this.#sets.ensure((doc as DocumentOf<'messages'>).recipients) : undefined
      rows.push({
        id: docId(index, doc),
        type: 'PUT',
        ifAbsent: true,
        ...encodeDocument(index, doc, token, set),
      })
    }
    const skipped = new Set(await batchWrite(this.#client, table, rows))
    this.#tableIndex.set(table, index)
    this.#writes.put(
      table,
      rows.filter((r) => !skipped.has(r)).map((r) => r.id),
      token,
    )
  }

  /**
   * Runs a write on the live table and, while a rebuild (of any replica) fills one, on that table
   * too (`building`). A rebuild that failed drops its table; a replica that has not heard yet
   * (its view is up to `generationTtlMs` old) finds it gone, and there is nothing left to update.
   */
  async #eachTable(
    index: IndexName,
    write: (table: string, building: boolean) => Promise<void>,
  ): Promise<void> {
    for (const [table, building] of await this.#tables(index)) {
      this.#tableIndex.set(table, index)
      try {
        await write(table, building)
      } catch (error) {
        const gone = building && otsCode(error) === 'OTSObjectNotExist'
        if (!gone || (await this.#tables(index, true)).has(table)) throw error
      }
    }
  }

  /** The live table of an index, and the table a rebuild fills (value `true`), by this process's view. */
  async #tables(index: IndexName, fresh = false): Promise<Map<string, boolean>> {
    const state = await this.#state(index, fresh)
    const tables = new Map([[docTable(this.#options.tablePrefix, index, state.live), false]])
    if (state.building)
      tables.set(docTable(this.#options.tablePrefix, index, state.building.generation), true)
    return tables
  }

  async #liveTable(index: IndexName): Promise<string> {
    return docTable(this.#options.tablePrefix, index, (await this.#state(index)).live)
  }

  /**
   * An index's generations from its `reindex_job` row, trusted for `generationTtlMs` from the
   * moment the read started (what the row said then is at least that recent).
   */
  async #state(index: IndexName, fresh = false): Promise<GenerationState> {
    const cached = this.#states.get(index)
    if (cached && !fresh && Date.now() - cached.readAt < this.#options.generationTtlMs) return cached.state
    const readAt = Date.now()
    const state = await this.#rows.read(index)
    this.#remember(index, state, readAt)
    return state
  }

  #remember(index: IndexName, state: GenerationState, readAt: number): void {
    this.#states.set(index, { state, readAt })
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
    const generation = await this.#pageGeneration(index, state)
    let result: SdkSearchResult
    try {
      result = await this.#search(docTable(this.#options.tablePrefix, index, generation), index, {
        limit: request.limit,
        query: withoutTombstones(query),
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
    const hits = await this.#hits(index, result.rows, (i) => result.searchHits?.[i]?.score ?? 0)
    const facets = request.facets
      ? await this.#facets(docTable(this.#options.tablePrefix, index, generation), query, request.facets)
      : undefined
    const returned = (state?.returned ?? 0) + hits.length
    const token = result.nextToken && result.nextToken.length > 0 ? Buffer.from(result.nextToken) : undefined
    const next: PageState | undefined =
      token && morePages(hits.length, request.limit, returned, total, state)
        ? { token, generation, returned, total }
        : undefined
    return { hits, total, ...(next ? { next: encodePageToken(next) } : {}), ...(facets ? { facets } : {}) }
  }

  /** Rows → hits, recipient sets resolved to their members. */
  async #hits<I extends IndexName>(
    index: I,
    rows: readonly SdkRow[],
    score: (i: number) => number,
  ): Promise<SearchHit<I>[]> {
    const plainRows = rows.map(plainRow)
    const members = await this.#sets.membersOf(
      plainRows.map((r) => r[RECIPIENT_SET_COLUMN]).filter((s): s is string => typeof s === 'string'),
    )
    return plainRows.map((row, i) => ({
      id: String(row[DOC_KEYS[index]]),
      score: score(i),
      document: decodeDocument(index, row, (set) => {
        const list = members.get(set)
        if (!list)
          throw new TablestoreError(`recipient set ${set} is missing`, 'search', undefined, undefined)
        return list
      }),
    }))
  }

  /**
   * Facets from aggregations (see `aggregation-compiler.ts`): the `terms` facets' GroupByFields
   * and the `day` facets' Min/Max in one request, then the `day` facets' GroupByRanges.
   */
  async #facets(
    table: string,
    query: TsQuery,
    facets: Readonly<Record<string, FacetRequest>>,
  ): Promise<FacetCounts> {
    const live = withoutTombstones(query)
    const terms = termsGroupBys(facets)
    const bounds = dayBoundsAggregations(facets)
    const first = await this.#search(table, undefined, {
      limit: 0,
      query: live,
      ...(terms.length > 0 ? { groupBys: { groupBys: terms } } : {}),
      ...(bounds.length > 0 ? { aggs: { aggs: bounds } } : {}),
    })
    const out = emptyFacets(facets)
    const groups = groupByResults(first)
    const values = aggregationValues(first)
    const days = new Map<string, ReturnType<typeof dayRanges>>()
    for (const [name, facet] of Object.entries(facets)) {
      if (facet.kind === 'terms') out[name] = termsValues(groups.get(name) ?? [])
      else {
        const [min, max] = [values.get(`${name}.min`), values.get(`${name}.max`)]
        if (min !== undefined && max !== undefined && Number.isFinite(min) && Number.isFinite(max))
          days.set(name, dayRanges(name, min, max, facet.timeZone))
      }
    }
    if (days.size === 0) return out
    const byDay = groupByResults(
      await this.#search(table, undefined, {
        limit: 0,
        query: live,
        groupBys: {
          groupBys: [...days].map(([name, ranges]) =>
            dayGroupBy(name, (facets[name] as FacetRequest).field, ranges),
          ),
        },
      }),
    )
    for (const [name, ranges] of days)
      out[name] = dayValues(byDay.get(name) ?? [], ranges, (facets[name] as FacetRequest).size)
    return out
  }

  async searchGrouped<I extends IndexName>(
    index: I,
    request: GroupedSearchRequest,
  ): Promise<GroupedSearchPage<I>> {
    await this.#open(index)
    if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > MAX_LIMIT)
      throw new TablestoreQueryError(`limit must be 1..${MAX_LIMIT} (got ${request.limit})`)
    const state = request.after === undefined ? undefined : decodeGroupToken(request.after)
    if (request.after !== undefined && !state)
      throw new InvalidPageTokenError('not a page token of this backend')
    const generation = (await this.#state(index)).live
    if (state && state.generation !== generation)
      throw new InvalidPageTokenError(
        `the ${index} index was rebuilt after this cursor was issued: run the search again without a cursor`,
      )
    const query = compileQuery(request.query, {
      index,
      long,
      recipientSets: await this.#recipientSets(index, request.query),
    })
    const result = await this.#search(docTable(this.#options.tablePrefix, index, generation), index, {
      limit: 0,
      query: withoutTombstones(query),
      groupBys: { groupBys: [groupedGroupBy(request.field, request.sort)] },
    })
    const items = groupByResults(result).get('groups') ?? []
    const offset = state?.offset ?? 0
    const page = items.slice(offset, offset + request.limit)
    const tops = page.map(
      (item) => item.subAggsResult?.aggResults.find((a) => a.name === TOP)?.aggResult.rows?.[0],
    )
    const hits = await this.#hits(
      index,
      tops.filter((row): row is SdkRow => row !== undefined),
      () => 0,
    )
    const end = offset + page.length
    return {
      groups: page.flatMap((item, i) => {
        const top = hits[i]
        return top ? [{ value: String(item.key), count: Number(item.rowCount), top }] : []
      }),
      total: items.length,
      ...(end < items.length ? { next: encodeGroupToken(end, generation) } : {}),
    }
  }

  /**
   * The live generation, which a later page must have been issued by: Tablestore's token is only
   * valid on the search index that issued it, and the old generation is no longer written to, so a
   * page from it could show a recalled message. A token newer than this replica's cached view (a
   * swap made by another replica within the cache's lifetime) is checked against the row.
   */
  async #pageGeneration(index: IndexName, state: PageState | undefined): Promise<number> {
    let live = (await this.#state(index)).live
    const issuedBy = state?.generation
    if (issuedBy === undefined) return live
    if (issuedBy > live) live = (await this.#state(index, true)).live
    if (issuedBy !== live)
      throw new InvalidPageTokenError(
        `the ${index} index was rebuilt after this cursor was issued: run the search again without a cursor`,
      )
    return live
  }

  async stats(index: IndexName): Promise<IndexStats> {
    await this.#open(index)
    const state = await this.#state(index)
    const documents = await this.#count(
      await this.#liveTable(index),
      withoutTombstones({
        queryType: QueryType.MATCH_ALL_QUERY,
      }),
    )
    // Any replica's rebuild: the marker is in the shared row.
    return { documents, generation: state.live, rebuilding: state.building !== undefined }
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
      const shown = await this.#count(
        table,
        withoutTombstones({
          queryType: QueryType.TERMS_QUERY,
          query: { fieldName: DOC_KEYS[index], terms: chunk },
        }),
      )
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
    await this.#ensure()
  }
}

/** `query` without the tombstones removals leave in a table a rebuild fills (must_not scores nothing). */
function withoutTombstones(query: TsQuery): TsQuery {
  return {
    queryType: QueryType.BOOL_QUERY,
    query: {
      mustQueries: [query],
      mustNotQueries: [
        { queryType: QueryType.TERMS_QUERY, query: { fieldName: WRITE_COLUMN, terms: [TOMBSTONE] } },
      ],
    },
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
