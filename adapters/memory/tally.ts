/**
 * @module Counts by small non-negative number (a value's number in a column, a date's number in
 * a zone): an array slot a count and the list of numbers counted, where a `Map` would hash a
 * string per match.
 */
export class Tally {
  #counts: Int32Array
  /** The numbers counted at least once, in the order first counted. */
  readonly counted: number[] = []

  /** @param size the numbers expected (below it, nothing grows). */
  constructor(size: number) {
    this.#counts = new Int32Array(Math.max(16, size))
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
}
