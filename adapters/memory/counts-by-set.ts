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
import { MAP_ENTRY_BYTES, type MemoryTally } from './memory-usage.ts'
import type { Source } from './plan.ts'

/** Ints an entry of the pool: its set, its count, the next entry of its value (-1: none). */
const ENTRY = 3
/** {@link CountsBySet}'s arrays start this long and double. */
const INITIAL = 64

/**
 * The counts in typed arrays: per value (numbered in the order first seen) a linked run of
 * (set, count) entries in one pool, newest set first (a new message carries it). Most
 * conversations have one set, a direct chat's: a value costs its map entry and 16 bytes, where
 * an array a value (the object, its backing store and two slots) took about 60 more, ~10 MB at
 * a million messages.
 */
export class CountsBySet {
  readonly #field: string
  readonly #setOf: (docNo: number) => number
  readonly #ordinals = new Map<string, number>()
  /** Per value ordinal, the pool index of its first entry (an entry's ints start at `ENTRY * index`). */
  #heads = new Int32Array(INITIAL)
  #pool = new Int32Array(INITIAL * ENTRY)
  #entries = 0

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
    this.#each(source, (value) => this.#bump(this.#ordinalOf(value), setNo))
  }

  /**
   * Counts the documents `docs[from..to)` with `value` (a keyword index's posting of it) that
   * `isLive` accepts: the first build, from the postings, loads no document (walking a million
   * stored documents for their field was most of a second).
   */
  addPosting(
    value: string,
    docs: Int32Array,
    from: number,
    to: number,
    isLive: (docNo: number) => boolean,
  ): void {
    const ordinal = this.#ordinalOf(value)
    for (let i = from; i < to; i++) {
      const docNo = docs[i] as number
      if (isLive(docNo)) this.#bump(ordinal, this.#setOf(docNo))
    }
  }

  /** Document `docNo`, as it was added, is deleted. */
  remove(docNo: number, source: Source): void {
    const setNo = this.#setOf(docNo)
    this.#each(source, (value) => {
      const ordinal = this.#ordinals.get(value)
      const at = ordinal === undefined ? -1 : this.#find(ordinal, setNo)
      if (at >= 0) this.#pool[at + 1] = (this.#pool[at + 1] as number) - 1
    })
  }

  /** The live documents with `value` whose set `inSet` accepts. */
  count(value: string, inSet: (setNo: number) => boolean): number {
    const ordinal = this.#ordinals.get(value)
    if (ordinal === undefined) return 0
    const pool = this.#pool
    let n = 0
    for (let e = this.#heads[ordinal] as number; e >= 0; e = pool[e * ENTRY + 2] as number)
      if (inSet(pool[e * ENTRY] as number)) n += pool[e * ENTRY + 1] as number
    return n
  }

  /**
   * Fits the arrays to what they hold and drops the sets no live document of a value carries any
   * more (a group's old lists). Counts are kept by {@link remove}, so no document is asked about.
   */
  compact(): void {
    const values = this.#ordinals.size
    const old = this.#pool
    let kept = 0
    for (let v = 0; v < values; v++)
      for (let e = this.#heads[v] as number; e >= 0; e = old[e * ENTRY + 2] as number)
        if ((old[e * ENTRY + 1] as number) > 0) kept++
    const heads = new Int32Array(Math.max(values, 1))
    this.#pool = new Int32Array(Math.max(kept, 1) * ENTRY)
    this.#entries = 0
    for (let v = 0; v < values; v++) {
      // Walked newest first and linked back to front, so each run stays newest first.
      const run: number[] = []
      for (let e = this.#heads[v] as number; e >= 0; e = old[e * ENTRY + 2] as number)
        if ((old[e * ENTRY + 1] as number) > 0) run.push(e)
      let head = -1
      for (let i = run.length - 1; i >= 0; i--) {
        const e = run[i] as number
        head = this.#push(old[e * ENTRY] as number, old[e * ENTRY + 1] as number, head)
      }
      heads[v] = head
    }
    this.#heads = heads
  }

  memoryUsage(tally: MemoryTally): void {
    tally.add('terms', this.#ordinals.size * MAP_ENTRY_BYTES + this.#heads.byteLength + this.#pool.byteLength)
  }

  /** `value`'s ordinal, numbered next (with no sets yet) when it is new. */
  #ordinalOf(value: string): number {
    let ordinal = this.#ordinals.get(value)
    if (ordinal === undefined) {
      ordinal = this.#ordinals.size
      this.#ordinals.set(value, ordinal)
      if (ordinal === this.#heads.length) this.#heads = grown(this.#heads, ordinal * 2)
      this.#heads[ordinal] = -1
    }
    return ordinal
  }

  /** One more document of value `ordinal` carries set `setNo`. */
  #bump(ordinal: number, setNo: number): void {
    const at = this.#find(ordinal, setNo)
    if (at >= 0) this.#pool[at + 1] = (this.#pool[at + 1] as number) + 1
    else this.#heads[ordinal] = this.#push(setNo, 1, this.#heads[ordinal] as number)
  }

  /** Where `setNo`'s entry of value `ordinal` is in the pool (its set's int), or -1. */
  #find(ordinal: number, setNo: number): number {
    const pool = this.#pool
    for (let e = this.#heads[ordinal] as number; e >= 0; e = pool[e * ENTRY + 2] as number)
      if (pool[e * ENTRY] === setNo) return e * ENTRY
    return -1
  }

  /** A new entry at the pool's end; its index. */
  #push(setNo: number, count: number, next: number): number {
    const e = this.#entries++
    if ((e + 1) * ENTRY > this.#pool.length) this.#pool = grown(this.#pool, this.#pool.length * 2)
    const at = e * ENTRY
    this.#pool[at] = setNo
    this.#pool[at + 1] = count
    this.#pool[at + 2] = next
    return e
  }

  /** Calls `fn` with each distinct string value of the field in `source`. */
  #each(source: Source, fn: (value: string) => void): void {
    const value = source[this.#field]
    if (typeof value === 'string') fn(value)
    else if (Array.isArray(value)) for (const v of new Set(value)) if (typeof v === 'string') fn(v)
  }
}

/** `array` copied into a new one of `length` ints. */
function grown(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const copy = new Int32Array(length)
  copy.set(array)
  return copy
}
