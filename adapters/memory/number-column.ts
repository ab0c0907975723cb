/**
 * @module A numeric field (`long` or `double`: `sentAt`, `sequenceId`, `addedAt`) by document
 * number, exactly, eight bytes a document: sort keys, ranges and field factors read it instead
 * of the stored document, a scattered object load a match at a million documents (issue 15: the
 * document loads of a four-facet search were a third of its time). A value that is not one plain
 * number (missing, an array, a string, NaN) is held as NaN, which says "read the document".
 * Made on the first search that needs it, from the documents, then kept by every write;
 * snapshots need not save it.
 */
import type { MemoryTally } from './memory-usage.ts'
import type { Source } from './plan.ts'

export class NumberColumn {
  readonly #field: string
  #values = new Float64Array(1024)
  /** Documents written so far (slots past it are spare). */
  #size = 0

  constructor(field: string) {
    this.#field = field
  }

  add(docNo: number, source: Source): void {
    if (docNo >= this.#values.length) {
      // A quarter more at a time: at ten million documents a doubling would leave 80 MB spare.
      const grown = new Float64Array(Math.max(docNo + 1, Math.ceil(this.#values.length * 1.25)))
      grown.set(this.#values)
      this.#values = grown
    }
    const value = source[this.#field]
    this.#values[docNo] = typeof value === 'number' ? value : Number.NaN
    if (docNo >= this.#size) this.#size = docNo + 1
  }

  /** Document `docNo`'s number, or NaN: the document holds something else (read it). */
  of(docNo: number): number {
    return this.#values[docNo] as number
  }

  /** Fitted to the documents written (called once filled, and at compactions): deleted ones keep their slots. */
  compact(): void {
    if (this.#values.length > this.#size) this.#values = this.#values.slice(0, Math.max(this.#size, 1))
  }

  memoryUsage(tally: MemoryTally): void {
    tally.add('masks', this.#values.byteLength)
  }
}
