/**
 * @module Whether a numeric field never decreases with document number (messages arrive in time
 * order, so `sentAt` does): a newest-first search visiting candidates by descending number may
 * then stop ranking at the first candidate older than its page's oldest hit, and only count.
 * Checked lazily over documents added since the last call; once broken, it stays broken
 * (conservative: a removal never restores it).
 */
import type { Source } from './plan.ts'

export class AscendingField {
  readonly #field: string
  #checkedUpTo = 0
  #last = Number.NEGATIVE_INFINITY
  #ascending = true

  constructor(field: string) {
    this.#field = field
  }

  /** Whether every live document of `docs` holds a number, none smaller than an earlier one's. */
  holds(docs: readonly (object | undefined)[]): boolean {
    for (; this.#ascending && this.#checkedUpTo < docs.length; this.#checkedUpTo++) {
      const doc = docs[this.#checkedUpTo] as Source | undefined
      if (!doc) continue
      const value = doc[this.#field]
      // `!(>=)` so that NaN breaks it too.
      if (typeof value !== 'number' || !(value >= this.#last)) this.#ascending = false
      else this.#last = value
    }
    return this.#ascending
  }
}
