/**
 * @module Facets and grouped searches by brute force, over the oracle's matches: what every
 * backend's counts must equal. Written to be obviously correct: each day is formatted with `Intl`
 * on its own, each group's best document found by the oracle's own order.
 */
import {
  compareFacetValues,
  type FacetCounts,
  type FacetRequest,
  type GroupedSearchRequest,
} from '../../src/ports/facets.ts'
import type { IndexName } from '../../src/query/index-schemas.ts'
import { dayOf } from '../../src/query/time-zone.ts'
import { type Doc, type OracleHit, oracleSearch } from './evaluate.ts'

type Fields = Readonly<Record<string, unknown>>

/** The facet values of one document: distinct values of a keyword field, or the day of a time. */
function facetValues(doc: Fields, request: FacetRequest): string[] {
  const value = doc[request.field]
  if (request.kind === 'day') return typeof value === 'number' ? [dayOf(value, request.timeZone)] : []
  const all = Array.isArray(value) ? value : [value]
  return [...new Set(all.filter((v): v is string => typeof v === 'string'))]
}

/** Counts per value over `hits`, ordered and cut as the port says. */
export function oracleFacets(
  hits: readonly { document: Doc }[],
  facets: Readonly<Record<string, FacetRequest>>,
): FacetCounts {
  const out: FacetCounts = {}
  for (const [name, request] of Object.entries(facets)) {
    const counts = new Map<string, number>()
    for (const hit of hits)
      for (const v of facetValues(hit.document as Fields, request)) counts.set(v, (counts.get(v) ?? 0) + 1)
    out[name] = [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort(compareFacetValues)
      .slice(0, request.size)
  }
  return out
}

export interface OracleGroup<D extends Doc> {
  value: string
  count: number
  top: OracleHit<D>
}

/** Every group of the matches, in the port's order: first sort key of the best hit, then value. */
export function oracleGroups<D extends Doc>(
  index: IndexName,
  docs: readonly D[],
  request: Omit<GroupedSearchRequest, 'limit' | 'after'>,
): OracleGroup<D>[] {
  const result = oracleSearch(index, docs, request.query, request.sort)
  const scored = (h: OracleHit<D>) => ({ id: h.id, score: h.score.score })
  const ordered = [...result.hits].sort(
    (a, b) => result.compare(scored(a), scored(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
  const groups = new Map<string, OracleGroup<D>>()
  for (const hit of ordered) {
    const value = (hit.document as Fields)[request.field]
    if (typeof value !== 'string') continue
    const group = groups.get(value)
    if (group) group.count++
    else groups.set(value, { value, count: 1, top: hit })
  }
  const first = request.sort[0]
  if (!first || !('field' in first)) throw new Error('oracle: a grouped search sorts by a field first')
  const { name, order } = first.field
  const direction = order === 'desc' ? -1 : 1
  const keyOf = (g: OracleGroup<D>) => (g.top.document as Fields)[name] as number | string
  return [...groups.values()].sort((a, b) => {
    const [ka, kb] = [keyOf(a), keyOf(b)]
    if (ka !== kb) return (ka < kb ? -1 : 1) * direction
    return a.value < b.value ? -1 : a.value > b.value ? 1 : 0
  })
}
