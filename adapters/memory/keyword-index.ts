/**
 * @module Keyword postings on minisearch's radix tree (`SearchableMap`): exact lookups for
 * term/terms and ordered prefix walks for prefix queries (names, pinyin).
 */
import SearchableMap from 'minisearch/SearchableMap'
import { type Candidates, NO_CANDIDATES, Posting, unionOf } from './posting.ts'

export interface KeywordLookup {
  term(value: string): Candidates
  prefix(value: string): Candidates
}

export class KeywordIndex implements KeywordLookup {
  readonly #tree = new SearchableMap<Posting>()

  add(docNo: number, values: readonly string[]): void {
    for (const value of new Set(values)) {
      let posting = this.#tree.get(value)
      if (!posting) {
        posting = new Posting()
        this.#tree.set(value, posting)
      }
      posting.push(docNo)
    }
  }

  term(value: string): Candidates {
    return this.#tree.get(value) ?? NO_CANDIDATES
  }

  prefix(value: string): Candidates {
    return unionOf([...this.#tree.atPrefix(value).values()])
  }

  /** Every distinct value with its posting: for substring scans over a small vocabulary. */
  entries(): IterableIterator<[string, Posting]> {
    return this.#tree.entries()
  }

  compact(keep: (docNo: number) => boolean): void {
    for (const [key, posting] of this.#tree.entries()) {
      posting.compact(keep)
      if (posting.length === 0) this.#tree.delete(key)
    }
  }
}
