/**
 * @module The search port: what every search backend implements. One small interface; the core
 * (`src/services`) fills in everything backend-neutral: permission filters, cursors, highlights,
 * validation.
 */
import type { Query } from '../query/dsl.ts'
import type { IndexName } from '../query/index-schemas.ts'
import type { Sort } from '../query/sort.ts'
import type { DocumentOf } from './documents.ts'
import type { FacetCounts, FacetRequest, GroupedSearchPage, GroupedSearchRequest } from './facets.ts'
import type { IndexSnapshots } from './index-snapshots.ts'

export interface SearchRequest {
  /**
   * A query already validated against the index's schema (`query/validate.ts`). For messages the
   * service has put the caller's permission filter in it; adapters must honour every `filter`
   * clause inside the query and must never widen it.
   */
  query: Query
  /** Sort keys; default: score descending. */
  sort?: Sort[] | undefined
  /** Page size, 1..100. */
  limit: number
  /** The `next` token of the previous page of this same request; opaque to the caller. */
  after?: string | undefined
  /** Facets to count over every matching document (all pages), by name. */
  facets?: Readonly<Record<string, FacetRequest>> | undefined
}

export interface SearchHit<I extends IndexName> {
  id: string
  /**
   * The relevance score the backend ranked the hit by, by the DSL's scoring rules
   * (`query/dsl.ts`), on every hit whatever the sort: a backend that can only order by score
   * without reporting it must ask for it (Tablestore: with highlighting), never report 0.
   */
  score: number
  document: DocumentOf<I>
}

export interface SearchPage<I extends IndexName> {
  hits: SearchHit<I>[]
  /** The exact number of matching documents, over all pages. */
  total: number
  /** Present when more hits follow: pass it back as `after` with the same request. */
  next?: string | undefined
  /** The requested facets, each over every matching document. */
  facets?: FacetCounts | undefined
}

/** Document counts and the generation an index is on, for operators. */
export interface IndexStats {
  documents: number
  /** Increases by one at every completed rebuild. */
  generation: number
  /** A rebuild of this index is under way. */
  rebuilding: boolean
}

/** Bytes one part of an index holds in this process (see {@link SearchBackend.memoryUsage}). */
export interface IndexMemoryPart {
  index: IndexName
  /** The adapter's name for a kind of structure, e.g. `postings` or `documents`. */
  part: string
  bytes: number
  /** true: read from the structures (typed arrays' sizes); false: an estimate (maps, strings, objects). */
  exact: boolean
}

export interface RebuildOptions<I extends IndexName> {
  /** Every document the new generation holds, in pages (read from the record store). */
  documents: () => AsyncIterable<DocumentOf<I>[]>
  /** Called as documents are added to the new generation, with the count so far. */
  onProgress?: (done: number) => void
  /** Aborting drops the new generation; the live one is untouched. */
  signal?: AbortSignal
}

/**
 * A search backend. Implementations: `adapters/memory` (embedded, read-your-writes) and
 * `adapters/tablestore` (production; near-real-time). The contract suite in `test/contract/`
 * states the behaviour every implementation must show.
 */
export interface SearchBackend {
  /** The adapter's name, e.g. `memory` or `tablestore`. */
  readonly name: string
  /**
   * Add or replace documents, keyed by the index's id field. Resolves once the write is durable
   * in the backend. A backend without `settle` is read-your-writes: the next search sees it.
   */
  index<I extends IndexName>(index: I, documents: readonly DocumentOf<I>[]): Promise<void>
  /** Remove documents by id; unknown ids are ignored. */
  remove(index: IndexName, ids: readonly string[]): Promise<void>
  /** Run a query. Invalid page tokens throw {@link InvalidPageTokenError}. */
  search<I extends IndexName>(index: I, request: SearchRequest): Promise<SearchPage<I>>
  /**
   * Run a query with its matches grouped by a keyword field (see {@link GroupedSearchRequest}):
   * a page of groups with each group's count and first document. Invalid page tokens throw
   * {@link InvalidPageTokenError}.
   */
  searchGrouped<I extends IndexName>(index: I, request: GroupedSearchRequest): Promise<GroupedSearchPage<I>>
  stats(index: IndexName): Promise<IndexStats>
  /**
   * Build a new generation of `index` beside the live one and swap it in atomically. Searches
   * answer from the live generation until the swap; `index`/`remove` calls made meanwhile reach
   * the new generation too, and win over older versions read by `documents`. Resolves with the
   * new generation; rejects with {@link RebuildInProgressError} when one is already running.
   */
  rebuild<I extends IndexName>(index: I, options: RebuildOptions<I>): Promise<number>
  /**
   * Present on an eventually consistent backend (its search indexes follow writes
   * asynchronously): resolves once every `index`/`remove` this instance completed is visible to
   * search, polling within a bound, never sleeping blindly; rejects when the bound passes. Absent:
   * the backend is read-your-writes, a resolved write is visible to the next search.
   */
  settle?(): Promise<void>
  /**
   * Subscribe to writes that may still be applied later: an `index`/`remove` call one of whose
   * attempts timed out or lost its answer, whether the call then succeeded on a retry or failed. A
   * remote backend may apply such an attempt after a newer write of the same documents; the
   * listener re-applies their latest state once that can no longer happen (the indexing queue
   * does). Backends whose writes are never in doubt leave it out.
   */
  onUncertainWrite?(listener: (index: IndexName, ids: readonly string[]) => void): void
  /**
   * Bytes the backend's indexes hold in this process, by index and part, for `/metrics`: what to
   * watch as a data dir grows toward the machine's memory. Each part says whether it is exact.
   * Backends whose indexes live elsewhere (Tablestore) leave it out.
   */
  memoryUsage?(): readonly IndexMemoryPart[]
  /**
   * Present on a backend whose indexes live in this process and can be saved beside the records
   * (the embedded engine, given a directory): start-up loads them instead of rebuilding.
   * Backends whose indexes persist on their own (Tablestore) leave it out.
   */
  readonly snapshots?: IndexSnapshots | undefined
  /** Release resources; the backend is unusable afterwards. */
  close(): Promise<void>
}

/** A page token that this backend did not issue or cannot read. The core maps it to a 400. */
export class InvalidPageTokenError extends Error {
  override readonly name = 'InvalidPageTokenError'
}

/**
 * The backend cannot be reached or gave up after retries (throttling, timeouts, connection
 * errors). The core maps it to a 503; nothing was written by the failed call.
 */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError'
}

/**
 * The backend refuses a query or a document that is valid in the DSL but beyond what the backend
 * documents it can run or store exactly (sub-queries per request, array elements, keyword length).
 * The caller's to change: the core maps it to a 400 with the message as detail.
 */
export class QueryRefusedError extends Error {
  override readonly name: string = 'QueryRefusedError'
}

/** A rebuild of the same index is already running. The core maps it to a 409. */
export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError'
}
