/**
 * @module Counts by small non-negative number (a value's number in a column, a date's number in
 * a zone): an array slot a count and the list of numbers counted, where a `Map` would hash a
 * string per match. The array is borrowed (`scratch-ints.ts`) and given back by {@link Tally.release}.
 */
import { borrowZeroed, giveBack } from './scratch-ints.ts'

export class Tally {
  #counts: Int32Array
  /** The numbers counted at least once, in the order first counted. */
  readonly counted: number[] = []

  /** @param size the numbers expected (below it, nothing grows). */
  constructor(size: number) {
    this.#counts = borrowZeroed(size)
  }

  add(n: number): void {
    if (n >= this.#counts.length) {
      const grown = new Int32Array(Math.max(n + 1, this.#counts.length * 2))
      grown.set(this.#counts)
      this.#counts = grown
    }
    if ((this.#counts[n] as number)++ === 0) this.counted.push(n)
  }

  count(n: number): number {
    return n < this.#counts.length ? (this.#counts[n] as number) : 0
  }

  /** Gives the counts' array back for another search: the tally is not used after this. */
  release(): void {
    giveBack(this.#counts, this.counted)
    this.#counts = new Int32Array(0)
    this.counted.length = 0
  }
}
