/**
 * @module Facet counts of the embedded engine, taken while a search visits its matches: one map
 * of value → count per facet, sorted and cut once at the end.
 */
import {
  compareFacetValues,
  type FacetCounts,
  type FacetRequest,
  type FacetValue,
} from '../../src/ports/facets.ts'
import { dayKeyer } from '../../src/query/time-zone.ts'
import type { Source } from './plan.ts'

interface Counting {
  name: string
  size: number
  counts: Map<string, number>
  add(source: Source): void
}

function counting(name: string, request: FacetRequest): Counting {
  const counts = new Map<string, number>()
  const bump = (value: string) => counts.set(value, (counts.get(value) ?? 0) + 1)
  if (request.kind === 'day') {
    const day = dayKeyer(request.timeZone)
    return {
      name,
      size: request.size,
      counts,
      add: (source) => {
        const ms = source[request.field]
        if (typeof ms === 'number') bump(day(ms))
      },
    }
  }
  return {
    name,
    size: request.size,
    counts,
    add: (source) => {
      const value = source[request.field]
      if (typeof value === 'string') bump(value)
      // An array field counts a document once per distinct value, as a terms aggregation does.
      else if (Array.isArray(value)) for (const v of new Set(value)) if (typeof v === 'string') bump(v)
    },
  }
}

export class FacetCounter {
  readonly #facets: Counting[]

  constructor(facets: Readonly<Record<string, FacetRequest>>) {
    this.#facets = Object.entries(facets).map(([name, request]) => counting(name, request))
  }

  add(source: Source): void {
    for (const facet of this.#facets) facet.add(source)
  }

  result(): FacetCounts {
    const out: FacetCounts = {}
    for (const facet of this.#facets) {
      const values: FacetValue[] = [...facet.counts].map(([value, count]) => ({ value, count }))
      out[facet.name] = values.sort(compareFacetValues).slice(0, facet.size)
    }
    return out
  }
}
