/**
 * @module Keyword postings: a hash map for exact lookups (term/terms, and every insert), and
 * minisearch's radix tree (`SearchableMap`) over the same postings for ordered prefix walks
 * (names, pinyin). The tree is built on the first prefix query: message fields are never
 * prefix-searched in practice, and a radix-tree insert per value was a tenth of ingestion.
 * After a snapshot load, the loaded values stay in a {@link ValueTable} and a value's posting is
 * made when the value is first used (tens of thousands of names, conversations and senders, most
 * never searched, each a map entry, a posting object and a typed-array view once made). Prefix
 * and substring walks leave them there too: the tree holds the values added since the load, the
 * loaded ones are walked in an order array (4 bytes a value) or their table. Making every loaded
 * value's posting and a tree node for it, the first name search after a start at 1M (100,000
 * users) grew the users index by 15 MB.
 * A posting holds its value: the one copy of the string that the stored documents share, found by
 * the lookup that posts it (a map of kept strings beside it was a second lookup per value).
 */
import SearchableMap from 'minisearch/SearchableMap'
import {
  MAP_ENTRY_BYTES,
  type MemoryTally,
  OBJECT_BYTES,
  POSTING_OBJECT_BYTES,
  SLOT_BYTES,
  stringsBytes,
} from './memory-usage.ts'
import {
  type Candidates,
  checkPacked,
  NO_CANDIDATES,
  type PackedPostings,
  Posting,
  packedDocs,
  packedLength,
  packedStart,
  packPostings,
  unionOf,
} from './posting.ts'
import { ValueTable } from './value-table.ts'

/** A value's posting, with the value as the index keeps it. */
class ValuePosting extends Posting {
  readonly value: string

  constructor(value: string, docs?: Int32Array) {
    super(docs)
    this.value = value
  }
}

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
  /**
   * Value → its posting: the values added since the load (all of them without one), and once
   * {@link #made}, every value.
   */
  #postings = new Map<string, ValuePosting>()
  /** The loaded snapshot's values, while not {@link #made}: a `Map` entry each cost twice as much. */
  #loadedValues: ValueTable | undefined
  /** The loaded snapshot's postings (immutable: a made posting copies itself on its first push). */
  #loaded: PackedPostings | undefined
  /** The loaded values' postings made so far, by number (see {@link #posting}). */
  #madeLoaded = new Map<number, ValuePosting>()
  /** {@link #postings} as a radix tree, made on the first prefix query. */
  #tree: SearchableMap<ValuePosting> | undefined
  /** The loaded values' numbers in value order (UTF-16 code units), made on the first prefix query. */
  #loadedOrder: Int32Array | undefined

  /** A copy of the index that later writes to it leave unchanged (the prefix tree is not saved). */
  toSnapshot(): KeywordIndexSnapshot {
    const loaded = this.#loadedValues?.values ?? []
    return {
      values: [...loaded, ...this.#postings.keys()],
      postings: packPostings(
        [...loaded.map((_, i) => this.#madeLoaded.get(i) ?? i), ...this.#postings.values()],
        this.#loaded,
      ),
    }
  }

  /** The index of {@link toSnapshot}: it takes the snapshot's postings, made one by one when first used. */
  static fromSnapshot(snapshot: KeywordIndexSnapshot): KeywordIndex {
    const index = new KeywordIndex()
    checkPacked(snapshot.postings, snapshot.values.length)
    if (snapshot.values.length === 0) return index
    index.#loadedValues = new ValueTable(snapshot.values)
    index.#loaded = snapshot.postings
    return index
  }

  /** `value`'s posting, made from the loaded ones if it is not yet; undefined when the value has none. */
  #posting(value: string): ValuePosting | undefined {
    const found = this.#postings.get(value)
    if (found !== undefined || this.#loadedValues === undefined) return found
    const i = this.#loadedValues.numberOf(value)
    if (i < 0) return undefined
    let posting = this.#madeLoaded.get(i)
    if (posting === undefined) {
      posting = this.#loadedPosting(i)
      this.#madeLoaded.set(i, posting)
    }
    return posting
  }

  /** Loaded value `i`'s posting, made now: its value the loaded string, its numbers a view into the snapshot's. */
  #loadedPosting(i: number): ValuePosting {
    const value = (this.#loadedValues as ValueTable).values[i] as string
    return new ValuePosting(value, packedDocs(this.#loaded as PackedPostings, i))
  }

  /**
   * The map of every value, every posting made: for walks over all of them (prefix tree, substring
   * scans, compaction). In the snapshot's order, then the values added since, as saved.
   */
  #made(): Map<string, ValuePosting> {
    const loaded = this.#loadedValues
    if (loaded) {
      const all = new Map<string, ValuePosting>()
      loaded.values.forEach((value, i) => {
        all.set(value, this.#madeLoaded.get(i) ?? this.#loadedPosting(i))
      })
      for (const [value, posting] of this.#postings) all.set(value, posting)
      this.#postings = all
      this.#loadedValues = undefined
      this.#madeLoaded = new Map()
      // The tree held the added values only; the next prefix query makes one of them all.
      this.#tree = undefined
      this.#loadedOrder = undefined
    }
    return this.#postings
  }

  add(docNo: number, values: readonly string[]): void {
    // An index loop, not `for…of` over a Set or the array: iterating either, V8 allocated an
    // iterator and a result object a value (about 600 bytes a message at port ingest).
    for (let i = 0; i < values.length; i++) this.addValue(docNo, values[i] as string)
  }

  /**
   * {@link add} of one value (most fields hold one), without an array for it. Returns the value
   * as the index keeps it: the string a stored document holds, shared by every document with it.
   */
  addValue(docNo: number, value: string): string {
    let posting = this.#posting(value)
    if (!posting) {
      posting = new ValuePosting(value)
      this.#postings.set(value, posting)
      this.#tree?.set(value, posting)
    }
    // Within one document a value is posted once: documents are numbered in arrival order, so a
    // value already posted for this one is its posting's last number.
    else if (posting.length > 0 && posting.docs[posting.length - 1] === docNo) return posting.value
    posting.push(docNo)
    return posting.value
  }

  term(value: string): Candidates {
    return this.#posting(value) ?? NO_CANDIDATES
  }

  prefix(value: string): Candidates {
    this.#tree ??= SearchableMap.from(this.#postings)
    const found: Posting[] = [...this.#tree.atPrefix(value).values()]
    const loaded = this.#loadedValues
    if (loaded) {
      const values = loaded.values
      this.#loadedOrder ??= valueOrder(values)
      const order = this.#loadedOrder
      // The values starting with `value` follow one another in this order, from the first not below it.
      let low = 0
      let high = order.length
      while (low < high) {
        const mid = (low + high) >>> 1
        if ((values[order[mid] as number] as string) < value) low = mid + 1
        else high = mid
      }
      for (let k = low; k < order.length; k++) {
        const i = order[k] as number
        if (!(values[i] as string).startsWith(value)) break
        found.push(this.#loadedPostingNow(i))
      }
    }
    return unionOf(found)
  }

  /** The postings of every value `accepts`: for substring scans over a small vocabulary. */
  matching(accepts: (value: string) => boolean): Posting[] {
    const found: Posting[] = []
    this.#loadedValues?.values.forEach((value, i) => {
      if (accepts(value)) found.push(this.#loadedPostingNow(i))
    })
    for (const [value, posting] of this.#postings) if (accepts(value)) found.push(posting)
    return found
  }

  /** Loaded value `i`'s posting as it is now, not kept if it was not made: for one walk's union. */
  #loadedPostingNow(i: number): ValuePosting {
    return this.#madeLoaded.get(i) ?? this.#loadedPosting(i)
  }

  /**
   * Calls `fn` with each distinct value and its document numbers, `docs[from..to)`, deleted ones
   * too until a compaction: a walk over all postings that, unlike {@link entries}, makes no
   * posting object of a loaded one and keeps the loaded values in their table.
   */
  eachPosting(fn: (value: string, docs: Int32Array, from: number, to: number) => void): void {
    const loaded = this.#loadedValues
    if (loaded) {
      const packed = this.#loaded as PackedPostings
      loaded.values.forEach((value, i) => {
        const made = this.#madeLoaded.get(i)
        if (made) fn(value, made.docs, 0, made.length)
        else fn(value, packed.docs, packedStart(packed, i), packed.ends[i] as number)
      })
    }
    for (const [value, posting] of this.#postings) fn(value, posting.docs, 0, posting.length)
  }

  /**
   * Postings exactly (a loaded one not made yet: its share of the snapshot's array); the loaded
   * values' table and order exactly, the map, its values, the posting objects made and the prefix
   * tree (once built: about a node a value of the map) estimated.
   */
  memoryUsage(tally: MemoryTally): void {
    const treeEntry = this.#tree ? 2 * MAP_ENTRY_BYTES + OBJECT_BYTES : 0
    const loaded = this.#loadedValues
    const values = this.#postings.size + (loaded?.size ?? 0)
    const made = this.#postings.size + this.#madeLoaded.size
    for (const posting of this.#postings.values()) tally.add('postings', posting.byteLength)
    // Every loaded posting's share of the array, then the made ones' own arrays in place of theirs.
    if (loaded) tally.add('postings', 4 * ((this.#loaded as PackedPostings).ends[loaded.size - 1] ?? 0))
    for (const [i, posting] of this.#madeLoaded)
      tally.add('postings', posting.byteLength - 4 * packedLength(this.#loaded, i))
    tally.add(
      'terms',
      (loaded?.byteLength ?? 0) +
        (this.#loadedOrder?.byteLength ?? 0) +
        this.#madeLoaded.size * MAP_ENTRY_BYTES +
        this.#postings.size * (MAP_ENTRY_BYTES + treeEntry) +
        // A posting here also holds its value (a pointer).
        made * (POSTING_OBJECT_BYTES + SLOT_BYTES),
    )
    tally.add('terms', stringsBytes(this.#allValues(), values))
  }

  /** Every value, loaded ones first (for a sample of their strings' sizes). */
  *#allValues(): Iterable<string> {
    if (this.#loadedValues) yield* this.#loadedValues.values
    yield* this.#postings.keys()
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

/** The numbers of `values` sorted by their value, in UTF-16 code unit order (as `<` compares strings). */
function valueOrder(values: readonly string[]): Int32Array {
  const order = new Int32Array(values.length)
  for (let i = 0; i < order.length; i++) order[i] = i
  return order.sort((a, b) => {
    const x = values[a] as string
    const y = values[b] as string
    return x < y ? -1 : x > y ? 1 : 0
  })
}
