/**
 * @module A numeric field (`long` or `double`: `sentAt`, `sequenceId`, `addedAt`) by document
 * number, exactly: sort keys, ranges and field factors read it instead of the stored document, a
 * scattered object load a match at a million documents (issue 15: the document loads of a
 * four-facet search were a third of its time). A value that is not one plain number (missing,
 * an array, a string, NaN) is held as "read the document". Four bytes a document while every
 * value is a 32-bit integer (a conversation's sequence numbers), eight once one is not (epoch
 * milliseconds). Made on the first search that needs it, from the documents, then kept by every
 * write; snapshots need not save it.
 */
import type { MemoryTally } from './memory-usage.ts'
import type { Source } from './plan.ts'

/** In 32-bit form, the number that says "read the document" (the integer itself widens the column). */
const READ_INT = -2147483648

export class NumberColumn {
  readonly #field: string
  /** 32-bit integers until a value does not fit, then doubles ({@link READ_INT} and NaN: read the document). */
  #values: Int32Array | Float64Array = new Int32Array(1024)
  /** Documents written so far (slots past it are spare). */
  #size = 0

  constructor(field: string) {
    this.#field = field
  }

  add(docNo: number, source: Source): void {
    const value = source[this.#field]
    const number = typeof value === 'number'
    // -0 and the sentinel itself are not held as 32-bit integers either.
    if (this.#values instanceof Int32Array && number && !isHeldInt(value)) this.#widen()
    let values = this.#values
    if (docNo >= values.length) {
      // A quarter more at a time: at ten million documents a doubling would leave 80 MB spare.
      const length = Math.max(docNo + 1, Math.ceil(values.length * 1.25))
      const grown = values instanceof Int32Array ? new Int32Array(length) : new Float64Array(length)
      grown.set(values)
      values = grown
      this.#values = values
    }
    values[docNo] = number ? value : values instanceof Int32Array ? READ_INT : Number.NaN
    if (docNo >= this.#size) this.#size = docNo + 1
  }

  /** The column as doubles, once a value is not a 32-bit integer. */
  #widen(): void {
    this.#values = Float64Array.from(this.#values, (v) => (v === READ_INT ? Number.NaN : v))
  }

  /** Document `docNo`'s number, or NaN: the document holds something else (read it). */
  of(docNo: number): number {
    const value = this.#values[docNo] as number
    return value === READ_INT ? Number.NaN : value
  }

  /** Fitted to the documents written (called once filled, and at compactions): deleted ones keep their slots. */
  compact(): void {
    if (this.#values.length > this.#size) this.#values = this.#values.slice(0, Math.max(this.#size, 1))
  }

  memoryUsage(tally: MemoryTally): void {
    tally.add('masks', this.#values.byteLength)
  }
}

/** Whether `value` is held as itself in a 32-bit column. */
function isHeldInt(value: number): boolean {
  return (value | 0) === value && value !== READ_INT && !Object.is(value, -0)
}
