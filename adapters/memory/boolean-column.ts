/**
 * @module A boolean field by document number, a byte each: a `term` on it (discovery's
 * `discoverable`, tested on every candidate of a people search) is answered without loading the
 * document, a scattered object at a million documents. After the tag search's weights left the
 * documents (`nested-weights.ts`), that load was a third of the tag search's time at 1M messages.
 * Made on the first search that needs it, from the documents, then kept by every write; snapshots
 * need not save it.
 */
import type { MemoryTally } from './memory-usage.ts'
import type { Source } from './plan.ts'

/** A document's value in the column. */
export const BOOLEAN = { false: 0, true: 1, none: 2, read: 3 } as const

export class BooleanColumn {
  readonly #field: string
  #codes = new Uint8Array(1024)

  constructor(field: string) {
    this.#field = field
  }

  add(docNo: number, source: Source): void {
    if (docNo >= this.#codes.length) {
      const grown = new Uint8Array(Math.max(docNo + 1, this.#codes.length * 2))
      grown.set(this.#codes)
      this.#codes = grown
    }
    const value = source[this.#field]
    // An array is tested element by element from the document; anything else but a boolean matches no boolean.
    this.#codes[docNo] =
      typeof value === 'boolean'
        ? value
          ? BOOLEAN.true
          : BOOLEAN.false
        : Array.isArray(value)
          ? BOOLEAN.read
          : BOOLEAN.none
  }

  /** Document `docNo`'s value: a {@link BOOLEAN} code (`read`: look in the document). */
  of(docNo: number): number {
    return this.#codes[docNo] as number
  }

  memoryUsage(tally: MemoryTally): void {
    tally.add('masks', this.#codes.byteLength)
  }
}
