/** @module The best k of a stream, by a comparator (best first): enough for a first page of 20. */
export class Top<T> {
  readonly items: T[] = []
  constructor(
    readonly k: number,
    readonly better: (a: T, b: T) => boolean,
  ) {}

  push(item: T): void {
    const items = this.items
    if (items.length === this.k && !this.better(item, items[items.length - 1] as T)) return
    let i = items.length < this.k ? items.length : items.length - 1
    items[i] = item
    while (i > 0 && this.better(item, items[i - 1] as T)) {
      items[i] = items[i - 1] as T
      items[i - 1] = item
      i--
    }
  }
}
