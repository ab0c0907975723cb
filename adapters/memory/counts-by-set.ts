/**
 * @module Live documents counted per (keyword value, recipient set): a conversation's messages
 * by the recipient list they carry. How many messages of one conversation a user may see is then
 * the sum over that conversation's sets the user is in (a few: a group's lists between membership
 * changes), not a walk of the user's documents in it: counting the one-conversation listing's
 * exact total that way was 37–47% of its time at 200k messages (issue 15).
 *
 * Made on the first search that needs it, from the documents, then kept by every write and
 * removal (like the nested weights): snapshots need not save it.
 */
import { MAP_ENTRY_BYTES, type MemoryTally, OBJECT_BYTES } from './memory-usage.ts'
import type { Source } from './plan.ts'

/** One value's sets and, beside each, how many live documents carry both. */
interface SetCounts {
  sets: number[]
  counts: number[]
}

export class CountsBySet {
  readonly #field: string
  readonly #setOf: (docNo: number) => number
  readonly #byValue = new Map<string, SetCounts>()

  /**
   * @param field the keyword field counted (a string, or an array of strings: each distinct one)
   * @param setOf a document's recipient set number, set before {@link add} is called
   */
  constructor(field: string, setOf: (docNo: number) => number) {
    this.#field = field
    this.#setOf = setOf
  }

  add(docNo: number, source: Source): void {
    this.#each(source, (counts) => {
      const setNo = this.#setOf(docNo)
      // Newest last: a conversation's new message usually carries its newest set.
      let i = counts.sets.lastIndexOf(setNo)
      if (i < 0) {
        i = counts.sets.length
        counts.sets.push(setNo)
        counts.counts.push(0)
      }
      counts.counts[i] = (counts.counts[i] as number) + 1
    })
  }

  /** Document `docNo`, as it was added, is deleted. */
  remove(docNo: number, source: Source): void {
    this.#each(source, (counts) => {
      const i = counts.sets.lastIndexOf(this.#setOf(docNo))
      if (i >= 0) counts.counts[i] = (counts.counts[i] as number) - 1
    })
  }

  /** The live documents with `value` whose set `inSet` accepts. */
  count(value: string, inSet: (setNo: number) => boolean): number {
    const found = this.#byValue.get(value)
    if (!found) return 0
    const { sets, counts } = found
    let n = 0
    for (let i = 0; i < sets.length; i++) if (inSet(sets[i] as number)) n += counts[i] as number
    return n
  }

  memoryUsage(tally: MemoryTally): void {
    let pairs = 0
    for (const { sets } of this.#byValue.values()) pairs += sets.length
    // Estimated, as the term maps are: per value its entry and three objects (the pair and two
    // arrays); per pair two array slots.
    tally.add('terms', this.#byValue.size * (MAP_ENTRY_BYTES + 3 * OBJECT_BYTES) + pairs * 16)
  }

  /** Calls `fn` with the counts of each distinct string value of the field in `source`. */
  #each(source: Source, fn: (counts: SetCounts) => void): void {
    const value = source[this.#field]
    if (typeof value === 'string') fn(this.#countsOf(value))
    else if (Array.isArray(value))
      for (const v of new Set(value)) if (typeof v === 'string') fn(this.#countsOf(v))
  }

  #countsOf(value: string): SetCounts {
    let counts = this.#byValue.get(value)
    if (!counts) {
      counts = { sets: [], counts: [] }
      this.#byValue.set(value, counts)
    }
    return counts
  }
}
