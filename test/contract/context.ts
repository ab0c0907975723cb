/**
 * @module What the contract's case files share: the context a backend runs in, loading helpers
 * that wait for consistency, and a pager that checks the page-token rules on every page it reads.
 */
import { expect } from 'vitest'
import type { DocumentOf } from '../../src/ports/documents.ts'
import type { SearchBackend, SearchHit, SearchRequest } from '../../src/ports/search-backend.ts'
import type { Query } from '../../src/query/dsl.ts'
import type { IndexName } from '../../src/query/index-schemas.ts'
import type { Sort } from '../../src/query/sort.ts'
import { parseQueryTerms } from '../../src/text/query-terms.ts'

export interface ContractContext {
  name: string
  /** Registers a test that gets a fresh backend, closed afterwards; honours the skip list. */
  test(title: string, fn: (backend: SearchBackend) => Promise<void>): void
  /** A fresh backend for `fn`, closed afterwards (property runs use one per case). */
  withBackend<T>(fn: (backend: SearchBackend) => Promise<T>): Promise<T>
  /** Index documents, then wait until the backend shows them. */
  load<I extends IndexName>(backend: SearchBackend, index: I, docs: readonly DocumentOf<I>[]): Promise<void>
  /** Remove documents, then wait until the backend shows it. */
  drop(backend: SearchBackend, index: IndexName, ids: readonly string[]): Promise<void>
  /** fast-check runs per property. */
  numRuns: number
}

export const NEWEST: Sort[] = [
  { field: { name: 'sentAt', order: 'desc' } },
  { field: { name: 'sequenceId', order: 'desc' } },
]
export const OLDEST: Sort[] = [
  { field: { name: 'sentAt', order: 'asc' } },
  { field: { name: 'sequenceId', order: 'asc' } },
]
export const RELEVANCE: Sort[] = [{ score: { order: 'desc' } }]

/** The permission filter the service puts in every message query. */
export function canSee(userId: string): Query {
  return { terms: { field: 'recipients', values: [userId] } }
}

/**
 * A message search as the service builds it: each term of the query string is a `match_phrase`
 * on `content`, every term required, and the caller's permission filter in `filter`.
 */
export function messageQuery(text: string, userId: string, filters: Query[] = []): Query {
  const must: Query[] = parseQueryTerms(text).map((term) => ({
    match_phrase: { field: 'content', query: term.text },
  }))
  return { bool: { must, filter: [canSee(userId), ...filters] } }
}

/** Every hit id of one page-through. */
export interface PagedResult<I extends IndexName> {
  hits: SearchHit<I>[]
  total: number
  pages: number
}

/**
 * Reads every page of `request`, checking the page rules as it goes: the same `total` on every
 * page, full pages until the last, no id twice, and `next` present exactly when hits follow.
 */
export async function readAllPages<I extends IndexName>(
  backend: SearchBackend,
  index: I,
  request: Omit<SearchRequest, 'after'>,
  maxPages = 1000,
): Promise<PagedResult<I>> {
  const hits: SearchHit<I>[] = []
  const seen = new Set<string>()
  let total: number | undefined
  let after: string | undefined
  let pages = 0
  for (;;) {
    const page = await backend.search(index, { ...request, after })
    pages++
    if (total === undefined) total = page.total
    expect(page.total, `total on page ${pages}`).toBe(total)
    for (const hit of page.hits) {
      expect(seen.has(hit.id), `hit ${hit.id} repeated on page ${pages}`).toBe(false)
      seen.add(hit.id)
      hits.push(hit)
    }
    const remaining = total - (hits.length - page.hits.length)
    expect(page.hits.length, `size of page ${pages}`).toBe(Math.min(request.limit, Math.max(remaining, 0)))
    if (hits.length >= total) {
      expect(page.next, `next on the last page (${pages})`).toBeUndefined()
      break
    }
    expect(page.next, `next on page ${pages} of ${hits.length}/${total} hits`).toBeTypeOf('string')
    after = page.next
    if (pages >= maxPages) throw new Error(`more than ${maxPages} pages`)
  }
  expect(hits.length).toBe(total)
  return { hits, total: total ?? 0, pages }
}

export function ids(hits: readonly { id: string }[]): string[] {
  return hits.map((h) => h.id)
}

export function sortedIds(hits: readonly { id: string }[]): string[] {
  return ids(hits).sort()
}
