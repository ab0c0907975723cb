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
import { MAP_ENTRY_BYTES, type MemoryTally, OBJECT_BYTES, SLOT_BYTES } from './memory-usage.ts'
import type { Source } from './plan.ts'

/**
 * One value's sets, each followed by how many live documents carry both: `[set, count, set,
 * count, …]`, one small array a value (most conversations have one set: a direct chat's), not an
 * object with two arrays (a pushed-to array reserves 17 slots).
 */
type SetCounts = number[]

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
    const setNo = this.#setOf(docNo)
    this.#each(source, (value) => {
      const counts = this.#byValue.get(value)
      if (!counts) {
        this.#byValue.set(value, [setNo, 1])
        return
      }
      const at = placeOf(counts, setNo)
      if (at >= 0) counts[at + 1] = (counts[at + 1] as number) + 1
      else counts.push(setNo, 1)
    })
  }

  /** Document `docNo`, as it was added, is deleted. */
  remove(docNo: number, source: Source): void {
    const setNo = this.#setOf(docNo)
    this.#each(source, (value) => {
      const counts = this.#byValue.get(value)
      const at = counts ? placeOf(counts, setNo) : -1
      if (counts && at >= 0) counts[at + 1] = (counts[at + 1] as number) - 1
    })
  }

  /** The live documents with `value` whose set `inSet` accepts. */
  count(value: string, inSet: (setNo: number) => boolean): number {
    const counts = this.#byValue.get(value)
    if (!counts) return 0
    let n = 0
    for (let i = 0; i < counts.length; i += 2) if (inSet(counts[i] as number)) n += counts[i + 1] as number
    return n
  }

  memoryUsage(tally: MemoryTally): void {
    let slots = 0
    for (const counts of this.#byValue.values()) slots += counts.length
    // Estimated, as the term maps are: per value its entry and array, per set two slots.
    tally.add('terms', this.#byValue.size * (MAP_ENTRY_BYTES + OBJECT_BYTES) + slots * SLOT_BYTES)
  }

  /** Calls `fn` with each distinct string value of the field in `source`. */
  #each(source: Source, fn: (value: string) => void): void {
    const value = source[this.#field]
    if (typeof value === 'string') fn(value)
    else if (Array.isArray(value)) for (const v of new Set(value)) if (typeof v === 'string') fn(v)
  }
}

/** Where `setNo` is in `counts` (an even index), or -1; from the end: a new message carries the newest set. */
function placeOf(counts: SetCounts, setNo: number): number {
  for (let i = counts.length - 2; i >= 0; i -= 2) if (counts[i] === setNo) return i
  return -1
}
