/**
 * @module The documents in every one of several postings, without visiting each posting whole:
 * the shortest drives, the others are searched forward by galloping (doubling steps, then binary
 * search), so a common posting beside a rare one costs about log(common) per rare document. This
 * is how a two-character CJK word, or a word inside one conversation, gets its candidates.
 */
import { type Candidates, NO_CANDIDATES, type Posting } from './posting.ts'

/** The first index ≥ `from` in `docs[0, length)` whose value is ≥ `target` (length if none). */
function gallop(docs: Int32Array, length: number, from: number, target: number): number {
  let step = 1
  let lo = from
  let hi = from
  while (hi < length && (docs[hi] as number) < target) {
    lo = hi + 1
    hi += step
    step *= 2
  }
  if (hi > length) hi = length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((docs[mid] as number) < target) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * @param accepts cheap exact tests of other clauses (the caller's permission bits): a document
 * they reject is dropped here, before the search looks at it, and before the other postings are
 * searched for it: the caller's bit of a document rejects most of a common word's driver (a 1% or
 * 10% caller's) for less than a gallop costs. The galloping cursors only move forward, so skipped
 * documents cost them nothing.
 */
export function intersectionOf(
  postings: readonly Posting[],
  accepts: readonly ((docNo: number) => boolean)[] = [],
): Candidates {
  // Two or three postings: deduplicated by a scan, not a Set made every search.
  const distinct = postings
    .filter((posting, i) => postings.indexOf(posting) === i)
    .sort((a, b) => a.length - b.length)
  if (distinct.length === 0) return NO_CANDIDATES
  const accept = allOf(accepts)
  if (distinct.length === 1 && !accept) return distinct[0] as Posting
  return new Intersection(distinct, accept)
}

/**
 * The intersection of postings sorted shortest first, as {@link Candidates}. A class, not an
 * object of closures: one is made per search (when the sources ran through tsx, which keeps
 * function names, each closure was also an `Object.defineProperty` call: a tenth of a rare word's
 * search).
 */
class Intersection implements Candidates {
  readonly #driver: Posting
  readonly #others: readonly Posting[]
  readonly #accept: ((docNo: number) => boolean) | undefined
  readonly sorted: readonly Posting[]

  constructor(distinct: readonly Posting[], accept: ((docNo: number) => boolean) | undefined) {
    this.sorted = distinct
    this.#driver = distinct[0] as Posting
    this.#others = distinct.slice(1)
    this.#accept = accept
  }

  get size(): number {
    return this.#driver.length
  }

  /** {@link Candidates.restrict}: `more` tested with the others, before the postings are searched. */
  restrict(more: (docNo: number) => boolean): Candidates {
    const accept = this.#accept
    return new Intersection(this.sorted, accept ? (docNo) => accept(docNo) && more(docNo) : more)
  }

  /** {@link Candidates.distinct}: the driver's documents, each once. */
  get distinct(): boolean {
    return true
  }

  forEach(fn: (docNo: number) => boolean | undefined, newestFirst = false): void {
    // Newest first, for a newest-first listing that stops early (a filter-only listing of a caller
    // who sees one recipient list intersects that list's posting with the conversation's).
    if (newestFirst) this.#descending(fn)
    else this.#ascending(fn)
  }

  countBelow(below: number, keep: (docNo: number) => boolean): number {
    let n = 0
    this.#ascending((docNo) => {
      if (docNo >= below) return true
      if (keep(docNo)) n++
    })
    return n
  }

  #ascending(fn: (docNo: number) => boolean | undefined): void {
    const others = this.#others
    const accept = this.#accept
    const cursors = new Int32Array(others.length)
    const driver = this.#driver
    const docs = driver.docs
    next: for (let i = 0; i < driver.length; i++) {
      const docNo = docs[i] as number
      if (accept && !accept(docNo)) continue
      for (let j = 0; j < others.length; j++) {
        const other = others[j] as Posting
        const at = gallop(other.docs, other.length, cursors[j] as number, docNo)
        cursors[j] = at
        if (at === other.length) return
        if (other.docs[at] !== docNo) continue next
      }
      if (fn(docNo) === true) return
    }
  }

  #descending(fn: (docNo: number) => boolean | undefined): void {
    const others = this.#others
    const accept = this.#accept
    // A loop, not `Int32Array.from(others, fn)` (V8's generic iterable path): every descending visit makes one.
    const cursors = new Int32Array(others.length)
    for (let j = 0; j < others.length; j++) cursors[j] = (others[j] as Posting).length - 1
    const driver = this.#driver
    const docs = driver.docs
    next: for (let i = driver.length - 1; i >= 0; i--) {
      const docNo = docs[i] as number
      if (accept && !accept(docNo)) continue
      for (let j = 0; j < others.length; j++) {
        const other = others[j] as Posting
        const od = other.docs
        // {@link gallop} backwards, written in place: the last index ≤ the cursor whose value is
        // ≤ docNo (-1 if none). As a function V8 did not inline it here (it showed in profiles
        // where `gallop` never does), and the 1% user's 今天 at 1M took 0.65 ms p50 newest first
        // against 0.56 oldest first; in place, 0.51 against 0.53 (bench/README.md, late night).
        let step = 1
        let lo = cursors[j] as number
        let hi = lo
        while (lo >= 0 && (od[lo] as number) > docNo) {
          hi = lo - 1
          lo -= step
          step *= 2
        }
        if (lo < 0) lo = 0
        while (lo <= hi) {
          const mid = (lo + hi) >> 1
          if ((od[mid] as number) <= docNo) lo = mid + 1
          else hi = mid - 1
        }
        cursors[j] = hi
        if (hi < 0) return
        if (od[hi] !== docNo) continue next
      }
      if (fn(docNo) === true) return
    }
  }
}

function allOf(tests: readonly ((docNo: number) => boolean)[]): ((docNo: number) => boolean) | undefined {
  if (tests.length <= 1) return tests[0]
  return (docNo) => tests.every((test) => test(docNo))
}
