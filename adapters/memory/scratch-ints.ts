/**
 * @module Zeroed `Int32Array`s lent to a search for its counts by number (facet tallies, grouped
 * search's slots), and given back zeroed where it wrote. A column's array is one slot a value
 * (170,000 conversations at 1M messages: 680 KB); made anew per search, four facets allocated and
 * zeroed about a megabyte a request, and the 1% user's four-facet p99 was 12.6 ms against a p50
 * of 0.9 ms; lent instead, 1.0 ms in the next run (the bench README's scratch run; large
 * allocations pressing V8 into collections is the likely cause, not profiled). Searches run
 * synchronously, so an array is lent to one search at a time; one not given back (a search that
 * threw) is left to the collector.
 */

/** Arrays kept for lending: a four-facet search (two a facet) and a grouped one need nine. */
const KEPT = 12
const free: Int32Array[] = []

/** A zeroed array of at least `length` slots, to {@link giveBack} when done. */
export function borrowZeroed(length: number): Int32Array {
  let best = -1
  for (let i = 0; i < free.length; i++)
    if (
      (free[i] as Int32Array).length >= length &&
      (best < 0 || (free[i] as Int32Array).length < (free[best] as Int32Array).length)
    )
      best = i
  if (best < 0) return new Int32Array(Math.max(16, length))
  const [array] = free.splice(best, 1)
  return array as Int32Array
}

/**
 * Zeroes the `written` slots of `array` (every slot it wrote) and keeps it for the next borrower.
 * An indexed loop: a for-of over a typed array allocated an iterator result a slot.
 */
export function giveBack(array: Int32Array, written: ArrayLike<number>): void {
  for (let i = 0; i < written.length; i++) array[written[i] as number] = 0
  if (free.length < KEPT) free.push(array)
  else {
    // Keep the larger arrays: a small one is cheap to make.
    let smallest = 0
    for (let i = 1; i < free.length; i++)
      if ((free[i] as Int32Array).length < (free[smallest] as Int32Array).length) smallest = i
    if ((free[smallest] as Int32Array).length < array.length) free[smallest] = array
  }
}
