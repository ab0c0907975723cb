/**
 * @module Facet counts of the embedded engine, taken while a search visits its matches. A match
 * is counted by number, from the index's columns (`doc-columns.ts`): a keyword facet by its value's
 * number, a day facet by its quarter hour's date number in the zone (`ZoneDays`), each into a
 * {@link Tally}; only values the columns cannot number (keyword arrays) are read from the
 * document and counted by string. Values are named, merged and cut once at the end.
 */
import {
  compareFacetValues,
  type FacetCounts,
  type FacetRequest,
  type FacetValue,
} from '../../src/ports/facets.ts'
import { zoneDays } from '../../src/query/time-zone.ts'
import { type DocColumns, STORED_FROM, STORED_NONE, STORED_READ, storedAt } from './doc-columns.ts'
import type { DocumentFields } from './stored-documents.ts'
import { Tally } from './tally.ts'
import { TopK } from './top-k.ts'

interface Counting {
  name: string
  size: number
  /**
   * Counts the documents `docNos[0, count)`, live and stored in `docs`, from the rows of `table`
   * (see {@link DocColumns.table}), `stride` bytes each: one tight loop a facet, in document
   * order, so that the rows' cache misses overlap (the first facet's loop takes them, the others
   * find the rows cached).
   */
  addAll(table: Uint8Array, stride: number, docNos: Int32Array, count: number, docs: DocumentFields): void
  /** Calls `fn` once per value counted, with its count. */
  each(fn: (value: string, count: number) => void): void
  /** Gives the counts' scratch back: the facet is read once. */
  release(): void
}

function counting(name: string, request: FacetRequest, columns: DocColumns): Counting {
  if (request.kind === 'day') {
    const zone = zoneDays(request.timeZone)
    const { place } = columns.quarterHours(request.field)
    const tally = new Tally(zone.days.length)
    return {
      name,
      size: request.size,
      addAll: (table, stride, docNos, count, docs) => {
        // The column's live place: only writes move it, never during a search.
        const { offset, width, base } = place
        for (let i = 0; i < count; i++) {
          const docNo = docNos[i] as number
          const stored = storedAt(table, docNo * stride + offset, width)
          if (stored === STORED_NONE) continue
          const day = stored === STORED_READ ? -1 : zone.ofQuarter(stored - STORED_FROM + base)
          // A date change inside the quarter hour (or an instant beyond 32 bits): the instant's own date.
          tally.add(day >= 0 ? day : zone.of(docs.field(docNo, request.field) as number))
        }
      },
      each: (fn) => {
        tally.each((n, count) => fn(zone.days[n] as string, count))
      },
      release: () => tally.release(),
    }
  }
  const column = columns.keyword(request.field)
  const place = column.place
  const tally = new Tally(column.values.length)
  // Arrays, counted once per distinct string as a terms aggregation does.
  const read = new Map<string, number>()
  return {
    name,
    size: request.size,
    addAll: (table, stride, docNos, count, docs) => {
      const { offset, width } = place
      for (let i = 0; i < count; i++) {
        const docNo = docNos[i] as number
        // A keyword column's base is 0: its numbers start there.
        const stored = storedAt(table, docNo * stride + offset, width)
        if (stored >= STORED_FROM) tally.add(stored - STORED_FROM)
        else if (stored === STORED_READ)
          for (const v of new Set(docs.field(docNo, request.field) as unknown[]))
            if (typeof v === 'string') read.set(v, (read.get(v) ?? 0) + 1)
      }
    },
    each: (fn) => {
      const names = column.values
      if (read.size === 0) tally.each((n, count) => fn(names[n] as string, count))
      else {
        // Values read from arrays, merged by name (rare: facets are asked of single-valued fields).
        const merged = new Map(read)
        tally.each((n, count) => {
          const name = names[n] as string
          merged.set(name, (merged.get(name) ?? 0) + count)
        })
        for (const [value, count] of merged) fn(value, count)
      }
    },
    release: () => tally.release(),
  }
}

export class FacetCounter {
  readonly #facets: Counting[]
  readonly #table: Uint8Array
  readonly #stride: number

  /** @param columns the searched index's columns (made here for the facets' fields if not yet). */
  constructor(facets: Readonly<Record<string, FacetRequest>>, columns: DocColumns) {
    // The facets' columns made together, if they are not yet (see DocColumns.prepare).
    const requests = Object.values(facets)
    columns.prepare(
      requests.flatMap((request) => (request.kind === 'day' ? [] : [request.field])),
      requests.flatMap((request) => (request.kind === 'day' ? [request.field] : [])),
    )
    this.#facets = Object.entries(facets).map(([name, request]) => counting(name, request, columns))
    // Read once every column is made: making one replaces the table.
    this.#table = columns.table
    this.#stride = columns.stride
  }

  /** Counts the live documents `docNos[0, count)`, stored in `docs` (read only for values the columns cannot number). */
  addAll(docNos: Int32Array, count: number, docs: DocumentFields): void {
    for (const facet of this.#facets) facet.addAll(this.#table, this.#stride, docNos, count, docs)
  }

  /** The counts, once: the counter gives its scratch back. */
  result(): FacetCounts {
    const out: FacetCounts = {}
    for (const facet of this.#facets) {
      // The first `size` by count, then value: a heap of them, not a sort of every value counted.
      const top = new TopK<FacetValue>(facet.size, compareFacetValues)
      const probe: FacetValue = { value: '', count: 0 }
      facet.each((value, count) => {
        probe.value = value
        probe.count = count
        if (top.admits(probe)) top.push({ value, count })
      })
      out[facet.name] = top.sorted()
      facet.release()
    }
    return out
  }
}
