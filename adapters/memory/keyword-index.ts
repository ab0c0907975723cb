/**
 * @module Keyword postings: a hash map for exact lookups (term/terms, and every insert), and
 * minisearch's radix tree (`SearchableMap`) over the same postings for ordered prefix walks
 * (names, pinyin). The tree is built on the first prefix query: message fields are never
 * prefix-searched in practice, and a radix-tree insert per value was a tenth of ingestion.
 * After a snapshot load, a value's posting is made when the value is first used: until then the
 * map holds its number in the loaded postings (tens of thousands of names, conversations and
 * senders, most never searched, each a posting object and a typed-array view once made).
 */
import SearchableMap from 'minisearch/SearchableMap'
import {
  MAP_ENTRY_BYTES,
  type MemoryTally,
  OBJECT_BYTES,
  POSTING_OBJECT_BYTES,
  stringsBytes,
} from './memory-usage.ts'
import {
  type Candidates,
  checkPacked,
  NO_CANDIDATES,
  type PackedPostings,
  Posting,
  packedLength,
  packedPosting,
  packedStart,
  packPostings,
  unionOf,
} from './posting.ts'

export interface KeywordLookup {
  term(value: string): Candidates
  prefix(value: string): Candidates
}

/** A {@link KeywordIndex} as saved: its values in insertion order, and their postings. */
export interface KeywordIndexSnapshot {
  values: string[]
  postings: PackedPostings
}

export class KeywordIndex implements KeywordLookup {
  /** Value → its posting, or its number in {@link #loaded} while not made yet. */
  readonly #postings = new Map<string, Posting | number>()
  /** The loaded snapshot's postings (immutable: a made posting copies itself on its first push). */
  #loaded: PackedPostings | undefined
  /** Whether every loaded posting has been made (see {@link #made}). */
  #allMade = true
  #tree: SearchableMap<Posting> | undefined

  /** A copy of the index that later writes to it leave unchanged (the prefix tree is not saved). */
  toSnapshot(): KeywordIndexSnapshot {
    return {
      values: [...this.#postings.keys()],
      postings: packPostings([...this.#postings.values()], this.#loaded),
    }
  }

  /** The index of {@link toSnapshot}: it takes the snapshot's postings, made one by one when first used. */
  static fromSnapshot(snapshot: KeywordIndexSnapshot): KeywordIndex {
    const index = new KeywordIndex()
    checkPacked(snapshot.postings, snapshot.values.length)
    const values = snapshot.values
    for (let i = 0; i < values.length; i++) index.#postings.set(values[i] as string, i)
    index.#loaded = snapshot.postings
    index.#allMade = values.length === 0
    return index
  }

  /** `value`'s posting, made from the loaded ones if it is not yet; undefined when the value has none. */
  #posting(value: string): Posting | undefined {
    const found = this.#postings.get(value)
    if (typeof found !== 'number') return found
    const posting = packedPosting(this.#loaded as PackedPostings, found)
    // A value already in the map keeps its place in the map's order (snapshots save that order).
    this.#postings.set(value, posting)
    return posting
  }

  /** The map, every posting made: for walks over all of them (prefix tree, substring scans, compaction). */
  #made(): Map<string, Posting> {
    if (!this.#allMade) {
      for (const [value, posting] of this.#postings)
        if (typeof posting === 'number')
          this.#postings.set(value, packedPosting(this.#loaded as PackedPostings, posting))
      this.#allMade = true
    }
    return this.#postings as Map<string, Posting>
  }

  add(docNo: number, values: readonly string[]): void {
    // An index loop, not `for…of` over a Set or the array: iterating either, V8 allocated an
    // iterator and a result object a value (about 600 bytes a message at port ingest).
    for (let i = 0; i < values.length; i++) this.addValue(docNo, values[i] as string)
  }

  /** {@link add} of one value (most fields hold one), without an array for it. */
  addValue(docNo: number, value: string): void {
    let posting = this.#posting(value)
    if (!posting) {
      posting = new Posting()
      this.#postings.set(value, posting)
      this.#tree?.set(value, posting)
    }
    // Within one document a value is posted once: documents are numbered in arrival order, so a
    // value already posted for this one is its posting's last number.
    else if (posting.length > 0 && posting.docs[posting.length - 1] === docNo) return
    posting.push(docNo)
  }

  term(value: string): Candidates {
    return this.#posting(value) ?? NO_CANDIDATES
  }

  prefix(value: string): Candidates {
    if (!this.#tree) this.#tree = SearchableMap.from(this.#made())
    return unionOf([...this.#tree.atPrefix(value).values()])
  }

  /** Every distinct value with its posting: for substring scans over a small vocabulary. */
  entries(): IterableIterator<[string, Posting]> {
    return this.#made().entries()
  }

  /**
   * Calls `fn` with each distinct value and its document numbers, `docs[from..to)`, deleted ones
   * too until a compaction: a walk over all postings that, unlike {@link entries}, makes no
   * posting object of a loaded one.
   */
  eachPosting(fn: (value: string, docs: Int32Array, from: number, to: number) => void): void {
    const loaded = this.#loaded as PackedPostings
    for (const [value, posting] of this.#postings)
      if (typeof posting === 'number')
        fn(value, loaded.docs, packedStart(loaded, posting), loaded.ends[posting] as number)
      else fn(value, posting.docs, 0, posting.length)
  }

  /**
   * Postings exactly (a loaded one not made yet: its share of the snapshot's array); the map, its
   * values, the posting objects made and the prefix tree (once built: about a node a value) estimated.
   */
  memoryUsage(tally: MemoryTally): void {
    const treeEntry = this.#tree ? 2 * MAP_ENTRY_BYTES + OBJECT_BYTES : 0
    const values = this.#postings.size
    let made = 0
    for (const posting of this.#postings.values()) {
      if (typeof posting === 'number') tally.add('postings', 4 * packedLength(this.#loaded, posting))
      else {
        tally.add('postings', posting.byteLength)
        made++
      }
    }
    tally.add('terms', values * (MAP_ENTRY_BYTES + treeEntry) + made * POSTING_OBJECT_BYTES)
    tally.add('terms', stringsBytes(this.#postings.keys(), values))
  }

  compact(keep: (docNo: number) => boolean): void {
    for (const [key, posting] of this.#made()) {
      posting.compact(keep)
      if (posting.length > 0) continue
      this.#postings.delete(key)
      this.#tree?.delete(key)
    }
  }
}
