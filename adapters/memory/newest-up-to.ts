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
export class NewestUpTo {
  /** The field's value of a document, undefined where deleted (from its number column, see `DocIndex`). */
  readonly #valueAt: (docNo: number) => unknown
  #bounds = new Float64Array(1024)
  #computed = 0
  #newest = Number.NEGATIVE_INFINITY

  constructor(valueAt: (docNo: number) => unknown) {
    this.#valueAt = valueAt
  }

  /** The bounds, brought up to `documents` (how many document numbers there are): `bounds[n]` for document n. */
  bounds(documents: number): Float64Array {
    if (this.#bounds.length < documents) {
      const grown = new Float64Array(Math.max(documents, this.#bounds.length * 2))
      grown.set(this.#bounds)
      this.#bounds = grown
    }
    for (; this.#computed < documents; this.#computed++) {
      const value = this.#valueAt(this.#computed)
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
