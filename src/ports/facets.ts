/**
 * @module Facets and grouped searches: counts over every document a query matches, as the search
 * port returns them. Backends compute them where the documents are (the embedded engine while it
 * visits the matches, Tablestore with search-index aggregations), never by paging every match to
 * the core.
 */
import type { Query } from '../query/dsl.ts'
import type { IndexName } from '../query/index-schemas.ts'
import type { Sort } from '../query/sort.ts'
import type { SearchHit } from './search-backend.ts'

/**
 * One facet: counts of matching documents per value.
 * - `terms`: per value of a keyword field;
 * - `day`: per calendar date (`YYYY-MM-DD`) in `timeZone` (an IANA zone) of a numeric epoch-ms field.
 * Values come ordered by count descending, then value ascending, at most `size` of them.
 */
export type FacetRequest =
  | { kind: 'terms'; field: string; size: number }
  | { kind: 'day'; field: string; timeZone: string; size: number }

export interface FacetValue {
  value: string
  count: number
}

/** Facets by the names the request gave them. */
export type FacetCounts = Record<string, FacetValue[]>

/** The order of every facet's values: count descending, then value ascending. */
export function compareFacetValues(a: FacetValue, b: FacetValue): number {
  return b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)
}

/**
 * Matching documents grouped by the value of a keyword field (a message search grouped by
 * conversation): each group's count and its first document under `sort`. Groups are ordered by
 * their first document's first sort key (a field), then by value ascending.
 */
export interface GroupedSearchRequest {
  query: Query
  /** A keyword field; documents without a value are in no group. */
  field: string
  /** Orders each group's documents; its first key must be a `field` sort. */
  sort: Sort[]
  /** Groups per page, 1..100. */
  limit: number
  /** The `next` token of the previous page of this same request. */
  after?: string | undefined
}

export interface SearchGroup<I extends IndexName> {
  value: string
  /** Matching documents in the group. */
  count: number
  /** The group's first document under the request's sort. */
  top: SearchHit<I>
}

export interface GroupedSearchPage<I extends IndexName> {
  groups: SearchGroup<I>[]
  /** The number of groups, over all pages. */
  total: number
  next?: string | undefined
}
