/**
 * @module The best k of a stream under a comparator, in O(n log k): a search keeps the page it
 * returns (plus one, to know whether another page follows) and never sorts every match.
 */
export class TopK<T> {
  readonly #heap: T[] = []
  readonly #k: number
  /** Orders best first; the heap keeps the worst of the best at its root. */
  readonly #compare: (a: T, b: T) => number

  constructor(k: number, compare: (a: T, b: T) => number) {
    this.#k = k
    this.#compare = compare
  }

  /** Whether {@link push} would keep `item`: test before building a copy worth keeping. */
  admits(item: T): boolean {
    const heap = this.#heap
    return heap.length < this.#k || (this.#k > 0 && this.#compare(item, heap[0] as T) < 0)
  }

  /** The worst item kept, once k are kept (any item not better than it is refused). */
  worst(): T | undefined {
    return this.#heap.length === this.#k ? this.#heap[0] : undefined
  }

  push(item: T): void {
    const heap = this.#heap
    if (heap.length < this.#k) {
      heap.push(item)
      this.#up(heap.length - 1)
    } else if (this.#k > 0 && this.#compare(item, heap[0] as T) < 0) {
      heap[0] = item
      this.#down(0)
    }
  }

  /** Best first. */
  sorted(): T[] {
    return [...this.#heap].sort(this.#compare)
  }

  #worse(i: number, j: number): boolean {
    return this.#compare(this.#heap[i] as T, this.#heap[j] as T) > 0
  }

  #swap(i: number, j: number): void {
    const heap = this.#heap
    ;[heap[i], heap[j]] = [heap[j] as T, heap[i] as T]
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.#worse(i, parent)) return
      this.#swap(i, parent)
      i = parent
    }
  }

  #down(i: number): void {
    const n = this.#heap.length
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let worst = i
      if (l < n && this.#worse(l, worst)) worst = l
      if (r < n && this.#worse(r, worst)) worst = r
      if (worst === i) return
      this.#swap(i, worst)
      i = worst
    }
  }
}
