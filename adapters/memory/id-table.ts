/**
 * @module Document id → document number, as a hash table in typed arrays: chains through the
 * document numbers themselves (documents are numbered densely, in arrival order), keyed by a hash
 * of the id; the ids are not kept here but read from the stored documents when a hash matches.
 * A `Map` of a million id strings was a tenth of a snapshot load (filled entry by entry, then
 * traced by every collection); this is three typed arrays, saved with a snapshot and loaded as
 * they are (filling them again hashed every id: a cache miss or two per document at a million).
 */

/** The chain end. */
const NONE = -1

/** FNV-1a over UTF-16 code units: stable across processes, cheap on short ids. */
function hashOf(id: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193)
  return hash | 0
}

function grown(array: Int32Array, needed: number): Int32Array {
  if (needed <= array.length) return array
  const copy = new Int32Array(Math.max(needed, array.length * 2))
  copy.set(array)
  return copy
}

/** An {@link IdTable} as saved: its arrays, copies. */
export interface IdTableSnapshot {
  heads: Int32Array
  next: Int32Array
  hashes: Int32Array
  size: number
}

export class IdTable {
  /** Reads the id of a live document number (one the table holds). */
  readonly #idOf: (docNo: number) => string
  /** Bucket (hash & mask) → its first document number. */
  #heads: Int32Array
  /** Document number → the next one in its bucket. */
  #next: Int32Array
  /** Document number → its id's hash: compared before the id, and rehashed without reading ids. */
  #hashes: Int32Array
  #size = 0

  /** @param capacity documents expected: the buckets are sized for them at once. */
  constructor(idOf: (docNo: number) => string, capacity = 0) {
    this.#idOf = idOf
    this.#heads = new Int32Array(bucketsFor(capacity)).fill(NONE)
    this.#next = new Int32Array(Math.max(capacity, 16))
    this.#hashes = new Int32Array(Math.max(capacity, 16))
  }

  /** A copy for documents `[0, documents)` that later writes leave unchanged. */
  toSnapshot(documents: number): IdTableSnapshot {
    return {
      heads: this.#heads.slice(),
      next: this.#next.slice(0, documents),
      hashes: this.#hashes.slice(0, documents),
      size: this.#size,
    }
  }

  /**
   * The table of {@link toSnapshot}, its arrays used in place (they grow by replacement), for
   * `documents` documents: a load then reads no id. Throws when the arrays do not fit them.
   */
  static fromSnapshot(
    idOf: (docNo: number) => string,
    snapshot: IdTableSnapshot,
    documents: number,
  ): IdTable {
    const { heads, next, hashes, size } = snapshot
    const buckets = heads.length
    if (
      buckets < 16 ||
      (buckets & (buckets - 1)) !== 0 ||
      next.length !== documents ||
      hashes.length !== documents
    )
      throw new Error('the id table does not fit the documents')
    for (const docNo of heads)
      if (docNo < NONE || docNo >= documents) throw new Error('an id table bucket is out of range')
    for (const docNo of next)
      if (docNo < NONE || docNo >= documents) throw new Error('an id table chain is out of range')
    const table = new IdTable(idOf)
    table.#heads = heads
    table.#next = next
    table.#hashes = hashes
    table.#size = size
    return table
  }

  /** How many ids the table holds. */
  get size(): number {
    return this.#size
  }

  /** Typed-array bytes, spare capacity included. */
  get byteLength(): number {
    return this.#heads.byteLength + this.#next.byteLength + this.#hashes.byteLength
  }

  get(id: string): number | undefined {
    const hash = hashOf(id)
    const hashes = this.#hashes
    const next = this.#next
    for (let docNo = this.#heads[hash & (this.#heads.length - 1)] as number; docNo !== NONE; ) {
      if (hashes[docNo] === hash && this.#idOf(docNo) === id) return docNo
      docNo = next[docNo] as number
    }
    return undefined
  }

  /** Adds `id` as document `docNo`, which the table does not hold yet (nor the id). */
  add(id: string, docNo: number): void {
    if (this.#size >= this.#heads.length) this.#rehash(this.#heads.length * 2)
    this.#next = grown(this.#next, docNo + 1)
    this.#hashes = grown(this.#hashes, docNo + 1)
    const hash = hashOf(id)
    const bucket = hash & (this.#heads.length - 1)
    this.#hashes[docNo] = hash
    this.#next[docNo] = this.#heads[bucket] as number
    this.#heads[bucket] = docNo
    this.#size++
  }

  /** Removes `id`; its document number, or undefined when the table does not hold it. */
  delete(id: string): number | undefined {
    const hash = hashOf(id)
    const hashes = this.#hashes
    const next = this.#next
    const bucket = hash & (this.#heads.length - 1)
    let previous = NONE
    for (let docNo = this.#heads[bucket] as number; docNo !== NONE; ) {
      if (hashes[docNo] === hash && this.#idOf(docNo) === id) {
        if (previous === NONE) this.#heads[bucket] = next[docNo] as number
        else next[previous] = next[docNo] as number
        this.#size--
        return docNo
      }
      previous = docNo
      docNo = next[docNo] as number
    }
    return undefined
  }

  /** Spreads the held document numbers over `buckets` buckets, from their saved hashes. */
  #rehash(buckets: number): void {
    const heads = new Int32Array(buckets).fill(NONE)
    const next = this.#next
    const hashes = this.#hashes
    const old = this.#heads
    for (let bucket = 0; bucket < old.length; bucket++)
      for (let docNo = old[bucket] as number; docNo !== NONE; ) {
        const following = next[docNo] as number
        const to = (hashes[docNo] as number) & (buckets - 1)
        next[docNo] = heads[to] as number
        heads[to] = docNo
        docNo = following
      }
    this.#heads = heads
  }
}

/** A power of two at least `capacity` (and 16): at most one id per bucket on average. */
function bucketsFor(capacity: number): number {
  let buckets = 16
  while (buckets < capacity) buckets *= 2
  return buckets
}
