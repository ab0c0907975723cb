/** @module What every compared engine answers: a message query as one user, first page of 20. */
import type { CorpusMessage } from '../corpus/index.ts'

export interface CompareQuery {
  /** The query string as a user types it; undefined for the filter-only query. */
  q: string | undefined
  userId: string
  /** Filter-only: one conversation, newest first. */
  conversationId: string | undefined
}

export interface CompareAnswer {
  /** Message numbers (insertion order), best first, at most 20. */
  hits: number[]
  /** The number of matches when the engine knows it. */
  total: number | undefined
}

/** What an engine that keeps its index outside the JS heap (a database file) holds there. */
export interface StoreSize {
  bytes: number
  /** Its parts, for the report (e.g. full-text index, rows, recipient lists). */
  parts: Record<string, number>
}

export interface Competitor {
  readonly name: 'minisearch' | 'flexsearch' | 'sqlite-fts5' | 'brute-force'
  /** How it is configured and where it deviates from the matching rule. */
  readonly setup: string
  add(doc: number, message: CorpusMessage): void
  /** Finishes the build after the last `add` (commit, merge segments, indexes); timed as build. */
  seal?(): void
  /** The bytes it keeps outside the JS heap, after `seal`. */
  storeSize?(): StoreSize
  /** Releases what it holds outside the JS heap (closes and deletes its files). */
  close?(): void
  search(query: CompareQuery): CompareAnswer
}
