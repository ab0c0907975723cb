/**
 * @module A growable list of document numbers in a typed array: four bytes a posting, where a
 * JS array of numbers would cost eight or more and fragment the heap at a million documents.
 */
export class Posting {
  #docs: Int32Array
  #length = 0

  /**
   * @param capacity a capacity, or the document numbers the posting starts with, used in place
   *   (a view into a loaded snapshot): the first push grows it into an array of its own, so the
   *   snapshot's bytes are never written past its end.
   */
  constructor(capacity: number | Int32Array = 4) {
    if (typeof capacity === 'number') this.#docs = new Int32Array(capacity)
    else {
      // A zero-capacity array would never grow (push doubles the capacity).
      this.#docs = capacity.length > 0 ? capacity : new Int32Array(1)
      this.#length = capacity.length
    }
  }

  get length(): number {
    return this.#length
  }

  /** {@link Candidates} size. */
  get size(): number {
    return this.#length
  }

  push(docNo: number): void {
    if (this.#length === this.#docs.length) {
      const grown = new Int32Array(this.#docs.length * 2)
      grown.set(this.#docs)
      this.#docs = grown
    }
    this.#docs[this.#length++] = docNo
  }

  /** Bytes allocated for the document numbers, spare capacity included. */
  get byteLength(): number {
    return this.#docs.byteLength
  }

  /** The document numbers in `[0, length)`, ascending (documents are numbered in arrival order). */
  get docs(): Int32Array {
    return this.#docs
  }

  /** {@link Candidates.countBelow}: ascending pushes, so descending visits are strictly descending. */
  countBelow(docNo: number, keep: (docNo: number) => boolean): number {
    const docs = this.#docs
    let lo = 0
    let hi = this.#length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((docs[mid] as number) < docNo) lo = mid + 1
      else hi = mid
    }
    let n = 0
    for (let i = 0; i < lo; i++) if (keep(docs[i] as number)) n++
    return n
  }

  /** {@link Candidates.distinct}: a document is posted once, as it arrives (numbers only ascend). */
  get distinct(): boolean {
    return true
  }

  /** The postings whose intersection this is: itself (see {@link Candidates.sorted}). */
  get sorted(): readonly Posting[] {
    return [this]
  }

  forEach(fn: (docNo: number) => boolean | undefined, descending = false): void {
    const docs = this.#docs
    if (descending) {
      for (let i = this.#length - 1; i >= 0; i--) if (fn(docs[i] as number) === true) return
    } else for (let i = 0; i < this.#length; i++) if (fn(docs[i] as number) === true) return
  }

  /** Drop the document numbers `keep` rejects (deleted documents), shrinking to fit. */
  compact(keep: (docNo: number) => boolean): void {
    let n = 0
    for (let i = 0; i < this.#length; i++) {
      const docNo = this.#docs[i] as number
      if (keep(docNo)) this.#docs[n++] = docNo
    }
    this.#length = n
    this.#docs = this.#docs.slice(0, Math.max(n, 1))
  }
}

/** Many postings in two arrays (for a snapshot): posting i is `docs[ends[i - 1] ?? 0, ends[i])`. */
export interface PackedPostings {
  docs: Int32Array
  ends: Int32Array
}

/**
 * Copies the postings' document numbers into one array: a capture the live postings cannot change.
 * A number instead of a posting is posting `i` of `loaded` (one never made, see
 * {@link packedPosting}), copied from there.
 */
export function packPostings(
  postings: readonly (Posting | number)[],
  loaded?: PackedPostings,
): PackedPostings {
  const ends = new Int32Array(postings.length)
  let total = 0
  for (let i = 0; i < postings.length; i++) {
    const posting = postings[i] as Posting | number
    total += typeof posting === 'number' ? packedLength(loaded, posting) : posting.length
    ends[i] = total
  }
  const docs = new Int32Array(total)
  let at = 0
  for (const posting of postings) {
    const loadedFrom = typeof posting === 'number' ? packedStart(loaded, posting) : 0
    const from = typeof posting === 'number' ? (loaded as PackedPostings).docs : posting.docs
    const length = typeof posting === 'number' ? packedLength(loaded, posting) : posting.length
    // Most postings are short (a name, a rare token): copied in place, without a view each.
    if (length > 16) docs.set(from.subarray(loadedFrom, loadedFrom + length), at)
    else for (let i = 0; i < length; i++) docs[at + i] = from[loadedFrom + i] as number
    at += length
  }
  return { docs, ends }
}

export function packedStart(packed: PackedPostings | undefined, i: number): number {
  if (!packed || i < 0 || i >= packed.ends.length) throw new Error(`no packed posting ${i}`)
  return i === 0 ? 0 : (packed.ends[i - 1] as number)
}

/** The length of posting `i` of `packed`. */
export function packedLength(packed: PackedPostings | undefined, i: number): number {
  return ((packed as PackedPostings).ends[i] as number) - packedStart(packed, i)
}

/** Posting `i` of `packed`, a view into its array (as {@link unpackPostings} makes them all). */
export function packedPosting(packed: PackedPostings, i: number): Posting {
  return new Posting(packedDocs(packed, i))
}

/** The document numbers of posting `i` of `packed`: a view into its array. */
export function packedDocs(packed: PackedPostings, i: number): Int32Array {
  return packed.docs.subarray(packedStart(packed, i), packed.ends[i] as number)
}

/** Throws unless `packed` holds `count` postings, each within its array. */
export function checkPacked(packed: PackedPostings, count: number): void {
  if (packed.ends.length !== count) throw new Error('packed postings of another count')
  let start = 0
  for (const end of packed.ends) {
    if (end < start || end > packed.docs.length) throw new Error('posting bounds out of range')
    start = end
  }
}

/** The postings of {@link packPostings}, each a view into `packed.docs`. */
export function unpackPostings(packed: PackedPostings): Posting[] {
  checkPacked(packed, packed.ends.length)
  return Array.from(packed.ends, (_, i) => packedPosting(packed, i))
}

/**
 * The documents a plan may match, so a search visits them and not the whole index. `size` may
 * overcount (deleted documents, duplicates); the search deduplicates and skips dead documents.
 */
export interface Candidates {
  readonly size: number
  /**
   * `descending` is a hint (visit high document numbers, the newest, first: a newest-first page
   * then fills early and later candidates are rejected cheaply); the order is not guaranteed.
   * `fn` returning true stops the visit where {@link countBelow} is given (elsewhere it may not).
   */
  forEach(fn: (docNo: number) => boolean | undefined, descending?: boolean): void
  /**
   * Given only when `forEach(fn, true)` visits distinct document numbers in strictly descending
   * order and stops when `fn` returns true: how many candidates below `docNo` `keep` accepts, so
   * a search that stopped there counts the rest without visiting them.
   */
  readonly countBelow?: (docNo: number, keep: (docNo: number) => boolean) => number
  /**
   * `forEach` visits each document number at most once (a posting, an intersection, a caller's
   * disjoint recipient sets), so a search need not mark which it visited: at a million documents
   * that mark was a scattered write a candidate of the permission sets.
   */
  readonly distinct?: boolean
  /** Postings whose intersection holds every candidate: lets a conjunction intersect them all. */
  readonly sorted?: readonly Posting[]
  /** An exact, cheap membership test (a mask lookup): lets a conjunction filter by it instead of visiting. */
  readonly has?: (docNo: number) => boolean
  /** {@link restrictedTo}, where these candidates can test `accept` earlier than at each visit. */
  readonly restrict?: (accept: (docNo: number) => boolean) => Candidates
}

/**
 * The candidates `accept` passes (the caller's permission mask): tested inside an intersection
 * before its other postings are searched, and in each part of a union, so a rejected candidate
 * costs a mask lookup, not a search's visit.
 */
export function restrictedTo(candidates: Candidates, accept: (docNo: number) => boolean): Candidates {
  if (candidates.restrict) return candidates.restrict(accept)
  const { countBelow, sorted } = candidates
  return {
    size: candidates.size,
    // biome-ignore lint/suspicious/useIterableCallbackReturn: true from `fn` stops the visit (Candidates.forEach)
    forEach: (fn, descending) => candidates.forEach((docNo) => accept(docNo) && fn(docNo), descending),
    ...(countBelow ? { countBelow: (docNo, keep) => countBelow(docNo, (d) => accept(d) && keep(d)) } : {}),
    ...(sorted ? { sorted } : {}),
  }
}

export function unionOf(all: readonly Candidates[]): Candidates {
  // An empty part adds nothing (size never undercounts): a term that occurs in no attachment
  // name leaves the content's own candidates, which a conjunction can still intersect.
  const parts = all.filter((p) => p.size > 0)
  if (parts.length === 0) return NO_CANDIDATES
  if (parts.length === 1) return parts[0] as Candidates
  return {
    size: parts.reduce((sum, p) => sum + p.size, 0),
    forEach: (fn, descending) => {
      for (const p of parts) p.forEach(fn, descending)
    },
    restrict: (accept) => unionOf(parts.map((p) => restrictedTo(p, accept))),
  }
}

export const NO_CANDIDATES: Candidates = { size: 0, forEach: () => {} }
