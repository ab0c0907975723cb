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

export interface Competitor {
  readonly name: 'minisearch' | 'flexsearch' | 'brute-force'
  /** How it is configured and where it deviates from the matching rule. */
  readonly setup: string
  add(doc: number, message: CorpusMessage): void
  search(query: CompareQuery): CompareAnswer
}
