/**
 * @module For every document number n, the newest value of a numeric field (`sentAt`) among
 * documents 0..n. A newest-first search visiting candidates by descending number may stop ranking
 * at the first candidate whose bound is older than its page's oldest hit: no document at or below
 * it can make the page, so the rest are only counted. Messages arrive about in time order, so the
 * bound follows `sentAt` closely; a late message (an older `sentAt` after newer ones, or a live
 * write during a rebuild) only delays the stop by the documents it overtook, where a check of
 * strict order would turn the stop off for good. Extended lazily over documents added since the
 * last search; a removal or replacement leaves the bound as it was, which is conservative.
 */
import type { DocumentFields } from './stored-documents.ts'

export class NewestUpTo {
  readonly #field: string
  #bounds = new Float64Array(1024)
  #computed = 0
  #newest = Number.NEGATIVE_INFINITY

  constructor(field: string) {
    this.#field = field
  }

  /** The bounds, brought up to `docs.length`: `bounds[n]` for document n. */
  bounds(docs: DocumentFields): Float64Array {
    if (this.#bounds.length < docs.length) {
      const grown = new Float64Array(Math.max(docs.length, this.#bounds.length * 2))
      grown.set(this.#bounds)
      this.#bounds = grown
    }
    const read = this.#computed < docs.length ? docs.reader(this.#field) : undefined
    for (; this.#computed < docs.length; this.#computed++) {
      const value = docs.has(this.#computed)
        ? (read as (docNo: number) => unknown)(this.#computed)
        : undefined
      // A missing value sorts after every number and cannot beat a page; NaN, which has no place
      // in the order, stops no search below it.
      if (typeof value === 'number' && !(value <= this.#newest))
        this.#newest = Number.isNaN(value) ? Number.POSITIVE_INFINITY : value
      this.#bounds[this.#computed] = this.#newest
    }
    return this.#bounds
  }

  /** Bytes of the bounds (see `memory-usage.ts`). */
  get byteLength(): number {
    return this.#bounds.byteLength
  }
}
