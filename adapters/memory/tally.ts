/**
 * @module Counts by small non-negative number (a value's number in a column, a date's number in
 * a zone): an array slot a count and the list of numbers counted, where a `Map` would hash a
 * string per match. Both arrays are borrowed (`scratch-ints.ts`) and given back by
 * {@link Tally.release}: a list grown a push at a time was half of what a four-facet search
 * allocated at 10M (its sender facet counts thousands of senders).
 */
import { borrowZeroed, giveBack } from './scratch-ints.ts'

export class Tally {
  #counts: Int32Array
  /** The numbers counted at least once, in the order first counted: `#order[0, #distinct)`. */
  #order: Int32Array
  #distinct = 0

  /** @param size the numbers expected (below it, nothing grows). */
  constructor(size: number) {
    this.#counts = borrowZeroed(size)
    this.#order = borrowZeroed(size)
  }

  add(n: number): void {
    if (n >= this.#counts.length) this.#counts = grown(this.#counts, n + 1)
    if ((this.#counts[n] as number)++ !== 0) return
    if (this.#distinct === this.#order.length) this.#order = grown(this.#order, this.#distinct + 1)
    this.#order[this.#distinct++] = n
  }

  /** Calls `fn` with each number counted and its count, in the order first counted. */
  each(fn: (n: number, count: number) => void): void {
    for (let i = 0; i < this.#distinct; i++) {
      const n = this.#order[i] as number
      fn(n, this.#counts[n] as number)
    }
  }

  /** Gives the arrays back for another search: the tally is not used after this. */
  release(): void {
    giveBack(this.#counts, this.#order.subarray(0, this.#distinct))
    this.#order.fill(0, 0, this.#distinct)
    giveBack(this.#order, [])
    this.#counts = new Int32Array(0)
    this.#order = new Int32Array(0)
    this.#distinct = 0
  }
}

/** `array` copied into one of at least `length` slots (twice its length, at least). */
function grown(array: Int32Array, length: number): Int32Array {
  const bigger = new Int32Array(Math.max(length, array.length * 2))
  bigger.set(array)
  return bigger
}
