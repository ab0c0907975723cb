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
import { INDEX_NAMES, type IndexName, recipientField } from '../../src/query/index-schemas.ts'
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
import { backoffMs, type CallOptions, otsCode, TablestoreClient } from './client.ts'
import { type ResolvedOptions, resolveOptions, type TablestoreOptions } from './config.ts'
import { ADAPTER_NAME } from './constants.ts'
import { decodeDocument, docId, encodeDocument, storedColumns } from './doc-codec.ts'
import { BackendUnavailableError, TablestoreError, TablestoreQueryError } from './errors.ts'
import { GenerationRows, type GenerationState } from './generation-row.ts'
import { isRecipientField, RECIPIENT_SET_COLUMN, SCORE_COLUMN, WRITE_COLUMN } from './index-fields.ts'
import { decodePageToken, encodePageToken, type PageState } from './page-token.ts'
import { compileQuery, type TsQuery } from './query-compiler.ts'
import { pollUntil } from './readiness.ts'
import { RebuildLease } from './rebuild-lease.ts'
import { RecipientSets } from './recipient-sets.ts'
import { type BatchPut, batchWrite, plainRow } from './rows.ts'
import {
  DOC_KEYS,
  docTable,
  docTableSpec,
  generationOf,
  searchIndexName,
  type TableNames,
  tableNames,
} from './schema.ts'
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
    for (const [id, doc] of byId) {
      const recipients = recipientsOf(index, doc)
      if (recipients) setIds.set(id, await this.#sets.ensure(recipients))
    }
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
      // A new table that would pass the instance's table quota is refused here, before anything
      // is created or marked; the new table is ready for writes before any replica hears of it.
      prepare: () =>
        ensureTables(this.#client, [docTableSpec(this.#options.tablePrefix, index, generation)], {
          tableReadyTimeoutMs: this.#options.tableReadyTimeoutMs,
          quota: { prefix: this.#options.tablePrefix, tables: this.#options.tableQuota },
        }),
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
      // Swap only once the new search index shows what was written to its table: a new index
      // initialises for up to a minute and a burst of first writes can lag for minutes ("Limits
      // on search indexes", https://www.alibabacloud.com/help/en/tablestore/search-index-limits),
      // so this wait has its own, longer bound; the live generation serves meanwhile.
      await this.#settle(this.#options.indexCatchUpTimeoutMs, signal)
      this.#remember(index, await lease.swap(), Date.now())
      await this.#dropGenerationsBefore(index, seen.live)
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
      const recipients = recipientsOf(index, doc)
      const set = recipients ? await this.#sets.ensure(recipients) : undefined
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

  /**
   * Drops every generation of `index` older than `keep`: after a swap to n+1, generation n stays
   * for replicas whose view is older, and nothing older may remain (one a failed drop left
   * included), so an index never holds more than one previous generation.
   */
  async #dropGenerationsBefore(index: IndexName, keep: number): Promise<void> {
    const { tableNames } = await this.#client.call('listTable', {})
    for (const table of tableNames) {
      const generation = generationOf(this.#options.tablePrefix, index, table)
      if (generation !== undefined && generation < keep) await this.#dropTable(table)
    }
  }

  async #dropTable(table: string): Promise<void> {
    this.#writes.forget(table)
    this.#tableIndex.delete(table)
    const gone = (error: unknown) => {
      if (otsCode(error) !== 'OTSObjectNotExist') throw error
    }
    // Every search index of the table, whatever definition built it: a table is dropped with its indexes.
    const listed = await this.#client
      .call('listSearchIndex', { tableName: table })
      .catch((error: unknown) => {
        gone(error)
        return { indices: [] }
      })
    for (const { indexName } of listed.indices)
      await this.#client.call('deleteSearchIndex', { tableName: table, indexName }).catch(gone)
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
        // Only so that Tablestore returns each hit's score (see SCORE_COLUMN).
        highlight: { highlightParameters: [{ fieldName: SCORE_COLUMN, numberOfFragments: 1 }] },
        ...(state ? { token: state.token } : { sort: compileSort(request.sort) }),
      })
    } catch (error) {
      if (state && otsCode(error) === 'OTSParameterInvalid')
        throw new InvalidPageTokenError('page token was refused by Tablestore', { cause: error })
      throw error
    }
    const total = Number(result.totalCounts ?? result.rows.length)
    const hits = await this.#hits(index, result.rows, (i) => scoreOf(result, i))
    const facets = request.facets
      ? await this.#facets(
          index,
          docTable(this.#options.tablePrefix, index, generation),
          query,
          request.facets,
        )
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
    index: IndexName,
    table: string,
    query: TsQuery,
    facets: Readonly<Record<string, FacetRequest>>,
  ): Promise<FacetCounts> {
    const live = withoutTombstones(query)
    const terms = termsGroupBys(facets)
    const bounds = dayBoundsAggregations(facets)
    const first = await this.#search(
      table,
      index,
      {
        limit: 0,
        query: live,
        ...(terms.length > 0 ? { groupBys: { groupBys: terms } } : {}),
        ...(bounds.length > 0 ? { aggs: { aggs: bounds } } : {}),
      },
      false,
    )
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
      await this.#search(
        table,
        index,
        {
          limit: 0,
          query: live,
          groupBys: {
            groupBys: [...days].map(([name, ranges]) =>
              dayGroupBy(name, (facets[name] as FacetRequest).field, ranges),
            ),
          },
        },
        false,
      ),
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
      index,
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
  settle(): Promise<void> {
    return this.#settle(this.#options.indexLagTimeoutMs)
  }

  async #settle(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    for (const [table, pending] of this.#writes.snapshot()) {
      // Re-read each round: what a later write replaced is no longer waited for.
      await pollUntil(() => this.#visible(table, this.#writes.current(table, pending)), {
        timeoutMs,
        what: `the search index of ${table} to show the latest writes`,
        maxIntervalMs: 200,
        signal,
      })
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
      await pollUntil(async () => (await this.#count(index, table, query)) >= chunk.length, {
        timeoutMs: this.#options.indexLagTimeoutMs,
        what: `the search index of ${table} to show the writes before a removal`,
        maxIntervalMs: 200,
      })
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
      const shown = await this.#count(index, table, {
        queryType: QueryType.TERMS_QUERY,
        query: { fieldName: WRITE_COLUMN, terms: chunk },
      })
      if (shown < expected) return false
    }
    for (let i = 0; i < pending.removed.length; i += 1024) {
      const chunk = pending.removed.slice(i, i + 1024)
      const shown = await this.#count(
        index,
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

  async #count(index: IndexName, table: string, query: TsQuery): Promise<number> {
    const result = await this.#search(table, index, { limit: 0, query, getTotalCount: true }, false)
    return Number(result.totalCounts ?? 0)
  }

  /**
   * A search of a document table of `index`; `columns` false returns none (counts). A response with
   * `is_all_succeeded: false` holds the rows and total of only part of the index (Search,
   * https://www.alibabacloud.com/help/en/tablestore/developer-reference/search): never shown as a
   * short page or a lowered total (nor trusted by `settle()`), it is asked again, with the client's
   * backoff, up to `partialRetries` times; then the backend is unavailable (503).
   */
  async #search(
    table: string,
    index: IndexName,
    searchQuery: SdkParams,
    columns = true,
  ): Promise<SdkSearchResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.#client.call('search', {
        tableName: table,
        indexName: searchIndexName(table, index),
        searchQuery,
        columnToGet: columns
          ? { returnType: ColumnReturnType.RETURN_SPECIFIED, returnNames: storedColumns(index) }
          : { returnType: ColumnReturnType.RETURN_NONE },
      })
      if (result.isAllSucceeded !== false) return result
      if (attempt > this.#options.partialRetries)
        throw new BackendUnavailableError(
          `search of ${table} answered from part of its index ${attempt} times (is_all_succeeded false)`,
          'search',
          undefined,
          undefined,
        )
      await sleep(backoffMs(this.#options.retry, attempt))
    }
  }

  /** The caller's recipient set ids, for every user a `recipients` term names (one GetRange each). */
  async #recipientSets(index: IndexName, query: Query): Promise<Map<string, string[]>> {
    const users = new Set<string>()
    collectRecipients(index, query, users)
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

/**
 * The score of the i-th row. Tablestore sends scores only with highlighting (requested on every
 * page, see SCORE_COLUMN); a row without its search hit is an error, never reported with a score
 * it was not given. A hit without `score` scored 0: SDK 5.6.5's decoder copies the score only when
 * it is truthy (`_parseSearchHit`).
 */
function scoreOf(result: SdkSearchResult, i: number): number {
  const hit = result.searchHits?.[i]
  if (!hit)
    throw new TablestoreError(
      'search answered rows without their scores (search_hits)',
      'search',
      undefined,
      undefined,
    )
  return hit.score ?? 0
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

/** The document's recipient list, when its index has a recipient field (see `index-fields.ts`). */
function recipientsOf(index: IndexName, doc: DocumentOf<IndexName>): readonly string[] | undefined {
  const field = recipientField(index)
  return field === undefined ? undefined : (doc as unknown as Record<string, string[]>)[field]
}

/** Users named by `term`/`terms` on the recipient field anywhere in the query (outside nested). */
function collectRecipients(index: IndexName, query: Query, into: Set<string>): void {
  const collect = (clause: Query) => collectRecipients(index, clause, into)
  if ('bool' in query) {
    for (const list of [query.bool.must, query.bool.filter, query.bool.should, query.bool.must_not])
      for (const clause of list ?? []) collect(clause)
  } else if ('constant_score' in query) collect(query.constant_score.filter)
  else if ('function_score' in query) collect(query.function_score.query)
  else if ('term' in query && isRecipientField(index, query.term.field)) {
    if (typeof query.term.value === 'string') into.add(query.term.value)
  } else if ('terms' in query && isRecipientField(index, query.terms.field)) {
    for (const v of query.terms.values) if (typeof v === 'string') into.add(v)
  }
}
