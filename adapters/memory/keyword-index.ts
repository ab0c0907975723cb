/**
 * @module Keyword postings: a hash map for exact lookups (term/terms, and every insert), and
 * minisearch's radix tree (`SearchableMap`) over the same postings for ordered prefix walks
 * (names, pinyin). The tree is built on the first prefix query: message fields are never
 * prefix-searched in practice, and a radix-tree insert per value was a tenth of ingestion.
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
  NO_CANDIDATES,
  type PackedPostings,
  Posting,
  packPostings,
  unionOf,
  unpackPostings,
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
  readonly #postings = new Map<string, Posting>()
  #tree: SearchableMap<Posting> | undefined

  /** A copy of the index that later writes to it leave unchanged (the prefix tree is not saved). */
  toSnapshot(): KeywordIndexSnapshot {
    return { values: [...this.#postings.keys()], postings: packPostings([...this.#postings.values()]) }
  }

  static fromSnapshot(snapshot: KeywordIndexSnapshot): KeywordIndex {
    const index = new KeywordIndex()
    const postings = unpackPostings(snapshot.postings)
    if (postings.length !== snapshot.values.length) throw new Error('keyword values and postings differ')
    snapshot.values.forEach((value, i) => {
      index.#postings.set(value, postings[i] as Posting)
    })
    return index
  }

  add(docNo: number, values: readonly string[]): void {
    // Within one document a value is posted once; most fields hold one value.
    for (const value of values.length > 1 ? new Set(values) : values) {
      let posting = this.#postings.get(value)
      if (!posting) {
        posting = new Posting()
        this.#postings.set(value, posting)
        this.#tree?.set(value, posting)
      }
      posting.push(docNo)
    }
  }

  term(value: string): Candidates {
    return this.#postings.get(value) ?? NO_CANDIDATES
  }

  prefix(value: string): Candidates {
    if (!this.#tree) this.#tree = SearchableMap.from(this.#postings)
    return unionOf([...this.#tree.atPrefix(value).values()])
  }

  /** Every distinct value with its posting: for substring scans over a small vocabulary. */
  entries(): IterableIterator<[string, Posting]> {
    return this.#postings.entries()
  }

  /** Postings exactly; the map, its values and the prefix tree (once built: about a node a value) estimated. */
  memoryUsage(tally: MemoryTally): void {
    const treeEntry = this.#tree ? 2 * MAP_ENTRY_BYTES + OBJECT_BYTES : 0
    const values = this.#postings.size
    for (const posting of this.#postings.values()) tally.add('postings', posting.byteLength)
    tally.add('terms', values * (MAP_ENTRY_BYTES + POSTING_OBJECT_BYTES + treeEntry))
    tally.add('terms', stringsBytes(this.#postings.keys(), values))
  }

  compact(keep: (docNo: number) => boolean): void {
    for (const [key, posting] of this.#postings) {
      posting.compact(keep)
      if (posting.length > 0) continue
      this.#postings.delete(key)
      this.#tree?.delete(key)
    }
  }
}
