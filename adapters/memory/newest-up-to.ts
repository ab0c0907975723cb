/**
 * @module Whether every document up to a number is older than a time: a newest-first search
 * visiting candidates by descending number may stop ranking at the first candidate for which that
 * holds of its page's oldest hit, since no document at or below it can make the page; the rest are
 * only counted. Messages arrive about in time order, so this happens soon after the page fills; a
 * late message (an older `sentAt` after newer ones, or a live write during a rebuild) only delays
 * the stop by the documents it overtook, where a check of strict order would turn it off for good.
 *
 * Kept per block of {@link BLOCK} documents: the newest value up to the block's end (1/8 B a
 * document; a bound per document, 8 B, was 2% of the heap at 1M messages). The answer is still
 * the per-document one: the values are nondecreasing, so only the block where they cross the time
 * needs its documents read, and a search meets that block once. Extended lazily over documents
 * added since the last search; a removal leaves a block's value as it was, which is conservative.
 */
import type { DocumentFields } from './stored-documents.ts'

const SHIFT = 6
/** Documents per block. */
export const BLOCK = 1 << SHIFT

export class NewestUpTo {
  readonly #field: string
  /** Per block, the newest value among documents 0 to the block's last (so far, for the last block). */
  #ends = new Float64Array(16)
  #computed = 0
  #newest = Number.NEGATIVE_INFINITY
  #docs: DocumentFields | undefined
  #read: ((docNo: number) => unknown) | undefined

  constructor(field: string) {
    this.#field = field
  }

  /** Brought up to `docs.length`; then {@link olderThan} answers for `docs`. */
  update(docs: DocumentFields): this {
    this.#docs = docs
    this.#read = docs.reader(this.#field)
    const blocks = (docs.length + BLOCK - 1) >>> SHIFT
    if (this.#ends.length < blocks) {
      const grown = new Float64Array(Math.max(blocks, this.#ends.length * 2))
      grown.set(this.#ends)
      this.#ends = grown
    }
    for (; this.#computed < docs.length; this.#computed++) {
      const value = this.#valueOf(this.#computed)
      if (!(value <= this.#newest)) this.#newest = value
      this.#ends[this.#computed >>> SHIFT] = this.#newest
    }
    return this
  }

  /** Whether every document numbered `docNo` or below is older than `time`. */
  olderThan(docNo: number, time: number): boolean {
    const block = docNo >>> SHIFT
    if ((this.#ends[block] as number) < time) return true
    if (block > 0 && !((this.#ends[block - 1] as number) < time)) return false
    // The block where the values cross `time`: its documents up to `docNo` decide.
    for (let n = block << SHIFT; n <= docNo; n++) if (!(this.#valueOf(n) < time)) return false
    return true
  }

  /**
   * A document's value as a bound: a missing value (or a removed document) sorts after every
   * number and cannot beat a page; NaN, which has no place in the order, stops no search below it.
   */
  #valueOf(docNo: number): number {
    if (!(this.#docs as DocumentFields).has(docNo)) return Number.NEGATIVE_INFINITY
    const value = (this.#read as (docNo: number) => unknown)(docNo)
    if (typeof value !== 'number') return Number.NEGATIVE_INFINITY
    return Number.isNaN(value) ? Number.POSITIVE_INFINITY : value
  }

  /** Bytes of the blocks' values (see `memory-usage.ts`). */
  get byteLength(): number {
    return this.#ends.byteLength
  }
}
